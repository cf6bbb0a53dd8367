"""Point lots: spending oldest first, expiry, what is pending and what expires soon."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


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
