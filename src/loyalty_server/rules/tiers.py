"""Tiers: up at once when the points reach the next one, down only at requalification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from .months import add_months


class TierLike(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def qualifying_points(self) -> int: ...


T = TypeVar("T", bound=TierLike)


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


def tier_unchanged_below(
    tiers: Sequence[TierLike],
    current_code: str,
    requalify_at: datetime | None,
    qualifying_ceiling: int,
    now: datetime,
) -> bool:
    """Whether :func:`evaluate_tier` keeps ``current_code`` and ``requalify_at`` as they are
    ("none") for any qualifying points up to ``qualifying_ceiling``: no higher tier is within
    reach and no requalification is due. Then the window's points need not be summed (the
    member's qualifying points ever booked are such a ceiling)."""
    ordered = _ordered(tiers)
    codes = [tier.code for tier in ordered]
    if current_code not in codes:
        return False
    rank = codes.index(current_code)
    if rank + 1 < len(ordered) and qualifying_ceiling >= ordered[rank + 1].qualifying_points:
        return False
    if rank == 0:
        return requalify_at is None
    return requalify_at is not None and now < requalify_at


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
