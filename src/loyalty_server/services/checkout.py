"""The till: scan a member's rotating card, credit a purchase, void it, redeem a voucher, join.
Only staff credentials reach these functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from loyalty_core import amounts
from loyalty_core.card.format import CARD_ALGORITHM, CARD_DIGITS, CARD_PERIOD
from loyalty_core.card.scan import CardScan, MemberNumberScan, ScanError, VoucherScan, parse_scan
from loyalty_core.card.token import verify_code
from loyalty_core.member_number import normalise_member_number

from .. import rules, schemas
from ..context import ServerContext
from ..models import CardCredential, CardStepUse, LedgerEntry, Member, Voucher
from ..problems import Problem
from . import idempotency, points, vouchers
from .identity import normalise_identity
from .members import create_member, display_name, find_by_identity, punch_state, tier_ref
from .referral import apply_referral_code, pay_referral_bonus


@dataclass(frozen=True)
class StaffPrincipal:
    staff_id: str
    name: str
    store: str


def _scan_problem(exc: ScanError) -> Problem:
    if exc.kind == "not_ours":
        return Problem(
            422,
            "not-our-code",
            "Not our code",
            "This code is not from this loyalty programme.",
            scan_error=exc.kind,
        )
    if exc.kind == "bad_check_digit":
        return Problem(
            422,
            "bad-check-digit",
            "Member number mistyped",
            "That member number's check digit is wrong; type it again.",
            scan_error=exc.kind,
        )
    return Problem(
        422,
        "unreadable-code",
        "Code not readable",
        "The scanned code is incomplete or damaged; scan again.",
        scan_error=exc.kind,
    )


def _parse(ctx: ServerContext, text: str) -> CardScan | MemberNumberScan | VoucherScan:
    try:
        return parse_scan(text, ctx.programme.card_prefix)
    except ScanError as exc:
        raise _scan_problem(exc) from exc


def _scan_time(ctx: ServerContext, scanned_at: datetime | None) -> datetime:
    now = ctx.now()
    if scanned_at is None:
        return now
    if scanned_at.tzinfo is None:
        raise Problem(
            422,
            "scan-time-invalid",
            "Scan time needs a time zone",
            "Send scanned_at with a UTC offset.",
        )
    if scanned_at > now + timedelta(seconds=60):
        raise Problem(
            422,
            "scan-time-invalid",
            "Scan time in the future",
            "The kiosk's clock is ahead of the server's; check the kiosk's time.",
        )
    if scanned_at < now - timedelta(seconds=ctx.settings.offline_scan_max_age_seconds):
        raise Problem(
            422, "token-expired", "Scan too old", "This offline scan is too old to be credited."
        )
    return scanned_at


def _verified_card(ctx: ServerContext, s: Session, scan: CardScan, at: datetime) -> CardCredential:
    card = s.get(CardCredential, scan.token.card_id)
    if card is None:
        raise Problem(
            422,
            "unknown-card",
            "Unknown card",
            "This card is not known here; ask the member to open the app again.",
        )
    if card.revoked_at is not None and card.revoked_at <= at:
        raise Problem(
            422,
            "card-revoked",
            "Card signed out",
            "This card was signed out; ask the member to sign in again.",
        )
    opts = dict(period=CARD_PERIOD, digits=CARD_DIGITS, algorithm=CARD_ALGORITHM)
    ts = at.timestamp()
    if verify_code(
        scan.token,
        card.secret,
        ts,
        past_steps=ctx.settings.card_past_steps,
        future_steps=ctx.settings.card_future_steps,
        **opts,
    ):
        return card
    if verify_code(
        scan.token, card.secret, scan.token.step_start, past_steps=0, future_steps=0, **opts
    ):
        if scan.token.step_start > ts:
            raise Problem(
                422,
                "token-not-yet-valid",
                "Code from the future",
                "The phone's clock is ahead; ask the member to check its time.",
            )
        raise Problem(
            422,
            "token-expired",
            "Code expired",
            "This code has expired; ask the member to show the live card.",
        )
    raise Problem(
        422,
        "token-invalid",
        "Code not valid",
        "This card code is not valid; ask the member to show the live card.",
    )


_REPLAY = Problem(
    409,
    "token-replayed",
    "Code already used",
    "This card code was already used; ask the member to show the live card.",
)


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


def _member_by_number(s: Session, number: str, *, lock: bool = False) -> Member:
    query = select(Member).where(Member.number == normalise_member_number(number))
    member = s.scalar(query.with_for_update() if lock else query)
    if member is None:
        raise Problem(
            404,
            "unknown-member",
            "Unknown member",
            "No member has that number; check it and try again.",
        )
    return member


def scan(
    ctx: ServerContext, staff: StaffPrincipal, body: schemas.ScanRequest
) -> schemas.CheckoutMember:
    parsed = _parse(ctx, body.token)
    now = ctx.now()
    with ctx.db.write() as s:
        if isinstance(parsed, MemberNumberScan):
            return _summary(s, ctx, _member_by_number(s, parsed.number), now)
        if isinstance(parsed, VoucherScan):
            raise Problem(
                422,
                "voucher-not-card",
                "That is a voucher",
                "This is a reward voucher; use voucher redeem instead.",
            )
        at = _scan_time(ctx, body.scanned_at)
        card = _verified_card(ctx, s, parsed, at)
        member = points.lock_member(s, card.member_id)
        if s.get(CardStepUse, (card.id, parsed.token.step_start)) is not None:
            raise _REPLAY
        s.add(
            CardStepUse(
                card_id=card.id, step=parsed.token.step_start, used_at=now, staff_id=staff.staff_id
            )
        )
        lots = points.settle(s, member, ctx.programme, now)
        return _summary(s, ctx, member, now, lots)


def lookup(ctx: ServerContext, number: str) -> schemas.CheckoutMember:
    parsed = _parse(ctx, number)
    if not isinstance(parsed, MemberNumberScan):
        raise Problem(
            422,
            "not-a-member-number",
            "Not a member number",
            "Type the 12-digit member number from the card.",
        )
    with ctx.db.read() as s:
        return _summary(s, ctx, _member_by_number(s, parsed.number), ctx.now())


_AMOUNT_TITLES = {
    "not_a_number": "Amount not a number",
    "not_positive": "Amount must be positive",
    "too_large": "Amount too large",
    "too_many_decimals": "Too many decimals",
}


def parse_amount(ctx: ServerContext, text: str) -> Decimal:
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
    per key. A card code already scanned counts only for the same staff within the window."""
    if bool(body.token) == bool(body.member_number):
        raise Problem(
            422,
            "card-required",
            "Card needed",
            "Scan the member's card (or type the member number) to credit points.",
        )
    amount = parse_amount(ctx, body.amount)
    parsed = _parse(ctx, body.token or body.member_number or "")
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
        lock=lambda s: _lock_payer(ctx, s, parsed, body.scanned_at),
        work=lambda s, payer, now: _credit(ctx, s, staff, payer, amount, now),
    )


def _lock_payer(
    ctx: ServerContext, s: Session, parsed: CardScan | MemberNumberScan, scanned_at: datetime | None
) -> tuple[Member, tuple[str, int] | None]:
    """The member, locked, and for a card code its (card id, step) to record as used."""
    if isinstance(parsed, MemberNumberScan):
        return _member_by_number(s, parsed.number, lock=True), None
    card = _verified_card(ctx, s, parsed, _scan_time(ctx, scanned_at))
    return points.lock_member(s, card.member_id), (card.id, parsed.token.step_start)


def _use_card_step(
    ctx: ServerContext, s: Session, staff: StaffPrincipal, card_step: tuple[str, int], now: datetime
) -> CardStepUse:
    """A code scanned just before, by the same staff, may pay for one credit; else it is used."""
    card_id, step = card_step
    step_use = s.get(CardStepUse, card_step)
    if step_use is None:
        step_use = CardStepUse(card_id=card_id, step=step, used_at=now, staff_id=staff.staff_id)
        s.add(step_use)
    elif (
        step_use.staff_id != staff.staff_id
        or step_use.credit_entry_id is not None
        or step_use.used_at < now - timedelta(seconds=ctx.settings.scan_to_credit_seconds)
    ):
        raise _REPLAY
    return step_use


def _credit(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    payer: tuple[Member, tuple[str, int] | None],
    amount: Decimal,
    now: datetime,
) -> schemas.CreditResult:
    programme = ctx.programme
    member, card_step = payer
    step_use = None if card_step is None else _use_card_step(ctx, s, staff, card_step, now)
    lots = points.settle(s, member, programme, now)
    tier = programme.tier(member.tier_code)
    earn = rules.purchase_points(amount, programme, tier)
    entry = points.post(
        s,
        member,
        now,
        amount=earn.total,
        kind="purchase",
        reason="purchase",
        details={
            "amount": str(amount),
            "currency": programme.currency,
            "base": earn.base,
            "bonus": earn.bonus,
            "multiplier": str(earn.multiplier),
            "store": staff.store,
        },
        programme=programme,
        qualifying=True,
        purchase_amount=amount,
        staff_id=staff.staff_id,
    )
    lots.append(points.lot_of(entry))
    if step_use is not None:
        step_use.credit_entry_id = entry.id
    change = points.update_tier(s, member, programme, now)
    referral_bonus = 0
    if member.first_purchase_at is None:
        member.first_purchase_at = now
        referral_bonus = pay_referral_bonus(s, member, programme, now)
        if referral_bonus:
            lots = points.load_lots(s, member.id)
    issued = None
    if programme.punch_card is not None:
        member.punch_stamps, due = rules.punch(member.punch_stamps, programme.punch_card)
        reward = programme.reward(programme.punch_card.reward_id)
        if due and reward is not None:
            voucher = vouchers.issue(
                s, member, reward, now, source="punch_card", ledger_entry_id=None
            )
            issued = vouchers.voucher_view(voucher, programme, now)
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
        balance=points.balance_of(lots, now),
        punch_card=punch_state(member, programme),
        voucher_issued=issued,
        referral_bonus=referral_bonus,
    )


def void_credit(
    ctx: ServerContext, staff: StaffPrincipal, credit_id: int, key: str
) -> tuple[int, dict]:
    """Undo a purchase credit: its points come back off the member's balance. 200, once per key;
    409 when it was voided before or the points are already spent."""
    return idempotency.run_once(
        ctx,
        scope=f"staff:{staff.staff_id}",
        key=key,
        path=f"void/{credit_id}",
        body={},
        status=200,
        lock=lambda s: _lock_credited_member(s, credit_id),
        work=lambda s, member, now: _void(s, staff, member, credit_id, now),
    )


def _lock_credited_member(s: Session, credit_id: int) -> Member:
    found = s.get(LedgerEntry, credit_id)
    if found is None or found.kind != "purchase":
        raise Problem(
            404,
            "credit-not-found",
            "No such purchase credit",
            "There is no purchase credit with that number.",
        )
    return points.lock_member(s, found.member_id)


def _void(
    s: Session, staff: StaffPrincipal, member: Member, credit_id: int, now: datetime
) -> schemas.VoidResult:
    entry = s.get(LedgerEntry, credit_id, with_for_update=True)
    assert entry is not None
    if entry.voided_at is not None:
        raise Problem(
            409, "already-voided", "Already voided", "This purchase credit was already voided."
        )
    # Take the points back from this credit's own lot first, the rest oldest-first.
    from_lot = min(entry.remaining, entry.amount)
    entry.remaining -= from_lot
    rest = entry.amount - from_lot
    if rest:
        try:
            points.take_from_lots(
                s, rules.allocate_spend(points.load_lots(s, member.id), rest, now)
            )
        except rules.InsufficientPoints as exc:
            raise Problem(
                409,
                "points-already-spent",
                "Points already spent",
                "The member has already spent these points; it cannot be voided.",
            ) from exc
    entry.voided_at = now
    points.post(
        s,
        member,
        now,
        amount=-entry.amount,
        kind="void",
        reason="purchase_voided",
        details={"credit_id": entry.id, "store": staff.store},
    )
    balance = points.balance_of(points.load_lots(s, member.id), now)
    return schemas.VoidResult(credit_id=entry.id, points_removed=entry.amount, balance=balance)


def redeem_voucher(
    ctx: ServerContext, staff: StaffPrincipal, text: str, key: str
) -> tuple[int, dict]:
    """Use a member's voucher at the till: 200, once per key; 409 when used or expired."""
    code = vouchers.parse_voucher_code(text, ctx.programme)
    return idempotency.run_once(
        ctx,
        scope=f"staff:{staff.staff_id}",
        key=key,
        path="voucher",
        body={"code": code},
        status=200,
        lock=lambda s: _lock_holder(s, code),
        work=lambda s, held, now: _use_voucher(ctx, s, staff, *held, now),
    )


def _lock_holder(s: Session, code: str) -> tuple[Voucher, Member]:
    voucher = s.scalar(select(Voucher).where(Voucher.code == code))
    if voucher is None:
        raise Problem(404, "unknown-voucher", "Unknown voucher", "No voucher has that code.")
    return voucher, points.lock_member(s, voucher.member_id)


def _use_voucher(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    voucher: Voucher,
    member: Member,
    now: datetime,
) -> schemas.VoucherRedeemResult:
    # Read before the member's lock was taken: a twin request may have used it since.
    s.refresh(voucher)
    if voucher.used_at is not None:
        raise Problem(
            409,
            "voucher-used",
            "Voucher already used",
            f"This voucher was used on {voucher.used_at:%Y-%m-%d %H:%M} UTC.",
        )
    if voucher.expires_at <= now:
        raise Problem(
            409,
            "voucher-expired",
            "Voucher expired",
            f"This voucher expired on {voucher.expires_at:%Y-%m-%d}.",
        )
    voucher.used_at, voucher.used_by_staff_id = now, staff.staff_id
    member.version += 1
    return schemas.VoucherRedeemResult(
        voucher=vouchers.voucher_view(voucher, ctx.programme, now),
        member_display_name=display_name(member),
    )


def join(
    ctx: ServerContext, body: schemas.JoinRequest, app_link: str, key: str
) -> tuple[int, dict]:
    """Sign up a new member at the kiosk: 201 with the member number, once per key;
    409 when the e-mail or phone already has a membership."""
    kind, value = normalise_identity(body.email, body.phone)
    return idempotency.run_once(
        ctx,
        scope="join",
        key=key,
        path="join",
        body=body.model_dump(mode="json"),
        status=201,
        # Someone joining has no member row yet to lock.
        lock=lambda s: None,
        work=lambda s, _, now: _join(ctx, s, body, kind, value, app_link, now),
    )


def _join(
    ctx: ServerContext,
    s: Session,
    body: schemas.JoinRequest,
    kind: str,
    value: str,
    app_link: str,
    now: datetime,
) -> schemas.JoinResult:
    if find_by_identity(s, kind, value) is not None:
        raise Problem(
            409,
            "already-member",
            "Already a member",
            "This e-mail or phone already has a membership; sign in in the app.",
        )
    member = create_member(s, ctx.programme, now, kind=kind, value=value, name=body.name)
    applied = False
    if body.referral_code:
        apply_referral_code(s, member, body.referral_code, now)
        applied = True
    return schemas.JoinResult(
        member_id=member.id,
        member_number=member.number,
        display_name=display_name(member),
        app_link=app_link,
        referral_applied=applied,
    )
