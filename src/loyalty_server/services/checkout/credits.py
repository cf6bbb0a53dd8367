"""Crediting a purchase: points by tier, the first purchase's referral bonus, punch card."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from loyalty_core import amounts
from loyalty_core.card.scan import CardScan, MemberNumberScan, VoucherScan

from ... import rules, schemas
from ...context import ServerContext
from ...models import CardStepUse, Member
from ...problems import Problem
from .. import challenges, idempotency, offers, points, vouchers
from ..members import display_name, punch_state, tier_ref
from ..referral import pay_referral_bonus, will_pay_referral
from .card import CODE_REPLAYED, member_by_number, parse_code, scan_time, verified_card
from .staff import StaffPrincipal

_AMOUNT_TITLES = {
    "not_a_number": "Amount not a number",
    "not_positive": "Amount must be positive",
    "too_large": "Amount too large",
    "too_many_decimals": "Too many decimals",
}


def parse_amount(ctx: ServerContext, text: str) -> Decimal:
    """The purchase amount in the programme's currency; 422 invalid-amount saying why."""
    programme = ctx.programme
    try:
        return amounts.parse_amount(
            text,
            decimals=programme.currency_decimals,
            maximum=programme.max_purchase_amount,
            currency=programme.currency,
        )
    except amounts.AmountError as exc:
        raise Problem(
            422, "invalid-amount", _AMOUNT_TITLES[exc.kind], exc.message, amount_error=exc.kind
        ) from exc


def credit(
    ctx: ServerContext, staff: StaffPrincipal, body: schemas.CreditRequest, key: str
) -> tuple[int, dict]:
    """Credit a purchase to the member whose card was scanned (or number typed): 201, once
    per key. A card code scanned before pays only if the same staff scanned it within
    `scan_to_credit_seconds` and it has paid for nothing yet."""
    if bool(body.token) == bool(body.member_number):
        raise Problem(
            422,
            "card-required",
            "Card needed",
            "Scan the member's card (or type the member number) to credit points.",
        )
    amount = parse_amount(ctx, body.amount)
    parsed = parse_code(ctx, body.token or body.member_number or "")
    if isinstance(parsed, VoucherScan):
        raise Problem(
            422,
            "voucher-not-card",
            "That is a voucher",
            "This is a reward voucher, not a member card.",
        )
    return idempotency.run_once(
        ctx,
        scope=f"staff:{staff.staff_id}",
        key=key,
        path="credit",
        body=body.model_dump(mode="json"),
        status=201,
        lock=lambda s: _lock_payer(ctx, s, staff, parsed, body.scanned_at),
        work=lambda s, payer, now: _credit(
            ctx,
            s,
            staff,
            payer,
            amount,
            body.categories,
            now,
            scan_time_sent=body.scanned_at is not None,
        ),
    )


def _lock_payer(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    parsed: CardScan | MemberNumberScan,
    scanned_at: datetime | None,
) -> tuple[Member, tuple[str, int] | None]:
    """The member, locked, and for a card code its (card id, step) to record as used."""
    if isinstance(parsed, MemberNumberScan):
        return member_by_number(s, parsed.number, lock=True), None
    at = _scanned_here(ctx, s, staff, parsed) or scan_time(ctx, scanned_at)
    card = verified_card(ctx, s, parsed, at)
    return points.lock_member(s, card.member_id), (card.id, parsed.token.step_start)


def _scanned_here(
    ctx: ServerContext, s: Session, staff: StaffPrincipal, parsed: CardScan
) -> datetime | None:
    """When this staff credential scanned this code, if that was within the scan-to-credit
    window and the scan has paid for nothing yet: the code is verified as of that moment,
    so ringing up an order does not outlast a 30-second code."""
    step_use = s.get(CardStepUse, (parsed.token.card_id, parsed.token.step_start))
    if (
        step_use is None
        or step_use.staff_id != staff.staff_id
        or step_use.credit_entry_id is not None
        or step_use.used_at < ctx.now() - timedelta(seconds=ctx.settings.scan_to_credit_seconds)
    ):
        return None
    return step_use.used_at


def _use_card_step(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    card_step: tuple[str, int],
    now: datetime,
    *,
    scan_time_sent: bool,
) -> CardStepUse:
    """A code scanned before by the same staff may pay for one credit; else it is used.

    Without a scan time the credit must come within the scan-to-credit window. A credit that
    carries its scan time (kiosks send it with every credit) had its code verified as of
    that time, as an offline scan's is, so a credit queued while the link was down and sent
    when it is back still pays; the scan still pays for one credit only."""
    card_id, step = card_step
    step_use = s.get(CardStepUse, card_step)
    if step_use is None:
        step_use = CardStepUse(card_id=card_id, step=step, used_at=now, staff_id=staff.staff_id)
        s.add(step_use)
    elif (
        step_use.staff_id != staff.staff_id
        or step_use.credit_entry_id is not None
        or (
            not scan_time_sent
            and step_use.used_at < now - timedelta(seconds=ctx.settings.scan_to_credit_seconds)
        )
    ):
        raise CODE_REPLAYED
    return step_use


def _credit(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    payer: tuple[Member, tuple[str, int] | None],
    amount: Decimal,
    categories: list[str],
    now: datetime,
    *,
    scan_time_sent: bool = False,
) -> schemas.CreditResult:
    programme = ctx.programme
    member, card_step = payer
    step_use = (
        None
        if card_step is None
        else _use_card_step(ctx, s, staff, card_step, now, scan_time_sent=scan_time_sent)
    )
    # What this credit changes besides the points, so a void can put each thing back.
    undo: dict[str, object] = {
        "tier_before": member.tier_code,
        "requalify_before": member.requalify_at.isoformat() if member.requalify_at else None,
        "stamps_before": member.punch_stamps,
    }
    # None: every lot is spendable and stays so; the balance is the running total.
    lots = points.settle_for_earning(s, member, programme, now)
    tier = programme.tier(member.tier_code)
    earn = rules.purchase_points(amount, programme, tier)
    # Before the purchase is booked: a win-back offer looks at the visit before this one.
    bonuses = offers.purchase_bonuses(
        s, member, programme, offers.amount_facts(amount, earn.base, categories), now
    )
    # The stamp before the purchase is booked: the member row's changes then go out in the
    # purchase's flush (one UPDATE of the member, not a second at commit). Nothing else in a
    # credit reads the stamps.
    issued = None
    if programme.punch_card is not None:
        member.punch_stamps, due = rules.punch(member.punch_stamps, programme.punch_card)
        reward = programme.reward(programme.punch_card.reward_id)
        if due and reward is not None:
            voucher = vouchers.issue(
                s, member, reward, now, source="punch_card", ledger_entry_id=None
            )
            undo["voucher_id"] = voucher.id
            issued = vouchers.voucher_view(voucher, programme, now)
    # Known before the purchase is booked, so its line is written once with its undo data
    # (only the offers' bonus lines, booked after it, make a second write).
    first_purchase = member.first_purchase_at is None
    if first_purchase:
        undo["first_purchase"] = True
        if will_pay_referral(member):
            undo["referral"] = True
    details = {
        "amount": str(amount),
        "currency": programme.currency,
        "base": earn.base,
        "bonus": earn.bonus,
        "multiplier": str(earn.multiplier),
        "store": staff.store,
    }
    entry = points.post(
        s,
        member,
        now,
        amount=earn.total,
        kind="purchase",
        reason="purchase",
        details=details | {"undo": undo},
        programme=programme,
        qualifying=True,
        purchase_amount=amount,
        staff_id=staff.staff_id,
    )
    bonus_entries = offers.post_bonuses(s, member, programme, bonuses, entry, now)
    if lots is not None:
        lots.extend(points.lot_of(e) for e in (entry, *bonus_entries))
    if bonus_entries:
        undo["offer_entries"] = [e.id for e in bonus_entries]
        entry.details = json.dumps(details | {"undo": undo}, default=str)
    if step_use is not None:
        step_use.credit_entry_id = entry.id
    change = points.update_tier(s, member, programme, now)
    referral_bonus = 0
    if first_purchase:
        member.first_purchase_at = now
        referral_bonus = pay_referral_bonus(s, member, programme, now)
        if referral_bonus:
            lots = None if lots is None else points.load_lots(s, member.id)
    challenges.record_categories(s, member, categories, now)
    goals = {"visits", "categories"} if categories else {"visits"}
    if challenges.award(s, member, programme, now, goals) and lots is not None:
        lots = points.load_lots(s, member.id)
    if referral_bonus and member.referred_by_id:
        referrer = s.get(Member, member.referred_by_id)  # locked by the referral bonus
        if referrer is not None:
            challenges.award(s, referrer, programme, now, {"referrals"})
    return schemas.CreditResult(
        credit_id=entry.id,
        member_id=member.id,
        display_name=display_name(member),
        purchase_amount=str(amount),
        currency=programme.currency,
        base_points=earn.base,
        bonus_points=earn.bonus,
        points=earn.total,
        multiplier=str(earn.multiplier),
        tier=tier_ref(programme.tier(member.tier_code)),
        tier_change=change,
        balance=member.points_open if lots is None else points.balance_of(lots, now),
        punch_card=punch_state(member, programme),
        voucher_issued=issued,
        referral_bonus=referral_bonus,
        offers=offers.applied(bonuses),
    )
