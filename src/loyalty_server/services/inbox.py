"""The member's inbox: the facts the pure rules (rules.inbox) need, read from the database,
and the member's read and dismissed marks. Runs inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import rules, schemas
from ..models import InboxState, LedgerEntry, Member, Voucher
from ..programme import Programme
from ..rules import inbox as inbox_rules
from . import feedback, offers
from .points import load_lots, qualifying_points


def _voucher_facts(s: Session, member_id: str, now: datetime) -> list[inbox_rules.VoucherFact]:
    rows = s.scalars(
        select(Voucher).where(
            Voucher.member_id == member_id, Voucher.used_at.is_(None), Voucher.expires_at > now
        )
    ).all()
    return [
        inbox_rules.VoucherFact(
            id=v.id,
            reward_id=v.reward_id,
            source=v.source,
            created_at=v.created_at,
            expires_at=v.expires_at,
            used=False,
        )
        for v in rows
    ]


def _stamp_fact(s: Session, member: Member, programme: Programme) -> inbox_rules.StampFact | None:
    card = programme.punch_card
    if card is None:
        return None
    completed = s.scalar(
        select(func.count())
        .select_from(Voucher)
        .where(Voucher.member_id == member.id, Voucher.source == "punch_card")
    )
    last = s.scalar(
        select(func.max(LedgerEntry.created_at)).where(
            LedgerEntry.member_id == member.id,
            LedgerEntry.kind == "purchase",
            LedgerEntry.voided_at.is_(None),
        )
    )
    return inbox_rules.StampFact(
        stamps=member.punch_stamps,
        of=card.visits,
        reward_id=card.reward_id,
        cards_completed=int(completed or 0),
        last_stamp_at=last,
    )


def _tier_fact(s: Session, member: Member, programme: Programme) -> inbox_rules.TierFact:
    tier = programme.tier(member.tier_code)
    base = min(programme.tiers, key=lambda t: t.qualifying_points)
    counting = 0
    if member.requalify_at is not None:
        counting = qualifying_points(s, member.id, programme, member.requalify_at, up_to_now=False)
    return inbox_rules.TierFact(
        code=tier.code,
        is_base=tier.code == base.code,
        requalify_at=member.requalify_at,
        window_months=programme.qualifying_window_months,
        threshold=tier.qualifying_points,
        points_counting_at_requalify=counting,
    )


def messages(
    s: Session, member: Member, programme: Programme, now: datetime, *, with_offers: bool = True
) -> list[inbox_rules.Message]:
    """Every message due for the member at ``now`` (read and dismissed ones too); without
    the offers' when ``with_offers`` is False (the reminders, which never send them)."""
    lots = load_lots(s, member.id)
    seen = offers.member_offers(s, member, programme, now) if with_offers else []
    return inbox_rules.inbox(
        now,
        expiring=rules.expiring_soon(lots, now, inbox_rules.POINTS_EXPIRY_DAYS),
        vouchers=_voucher_facts(s, member.id, now),
        stamps=_stamp_fact(s, member, programme),
        tier=_tier_fact(s, member, programme),
        offered=inbox_rules.offers(seen, now, programme.time_zone, member.joined_at),
    )


def inbox_view(s: Session, member: Member, programme: Programme, now: datetime) -> schemas.Inbox:
    """The member's inbox: the messages due, without the dismissed ones, read ones marked."""
    states = {
        st.message_id: st
        for st in s.scalars(select(InboxState).where(InboxState.member_id == member.id))
    }
    codes = dict(
        s.execute(
            select(Voucher.id, Voucher.code).where(
                Voucher.member_id == member.id, Voucher.used_at.is_(None)
            )
        ).all()
    )
    offer_names = {o.id: dict(o.name) for o in programme.offers}
    items = []
    for m in messages(s, member, programme, now):
        state = states.get(m.id)
        if state is not None and state.dismissed_at is not None:
            continue
        reward = programme.reward(m.reward_id) if m.reward_id else None
        tier = programme.tier(m.tier_code) if m.tier_code else None
        items.append(
            schemas.InboxMessage(
                id=m.id,
                kind=m.kind,
                at=m.at,
                read=state is not None and state.read_at is not None,
                points=m.points,
                on=m.on,
                voucher_code=codes.get(m.voucher_id) if m.voucher_id else None,
                reward_name=dict(reward.name) if reward else None,
                tier_name=dict(tier.name) if tier else None,
                stamps_left=m.stamps_left,
                offer_id=m.offer_id,
                offer_name=offer_names.get(m.offer_id) if m.offer_id else None,
            )
        )
    return schemas.Inbox(
        items=items,
        unread=sum(not i.read for i in items),
        feedback=feedback.ask(s, member, now),
    )


def mark(s: Session, member: Member, message_id: str, now: datetime, *, dismiss: bool) -> None:
    """Mark a message read (or dismissed, which is read too); again changes nothing. The
    caller holds the member's row lock, so two marks of one message never race."""
    state = s.get(InboxState, (member.id, message_id))
    if state is None:
        state = InboxState(member_id=member.id, message_id=message_id)
        s.add(state)
    if state.read_at is None:
        state.read_at = now
    if dismiss and state.dismissed_at is None:
        state.dismissed_at = now
    s.flush()
