"""Members: joining, and the views of a member that the API returns."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loyalty_core.member_number import new_member_number

from .. import rules, schemas
from ..models import Member
from ..programme import Programme, Tier

_REFERRAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_referral_code() -> str:
    return "".join(secrets.choice(_REFERRAL_ALPHABET) for _ in range(8))


def find_by_identity(s: Session, kind: str, value: str) -> Member | None:
    column = Member.email if kind == "email" else Member.phone
    return s.scalar(select(Member).where(column == value))


def create_member(
    s: Session,
    programme: Programme,
    now: datetime,
    *,
    kind: str,
    value: str,
    name: str = "",
    is_demo: bool = False,
) -> Member:
    """A new member at the base tier, with a unique member number and referral code."""
    for _ in range(10):
        member = Member(
            id=str(uuid.uuid4()),
            number=new_member_number(),
            name=name.strip(),
            joined_at=now,
            tier_code=programme.tiers[0].code,
            requalify_at=None,
            referral_code=new_referral_code(),
            is_demo=is_demo,
            punch_stamps=0,
            points_open=0,
            qualifying_total=0,
            version=1,
            language="en",
        )
        setattr(member, kind, value)
        try:
            with s.begin_nested():
                s.add(member)
                s.flush()
            return member
        except IntegrityError:
            if find_by_identity(s, kind, value) is not None:
                raise
            continue  # a number or referral code collided: draw again
    raise RuntimeError("could not allocate a member number")


def display_name(member: Member) -> str:
    """What the till shows of the member's name (``rules.cashier_name``)."""
    return rules.cashier_name(member.name, member.number)


def tier_ref(tier: Tier) -> schemas.TierRef:
    return schemas.TierRef(
        code=tier.code, name=dict(tier.name), colour=tier.colour, multiplier=str(tier.multiplier)
    )


def punch_state(member: Member, programme: Programme) -> schemas.PunchCardState | None:
    if programme.punch_card is None:
        return None
    return schemas.PunchCardState(
        stamps=member.punch_stamps,
        of=programme.punch_card.visits,
        reward_id=programme.punch_card.reward_id,
    )


def me_view(s: Session, member: Member, programme: Programme, now: datetime) -> schemas.Me:
    from .points import balance_of, load_lots

    lots = load_lots(s, member.id)
    expiring = rules.expiring_soon(lots, now, programme.expiry_warning_days)
    return schemas.Me(
        member_id=member.id,
        member_number=member.number,
        name=member.name,
        email=member.email,
        phone=member.phone,
        language=member.language,
        birthday=member.birthday,
        joined_at=member.joined_at,
        tier=tier_ref(programme.tier(member.tier_code)),
        balance=balance_of(lots, now),
        pending=rules.pending_points(lots, now),
        expiring=[schemas.ExpiringPoints(points=p, on=d) for d, p in expiring],
        punch_card=punch_state(member, programme),
        is_demo=member.is_demo,
        email_reminders=member.email_reminders,
    )
