"""The ledger: posting entries, spending and expiring lots, tiers and the periodic bonuses.
Every function here runs inside the caller's transaction and never commits on its own."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, insert, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from .. import rules
from ..models import LedgerEntry, Member, TierChange
from ..problems import Problem
from ..programme import Programme
from . import vouchers

# Statements of the credit path built once per process; each call binds its values.
_INSERT_ENTRY = insert(LedgerEntry.__table__).returning(LedgerEntry.__table__.c.id)
_MEMBER_FOR_UPDATE = select(Member).where(Member.id == bindparam("member_id")).with_for_update()
_UNSPENDABLE_LOT = (
    select(LedgerEntry.id)
    .where(
        LedgerEntry.member_id == bindparam("member_id"),
        LedgerEntry.remaining > 0,
        or_(
            LedgerEntry.expires_at <= bindparam("now"),
            LedgerEntry.available_at > bindparam("now"),
            and_(LedgerEntry.available_at.is_(None), LedgerEntry.created_at > bindparam("now")),
        ),
    )
    .limit(1)
)


def lock_member(s: Session, member_id: str) -> Member:
    """Take the member's row lock (SQLite write transactions are already exclusive)."""
    member = s.scalar(_MEMBER_FOR_UPDATE, {"member_id": member_id})
    if member is None:
        raise Problem(404, "member-not-found", "Member not found", "No such member.")
    return member


def load_lots(s: Session, member_id: str) -> list[rules.Lot]:
    rows = s.execute(
        select(
            LedgerEntry.id,
            LedgerEntry.remaining,
            LedgerEntry.created_at,
            LedgerEntry.expires_at,
            LedgerEntry.available_at,
        ).where(LedgerEntry.member_id == member_id, LedgerEntry.remaining > 0)
    ).all()
    return [
        rules.Lot(
            id=r.id,
            remaining=r.remaining,
            earned_at=r.created_at,
            expires_at=r.expires_at,
            available_at=r.available_at or r.created_at,
        )
        for r in rows
    ]


def balance_of(lots: list[rules.Lot], now: datetime) -> int:
    return rules.spendable(lots, now)


def post(
    s: Session,
    member: Member,
    now: datetime,
    *,
    amount: int,
    kind: str,
    reason: str,
    details: dict[str, Any] | None = None,
    programme: Programme | None = None,
    qualifying: bool = False,
    purchase_amount: Any = None,
    staff_id: str | None = None,
) -> LedgerEntry:
    """Append one entry. Positive entries become lots with an expiry date from the programme."""
    expires_at = available_at = None
    if amount > 0 and programme is not None:
        expires_at = rules.earn_expiry(now, programme)
        available_at = now + timedelta(days=programme.pending_hold_days)
    values = {
        "member_id": member.id,
        "created_at": now,
        "amount": amount,
        "kind": kind,
        "reason": reason,
        "details": json.dumps(details or {}, default=str),
        "qualifying": qualifying,
        "remaining": max(amount, 0),
        "available_at": available_at,
        "expires_at": expires_at,
        "purchase_amount": purchase_amount,
        "staff_id": staff_id,
        "voided_at": None,
    }
    # One INSERT ... RETURNING id on the session's connection, instead of a flush of the
    # session's unit of work; the entry then joins the session as if just loaded, so a later
    # change to it (a void, its undo data) is flushed as usual.
    entry_id = s.connection().execute(_INSERT_ENTRY, values).scalar_one()
    entry = LedgerEntry(id=entry_id, **values)
    make_transient_to_detached(entry)
    s.add(entry)
    member.points_open += values["remaining"]
    if qualifying:
        member.qualifying_total += amount
    member.version += 1
    return entry


def take_from_lots(s: Session, member: Member, allocation: list[tuple[int, int]]) -> None:
    """Take points out of the member's lots (and out of its running total)."""
    for lot_id, points in allocation:
        take_from_lot(member, s.get(LedgerEntry, lot_id), points)


def take_from_lot(member: Member, lot: LedgerEntry | None, points: int) -> None:
    """`points` out of one of the member's lots, and out of the running total with it."""
    assert lot is not None and lot.member_id == member.id and lot.remaining >= points
    lot.remaining -= points
    member.points_open -= points


def void_entry(member: Member, entry: LedgerEntry, now: datetime) -> None:
    """Mark an entry of the member's voided; its qualifying points stop counting. (Its
    points come off the lots separately, and a `void` line is posted for them.)"""
    assert entry.member_id == member.id and entry.voided_at is None
    entry.voided_at = now
    if entry.qualifying:
        member.qualifying_total -= entry.amount


def spend(
    s: Session,
    member: Member,
    now: datetime,
    points: int,
    *,
    kind: str,
    reason: str,
    details: dict[str, Any],
    lots: list[rules.Lot] | None = None,
) -> LedgerEntry:
    """Spend oldest-expiring points first; 409 insufficient-points when the balance is short.
    `lots`: the member's open lots when the caller already has them (from `settle`)."""
    lots = load_lots(s, member.id) if lots is None else lots
    try:
        allocation = rules.allocate_spend(lots, points, now)
    except rules.InsufficientPoints as exc:
        raise Problem(
            409,
            "insufficient-points",
            "Not enough points",
            f"This needs {exc.needed} points; the balance is {exc.available}.",
            needed=exc.needed,
            balance=exc.available,
        ) from exc
    take_from_lots(s, member, allocation)
    return post(s, member, now, amount=-points, kind=kind, reason=reason, details=details)


def qualifying_points(
    s: Session, member_id: str, programme: Programme, now: datetime, *, up_to_now: bool = True
) -> int:
    """Qualifying points inside the window that ends at `now`. With `up_to_now=False`, `now`
    may lie ahead (a requalification date): the points booked so far that will still count
    then."""
    since = rules.add_months(now, -programme.qualifying_window_months)
    conditions = [
        LedgerEntry.member_id == member_id,
        LedgerEntry.qualifying.is_(True),
        LedgerEntry.voided_at.is_(None),
        LedgerEntry.created_at > since,
    ]
    if up_to_now:
        conditions.append(LedgerEntry.created_at <= now)
    total = s.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(*conditions))
    return int(total or 0)


def update_tier(s: Session, member: Member, programme: Programme, now: datetime) -> str:
    """Apply the tier rules; returns the change ("up", "down", "requalified" or "none").
    The window's qualifying points are summed only when the member's running total of
    qualifying points (a ceiling of any window's) could move the tier."""
    if rules.tier_unchanged_below(
        programme.tiers, member.tier_code, member.requalify_at, member.qualifying_total, now
    ):
        return "none"
    decision = rules.evaluate_tier(
        programme.tiers,
        member.tier_code,
        member.requalify_at,
        qualifying_points(s, member.id, programme, now),
        now,
        programme.qualifying_window_months,
    )
    if (decision.code, decision.requalify_at) != (member.tier_code, member.requalify_at):
        record_tier_change(s, member, decision.code, now)
        member.tier_code = decision.code
        member.requalify_at = decision.requalify_at
        member.version += 1
    return decision.change


def record_tier_change(s: Session, member: Member, to_code: str, now: datetime) -> None:
    """Note a tier move for the owner's report (nothing when the tier stays)."""
    if to_code != member.tier_code:
        s.add(
            TierChange(
                member_id=member.id, changed_at=now, from_code=member.tier_code, to_code=to_code
            )
        )


def _birthday_due(member: Member, programme: Programme, now: datetime) -> bool:
    assert programme.birthday is not None
    return rules.birthday_bonus_due(
        member.birthday,
        member.last_birthday_year,
        now,
        set_at=member.birthday_set_at,
        notice_days=programme.birthday.notice_days,
    )


def _birthday_voucher_due(member: Member, programme: Programme, now: datetime) -> bool:
    if programme.birthday is None or programme.birthday.reward_id is None:
        return False
    return rules.birthday_voucher_due(
        member.birthday,
        member.last_birthday_voucher_year,
        now.astimezone(ZoneInfo(programme.time_zone)).date(),
        set_at=member.birthday_set_at,
        notice_days=programme.birthday.notice_days,
    )


def needs_settling(s: Session, member: Member, programme: Programme, now: datetime) -> bool:
    """A cheap read: is anything due (expired lots, birthday bonus or voucher,
    requalification)?"""
    if _due_by_date(member, programme, now):
        return True
    expired = s.scalar(
        select(LedgerEntry.id)
        .where(
            LedgerEntry.member_id == member.id,
            LedgerEntry.remaining > 0,
            LedgerEntry.expires_at <= now,
        )
        .limit(1)
    )
    return expired is not None


def settle_for_earning(
    s: Session, member: Member, programme: Programme, now: datetime
) -> list[rules.Lot] | None:
    """`settle`, for a write that only adds points (a credit). None, after one indexed probe,
    when nothing is due, every open lot is spendable now and new points are spendable at
    once (no pending hold): the member's balance is then the running total `points_open`
    until the transaction ends, and no lot need be loaded. Otherwise `settle`'s lots."""
    if programme.pending_hold_days == 0 and not _due_by_date(member, programme, now):
        s.flush()  # Core on the session's connection below: whatever is pending goes first
        unspendable = s.connection().scalar(_UNSPENDABLE_LOT, {"member_id": member.id, "now": now})
        if unspendable is None:
            return None
    return settle(s, member, programme, now)


def _due_by_date(member: Member, programme: Programme, now: datetime) -> bool:
    """A requalification, birthday bonus or birthday voucher due (nothing read)."""
    if member.requalify_at is not None and member.requalify_at <= now:
        return True
    if programme.birthday and _birthday_due(member, programme, now):
        return True
    return _birthday_voucher_due(member, programme, now)


def settle(s: Session, member: Member, programme: Programme, now: datetime) -> list[rules.Lot]:
    """Expire due lots (one entry per expiry date), pay a due birthday bonus, requalify.
    Returns the member's open lots as they stand afterwards, so callers need not reload.

    An expiry is dated when the points expired (the last lot of that day), not when it is
    booked: expiry is settled lazily, on the member's next read or purchase, and the history
    must say the points went on Oct 26, not on the day someone looked. Its details say which
    day (`expired_on`) and when those points were earned (`earned_on`, the days, oldest first).
    """
    lots = load_lots(s, member.id)
    changed = False
    by_date: dict[Any, tuple[int, datetime, set[Any]]] = {}
    for lot_id, points in rules.expire_lots(lots, now):
        lot = s.get(LedgerEntry, lot_id)
        assert lot is not None and lot.expires_at is not None
        take_from_lot(member, lot, points)
        day = lot.expires_at.date()
        total, last, earned = by_date.get(day, (0, lot.expires_at, set()))
        by_date[day] = (total + points, max(last, lot.expires_at), earned | {lot.created_at.date()})
    for day, (points, expired_at, earned) in sorted(by_date.items()):
        changed = True
        post(
            s,
            member,
            min(expired_at, now),
            amount=-points,
            kind="expire",
            reason="points_expired",
            details={
                "expired_on": day.isoformat(),
                "earned_on": [d.isoformat() for d in sorted(earned)],
            },
        )
    if programme.birthday and _birthday_due(member, programme, now):
        changed = True
        member.last_birthday_year = now.year
        post(
            s,
            member,
            now,
            amount=programme.birthday.points,
            kind="bonus",
            reason="birthday_bonus",
            details={"year": now.year},
            programme=programme,
        )
    if _birthday_voucher_due(member, programme, now):
        assert programme.birthday is not None and programme.birthday.reward_id is not None
        reward = programme.reward(programme.birthday.reward_id)
        assert reward is not None  # the programme file's rules say so
        member.last_birthday_voucher_year = now.astimezone(ZoneInfo(programme.time_zone)).year
        member.version += 1
        vouchers.issue(s, member, reward, now, source="birthday", ledger_entry_id=None)
    if member.requalify_at is not None and member.requalify_at <= now:
        update_tier(s, member, programme, now)
    return load_lots(s, member.id) if changed else lots


def lot_of(entry: LedgerEntry) -> rules.Lot:
    """A just-posted positive entry as a lot."""
    return rules.Lot(
        id=entry.id,
        remaining=entry.remaining,
        earned_at=entry.created_at,
        expires_at=entry.expires_at,
        available_at=entry.available_at or entry.created_at,
    )
