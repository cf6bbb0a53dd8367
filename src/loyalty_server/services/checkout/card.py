"""What the till read, checked: the scan parsed, its time, the rotating card code verified,
a typed member number found. Shared by scanning and crediting."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from loyalty_core.card.format import CARD_ALGORITHM, CARD_DIGITS, CARD_PERIOD
from loyalty_core.card.scan import CardScan, MemberNumberScan, ScanError, VoucherScan, parse_scan
from loyalty_core.card.token import verify_code
from loyalty_core.member_number import normalise_member_number

from ...context import ServerContext
from ...models import CardCredential, Member
from ...problems import Problem


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


def parse_code(ctx: ServerContext, text: str) -> CardScan | MemberNumberScan | VoucherScan:
    """What the till read: a card code, a typed member number or a voucher; 422 if none."""
    try:
        return parse_scan(text, ctx.programme.card_prefix)
    except ScanError as exc:
        raise _scan_problem(exc) from exc


def scan_time(ctx: ServerContext, scanned_at: datetime | None) -> datetime:
    """When the card was shown: now, or an offline kiosk's `scanned_at` if plausible."""
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


def verified_card(ctx: ServerContext, s: Session, scan: CardScan, at: datetime) -> CardCredential:
    """The card whose rotating code this is, valid `at`; 422 saying why otherwise.
    Whether this step was used before is the caller's to check."""
    card = s.get(CardCredential, scan.token.card_id)
    if card is None:
        raise Problem(
            422,
            "unknown-card",
            "Unknown card",
            "This card is not known here; ask the member to open the app again.",
        )
    if at < card.created_at - timedelta(seconds=ctx.settings.card_future_steps * CARD_PERIOD):
        # An offline scan dated before this card existed: a forged or mistaken scan time.
        raise Problem(
            422,
            "scan-time-invalid",
            "Scan before the card existed",
            "This scan is dated before the member's card was issued; scan the live card.",
        )
    ended = card.created_at + timedelta(seconds=ctx.settings.session_max_age_seconds)
    if (card.revoked_at is not None and card.revoked_at <= at) or ended <= at:
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


# Each step of a card's code is accepted once, so a photo of the screen is worth nothing.
CODE_REPLAYED = Problem(
    409,
    "token-replayed",
    "Code already used",
    "This card code was already used; ask the member to show the live card.",
)


# Built once per process; each call binds the number.
_MEMBER_BY_NUMBER = select(Member).where(Member.number == bindparam("number"))
_MEMBER_BY_NUMBER_FOR_UPDATE = _MEMBER_BY_NUMBER.with_for_update()


def member_by_number(s: Session, number: str, *, lock: bool = False) -> Member:
    """The member with this (check-digit verified) number, row-locked if `lock`; else 404."""
    member = s.scalar(
        _MEMBER_BY_NUMBER_FOR_UPDATE if lock else _MEMBER_BY_NUMBER,
        {"number": normalise_member_number(number)},
    )
    if member is None:
        raise Problem(
            404,
            "unknown-member",
            "Unknown member",
            "No member has that number; check it and try again.",
        )
    return member
