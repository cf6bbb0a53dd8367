"""Voiding a purchase credit: the points it gave come back off the member's balance."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ... import rules, schemas
from ...context import ServerContext
from ...models import LedgerEntry, Member, Staff
from ...problems import Problem
from ...programme import Programme
from .. import idempotency, points
from .staff import StaffPrincipal


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
        work=lambda s, member, now: _void(ctx, s, staff, member, credit_id, now),
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


def void_deadline(booked_at: datetime, programme: Programme) -> datetime:
    """Until when a credit booked at `booked_at` may be voided: the programme's window, or
    the end of that day in the shop's time zone."""
    if programme.void_window_hours is not None:
        return booked_at + timedelta(hours=programme.void_window_hours)
    local = booked_at.astimezone(ZoneInfo(programme.time_zone))
    next_day = datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)
    return next_day.astimezone(booked_at.tzinfo)


def _check_may_void(
    s: Session, staff: StaffPrincipal, entry: LedgerEntry, ctx: ServerContext, now: datetime
) -> None:
    booked_by = s.get(Staff, entry.staff_id) if entry.staff_id else None
    if booked_by is None or booked_by.store != staff.store:
        raise Problem(
            403,
            "void-not-allowed",
            "Booked by another store",
            "Only the store that booked this credit can void it.",
        )
    if now >= void_deadline(entry.created_at, ctx.programme):
        raise Problem(
            409,
            "void-too-late",
            "Too late to void",
            "The time to void this credit has passed; correct the points another way.",
        )


def _void(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    member: Member,
    credit_id: int,
    now: datetime,
) -> schemas.VoidResult:
    entry = s.get(LedgerEntry, credit_id, with_for_update=True)
    assert entry is not None
    if entry.voided_at is not None:
        raise Problem(
            409, "already-voided", "Already voided", "This purchase credit was already voided."
        )
    _check_may_void(s, staff, entry, ctx, now)
    # Take the points back from this credit's own lot first, the rest oldest-first.
    from_lot = min(entry.remaining, entry.amount)
    entry.remaining -= from_lot
    rest = entry.amount - from_lot
    # Loaded after the line above (the query flushes it), so this lot is not counted twice.
    lots = points.load_lots(s, member.id)
    if rest:
        try:
            points.take_from_lots(s, rules.allocate_spend(lots, rest, now))
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
    # The take removed exactly `rest` spendable points; the void entry itself is no lot.
    balance = points.balance_of(lots, now) - rest
    return schemas.VoidResult(credit_id=entry.id, points_removed=entry.amount, balance=balance)
