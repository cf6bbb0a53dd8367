"""Scanning a member's card or typing the member number: who the member is, balance, vouchers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from loyalty_core.card.scan import MemberNumberScan, VoucherScan

from ... import rules, schemas
from ...context import ServerContext
from ...models import CardStepUse, Member
from ...problems import Problem
from .. import points, vouchers
from ..members import display_name, tier_ref
from .card import CODE_REPLAYED, member_by_number, parse_code, scan_time, verified_card
from .staff import StaffPrincipal


def _summary(
    s: Session,
    ctx: ServerContext,
    member: Member,
    now: datetime,
    lots: list[rules.Lot] | None = None,
) -> schemas.CheckoutMember:
    lots = points.load_lots(s, member.id) if lots is None else lots
    programme = ctx.programme
    progress = rules.tier_progress(
        programme.tiers, member.tier_code, points.qualifying_points(s, member.id, programme, now)
    )
    return schemas.CheckoutMember(
        member_id=member.id,
        display_name=display_name(member),
        member_number=member.number,
        tier=tier_ref(programme.tier(member.tier_code)),
        balance=points.balance_of(lots, now),
        vouchers=vouchers.member_vouchers(s, member.id, programme, now, usable_only=True),
        next_tier=tier_ref(programme.tier(progress.next)) if progress.next else None,
        points_to_next=progress.points_to_next,
        tier_fraction=progress.fraction,
    )


def scan(
    ctx: ServerContext, staff: StaffPrincipal, body: schemas.ScanRequest
) -> schemas.CheckoutMember:
    """Who the scanned card (or typed number) belongs to; each card code counts once."""
    parsed = parse_code(ctx, body.token)
    now = ctx.now()
    with ctx.db.write() as s:
        if isinstance(parsed, MemberNumberScan):
            return _summary(s, ctx, member_by_number(s, parsed.number), now)
        if isinstance(parsed, VoucherScan):
            raise Problem(
                422,
                "voucher-not-card",
                "That is a voucher",
                "This is a reward voucher; use voucher redeem instead.",
            )
        at = scan_time(ctx, body.scanned_at)
        card = verified_card(ctx, s, parsed, at)
        member = points.lock_member(s, card.member_id)
        if s.get(CardStepUse, (card.id, parsed.token.step_start)) is not None:
            raise CODE_REPLAYED
        s.add(
            CardStepUse(
                card_id=card.id, step=parsed.token.step_start, used_at=now, staff_id=staff.staff_id
            )
        )
        lots = points.settle(s, member, ctx.programme, now)
        return _summary(s, ctx, member, now, lots)


def lookup(ctx: ServerContext, number: str) -> schemas.CheckoutMember:
    """The member with this typed number; nothing is written."""
    parsed = parse_code(ctx, number)
    if not isinstance(parsed, MemberNumberScan):
        raise Problem(
            422,
            "not-a-member-number",
            "Not a member number",
            "Type the 12-digit member number from the card.",
        )
    with ctx.db.read() as s:
        return _summary(s, ctx, member_by_number(s, parsed.number), ctx.now())
