"""Pure business rules of the loyalty programme.

Nothing here reads the clock, the database or the network: the current time is always
passed in as ``now``, a timezone-aware UTC ``datetime``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar

from loyalty_server.programme import Programme, PunchCard, Tier

__all__ = [
    "InsufficientPoints",
    "Lot",
    "PurchaseEarn",
    "TierDecision",
    "TierProgress",
    "add_months",
    "allocate_spend",
    "birthday_bonus_due",
    "earn_expiry",
    "evaluate_tier",
    "expire_lots",
    "expiring_soon",
    "pending_points",
    "punch",
    "purchase_points",
    "round_points",
    "spendable",
    "tier_for_points",
    "tier_progress",
]

_DECIMAL_ROUNDING = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}


class TierLike(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def qualifying_points(self) -> int: ...


T = TypeVar("T", bound=TierLike)


# --------------------------------------------------------------------------- earning


def round_points(value: Decimal, rounding: str) -> int:
    """Round a fractional number of points to a whole number ("floor", "half_up", "ceil")."""
    try:
        mode = _DECIMAL_ROUNDING[rounding]
    except KeyError:
        raise ValueError(f"unknown rounding mode {rounding!r}") from None
    return int(value.to_integral_value(rounding=mode))


@dataclass(frozen=True)
class PurchaseEarn:
    base: int
    bonus: int
    multiplier: Decimal

    @property
    def total(self) -> int:
        return self.base + self.bonus


def purchase_points(amount: Decimal, programme: Programme, tier: Tier) -> PurchaseEarn:
    """Points for a purchase of ``amount``: base points plus the tier's bonus.

    ``base`` is ``amount * earn_points_per_unit`` rounded; ``bonus`` is
    ``base * (multiplier - 1)`` rounded, both with the programme's rounding mode.
    The amount is assumed to have been validated already.
    """
    base = round_points(amount * programme.earn_points_per_unit, programme.rounding)
    bonus = round_points(base * (tier.multiplier - 1), programme.rounding)
    return PurchaseEarn(base=base, bonus=bonus, multiplier=tier.multiplier)


# --------------------------------------------------------------------------- calendar


def add_months(dt: datetime, months: int) -> datetime:
    """``dt`` moved by ``months`` calendar months (may be negative).

    The day is clamped to the end of the target month: Jan 31 + 1 month is Feb 28
    (Feb 29 in leap years).  Time of day and timezone are kept.
    """
    index = dt.year * 12 + (dt.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    day = min(dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day)


def earn_expiry(earned_at: datetime, programme: Programme) -> datetime | None:
    """When points earned at ``earned_at`` expire; ``None`` if points never expire."""
    if programme.expiry_months is None:
        return None
    return add_months(earned_at, programme.expiry_months)


# --------------------------------------------------------------------------- point lots


@dataclass(frozen=True)
class Lot:
    """Points earned together, of which ``remaining`` are still unspent."""

    id: int
    remaining: int
    earned_at: datetime
    expires_at: datetime | None
    available_at: datetime


class InsufficientPoints(Exception):
    """A spend needs more points than the member can spend now."""

    def __init__(self, needed: int, available: int) -> None:
        self.needed = needed
        self.available = available
        super().__init__(f"needs {needed} points but only {available} are available")


def _is_spendable(lot: Lot, now: datetime) -> bool:
    return (
        lot.remaining > 0
        and lot.available_at <= now
        and (lot.expires_at is None or lot.expires_at > now)
    )


def spendable(lots: Iterable[Lot], now: datetime) -> int:
    """Points that can be spent at ``now``: available, not expired."""
    return sum(lot.remaining for lot in lots if _is_spendable(lot, now))


def allocate_spend(lots: Iterable[Lot], points: int, now: datetime) -> list[tuple[int, int]]:
    """Choose which lots pay for ``points``: soonest expiry first.

    Lots that never expire come last; ties are broken by ``earned_at`` then ``id``.
    Only lots available at ``now`` and not yet expired are used.  Returns
    ``[(lot id, points taken), ...]`` in the order taken; raises
    :class:`InsufficientPoints` if the spendable total is too small and ``ValueError``
    if ``points`` is not positive.
    """
    if points <= 0:
        raise ValueError("points to spend must be positive")
    usable = [lot for lot in lots if _is_spendable(lot, now)]
    available = sum(lot.remaining for lot in usable)
    if available < points:
        raise InsufficientPoints(needed=points, available=available)
    usable.sort(
        key=lambda lot: (
            lot.expires_at is None,
            lot.expires_at or lot.earned_at,
            lot.earned_at,
            lot.id,
        )
    )
    taken: list[tuple[int, int]] = []
    left = points
    for lot in usable:
        take = min(left, lot.remaining)
        taken.append((lot.id, take))
        left -= take
        if left == 0:
            break
    return taken


def expire_lots(lots: Iterable[Lot], now: datetime) -> list[tuple[int, int]]:
    """Lots whose points have expired at ``now``: ``[(lot id, remaining points), ...]``.

    Ordered by expiry, then id.
    """
    expired = [
        lot
        for lot in lots
        if lot.remaining > 0 and lot.expires_at is not None and lot.expires_at <= now
    ]
    expired.sort(key=lambda lot: (lot.expires_at, lot.id))
    return [(lot.id, lot.remaining) for lot in expired]


def expiring_soon(lots: Iterable[Lot], now: datetime, within_days: int) -> list[tuple[date, int]]:
    """Points that expire after ``now`` but within ``within_days`` days.

    Grouped by the (UTC) date of expiry, earliest first: ``[(date, points), ...]``.
    Pending lots are included: they become spendable before they expire.
    """
    horizon = now + timedelta(days=within_days)
    totals: dict[date, int] = {}
    for lot in lots:
        if lot.remaining <= 0 or lot.expires_at is None:
            continue
        if now < lot.expires_at <= horizon:
            day = lot.expires_at.date()
            totals[day] = totals.get(day, 0) + lot.remaining
    return sorted(totals.items())


def pending_points(lots: Iterable[Lot], now: datetime) -> int:
    """Points earned but not yet spendable (``available_at`` still in the future)."""
    return sum(lot.remaining for lot in lots if lot.remaining > 0 and lot.available_at > now)


# --------------------------------------------------------------------------- tiers


def _ordered(tiers: Sequence[T]) -> list[T]:
    if not tiers:
        raise ValueError("a programme needs at least one tier")
    return sorted(tiers, key=lambda tier: tier.qualifying_points)


def tier_for_points(tiers: Sequence[T], qualifying_points: int) -> T:
    """The highest tier whose threshold ``qualifying_points`` reaches (else the lowest)."""
    ordered = _ordered(tiers)
    reached = ordered[0]
    for tier in ordered:
        if tier.qualifying_points <= qualifying_points:
            reached = tier
    return reached


@dataclass(frozen=True)
class TierDecision:
    code: str
    requalify_at: datetime | None
    change: str  # "up", "down", "requalified" or "none"


def evaluate_tier(
    tiers: Sequence[TierLike],
    current_code: str,
    requalify_at: datetime | None,
    qualifying_points: int,
    now: datetime,
    window_months: int,
) -> TierDecision:
    """Decide a member's tier at ``now``.

    * Reaching a higher tier upgrades at once ("up"), with ``requalify_at = now + window``.
    * Before ``requalify_at`` the member never goes down ("none", date unchanged).
    * At or after ``requalify_at`` the tier is re-evaluated from ``qualifying_points``:
      a lower tier is "down", the same tier "requalified"; the new ``requalify_at`` is
      ``now + window`` — or ``None`` for the base tier, which needs no requalifying.
    * A member in the base tier stays there with ``requalify_at = None`` ("none").
    * A non-base tier without a ``requalify_at`` is treated as due for re-evaluation.
    * An unknown ``current_code`` (e.g. a tier removed from the programme) is treated as
      the base tier; the decision is then "up" or "down", never "none", so the caller
      stores the valid code.
    """
    ordered = _ordered(tiers)
    codes = [tier.code for tier in ordered]
    base = ordered[0]
    reached = tier_for_points(ordered, qualifying_points)
    reached_rank = codes.index(reached.code)

    def next_date(tier: TierLike) -> datetime | None:
        return None if tier.code == base.code else add_months(now, window_months)

    if current_code not in codes:
        change = "up" if reached_rank > 0 else "down"
        return TierDecision(reached.code, next_date(reached), change)

    current_rank = codes.index(current_code)
    if reached_rank > current_rank:
        return TierDecision(reached.code, next_date(reached), "up")
    if current_rank == 0:
        return TierDecision(current_code, None, "none")
    if requalify_at is not None and now < requalify_at:
        return TierDecision(current_code, requalify_at, "none")
    change = "down" if reached_rank < current_rank else "requalified"
    return TierDecision(reached.code, next_date(reached), change)


@dataclass(frozen=True)
class TierProgress:
    current: str
    next: str | None
    qualifying_points: int
    points_to_next: int
    fraction: float


def tier_progress(
    tiers: Sequence[TierLike], current_code: str, qualifying_points: int
) -> TierProgress:
    """How far ``qualifying_points`` are from the tier above ``current_code``.

    ``fraction`` runs from 0.0 at the current tier's threshold to 1.0 at the next one
    (clamped to [0, 1]); at the top tier ``next`` is ``None`` and ``fraction`` is 1.0.
    An unknown ``current_code`` is replaced by the tier the points reach.
    """
    ordered = _ordered(tiers)
    codes = [tier.code for tier in ordered]
    if current_code in codes:
        current = ordered[codes.index(current_code)]
    else:
        current = tier_for_points(ordered, qualifying_points)
    rank = codes.index(current.code)
    if rank == len(ordered) - 1:
        return TierProgress(current.code, None, qualifying_points, 0, 1.0)
    nxt = ordered[rank + 1]
    span = nxt.qualifying_points - current.qualifying_points
    fraction = (qualifying_points - current.qualifying_points) / span if span > 0 else 1.0
    return TierProgress(
        current=current.code,
        next=nxt.code,
        qualifying_points=qualifying_points,
        points_to_next=max(0, nxt.qualifying_points - qualifying_points),
        fraction=min(1.0, max(0.0, fraction)),
    )


# --------------------------------------------------------------------------- punch card


def punch(stamps: int, punch_card: PunchCard | None) -> tuple[int, bool]:
    """Add one stamp.  Returns ``(new stamps, reward due)``; a full card restarts at 0.

    Without a punch card in the programme nothing changes: ``(stamps, False)``.
    """
    if punch_card is None:
        return stamps, False
    stamps += 1
    if stamps >= punch_card.visits:
        return 0, True
    return stamps, False


# --------------------------------------------------------------------------- birthday


def birthday_bonus_due(birthday: date | None, last_awarded_year: int | None, now: datetime) -> bool:
    """Whether the birthday bonus should be given at ``now``.

    Due at any time during the member's birthday month (UTC), once per calendar year.
    A 29 February birthday falls in February every year.
    """
    if birthday is None or now.month != birthday.month:
        return False
    return last_awarded_year is None or last_awarded_year < now.year
