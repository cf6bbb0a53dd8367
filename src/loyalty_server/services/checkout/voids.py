"""Voiding a purchase credit: the points it gave come back off the member's balance."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import rules, schemas
from ...context import ServerContext
from ...models import LedgerEntry, Member, Staff, Voucher
from ...problems import Problem
from ...programme import Programme
from .. import idempotency, offers, points
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
    # Read again under the member's lock (populate_existing): the copy loaded before the lock
    # may predate a concurrent void that has committed since.
    entry = s.get(LedgerEntry, credit_id, with_for_update=True, populate_existing=True)
    assert entry is not None
    if entry.voided_at is not None:
        raise Problem(
            409, "already-voided", "Already voided", "This purchase credit was already voided."
        )
    _check_may_void(s, staff, entry, ctx, now)
    undo = json.loads(entry.details).get("undo", {})
    voucher = _completed_voucher(s, undo)
    _take_back(s, member, entry, now)
    points.void_entry(member, entry, now)
    points.post(
        s,
        member,
        now,
        amount=-entry.amount,
        kind="void",
        reason="purchase_voided",
        details={"credit_id": entry.id, "store": staff.store},
    )
    removed = entry.amount + _withdraw_offer_bonuses(s, member, entry, undo, now)
    if undo.get("referral"):
        _withdraw_referral_bonus(s, member, entry, now)
    if undo.get("first_purchase"):
        member.first_purchase_at = None  # the next real purchase is the first one
    if "stamps_before" in undo:
        member.punch_stamps = undo["stamps_before"]
    if voucher is not None:
        voucher.expires_at = now  # withdrawn: the stamp that completed it is gone
    _restore_tier(ctx, s, member, undo, now)
    balance = points.balance_of(points.load_lots(s, member.id), now)
    return schemas.VoidResult(credit_id=entry.id, points_removed=removed, balance=balance)


_SPENT = Problem(
    409,
    "points-already-spent",
    "Points already spent",
    "The member has already spent these points; it cannot be voided.",
)


def _take_back(s: Session, member: Member, entry: LedgerEntry, now: datetime) -> None:
    """An entry's points off the member's balance: from its own lot first (even while still
    pending), the rest oldest-first; 409 when they were spent."""
    from_lot = min(entry.remaining, entry.amount)
    points.take_from_lot(member, entry, from_lot)
    rest = entry.amount - from_lot
    if rest:
        # Loaded after the line above (the query flushes it): this lot is not counted twice.
        try:
            allocation = rules.allocate_spend(points.load_lots(s, member.id), rest, now)
        except rules.InsufficientPoints as exc:
            raise _SPENT from exc
        points.take_from_lots(s, member, allocation)


def _completed_voucher(s: Session, undo: dict) -> Voucher | None:
    """The free-reward voucher this credit's stamp completed, unless it was used (then the
    void is refused: the reward was handed over)."""
    voucher_id = undo.get("voucher_id")
    voucher = s.get(Voucher, voucher_id, with_for_update=True) if voucher_id else None
    if voucher is not None and voucher.used_at is not None:
        raise Problem(
            409,
            "void-voucher-used",
            "Its reward was used",
            "This purchase completed a stamp card whose reward was already used.",
        )
    return voucher


def _withdraw_offer_bonuses(
    s: Session, member: Member, entry: LedgerEntry, undo: dict, now: datetime
) -> int:
    """The offers' bonus lines of a voided purchase come off too, each with its own line, and
    each offer gets its use back. Returns the points taken back."""
    taken = 0
    for bonus_id in undo.get("offer_entries", []):
        bonus = s.get(LedgerEntry, bonus_id, with_for_update=True)
        if bonus is None or bonus.voided_at is not None:
            continue
        _take_back(s, member, bonus, now)
        points.void_entry(member, bonus, now)
        details = json.loads(bonus.details)
        points.post(
            s,
            member,
            now,
            amount=-bonus.amount,
            kind="void",
            reason="offer_withdrawn",
            details={
                "credit_id": entry.id,
                "offer_id": details.get("offer_id"),
                "name": details.get("name"),
            },
        )
        offers.give_back_use(s, member.id, details.get("offer_id", ""))
        taken += bonus.amount
    return taken


def _withdraw_referral_bonus(s: Session, member: Member, entry: LedgerEntry, now: datetime) -> None:
    """A first purchase paid both sides of a referral: a void takes both bonuses back, and the
    next real first purchase pays them again."""
    paid = s.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.created_at == entry.created_at,
            LedgerEntry.reason.in_(("referral_welcome", "referral_reward")),
            LedgerEntry.member_id.in_((member.id, member.referred_by_id)),
            LedgerEntry.voided_at.is_(None),
        )
        .with_for_update()
    ).all()
    for bonus in paid:
        owner = member if bonus.member_id == member.id else points.lock_member(s, bonus.member_id)
        _take_back(s, owner, bonus, now)
        points.void_entry(owner, bonus, now)
        points.post(
            s,
            owner,
            now,
            amount=-bonus.amount,
            kind="void",
            reason="referral_withdrawn",
            details={"credit_id": entry.id},
        )
    member.referral_rewarded_at = None


def _restore_tier(
    ctx: ServerContext, s: Session, member: Member, undo: dict, now: datetime
) -> None:
    """A tier this credit reached is taken back, unless the member's other points still
    reach it; a tier held before the credit stays (down only at requalification)."""
    before = undo.get("tier_before")
    tiers = sorted(ctx.programme.tiers, key=lambda t: t.qualifying_points)
    rank = {t.code: i for i, t in enumerate(tiers)}
    if before not in rank or before == member.tier_code:
        return
    qualifying = points.qualifying_points(s, member.id, ctx.programme, now)
    reached = rules.tier_for_points(tiers, qualifying).code
    target = max(before, reached, key=rank.__getitem__)
    if rank[target] < rank.get(member.tier_code, 0):
        points.record_tier_change(s, member, target, now)
        member.tier_code = target
        if target == before:
            requalify = undo.get("requalify_before")
            member.requalify_at = datetime.fromisoformat(requalify) if requalify else None
        member.version += 1
