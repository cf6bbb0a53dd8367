"""What the tier screens show: the member's tier, the next one and how far away it is.

The arithmetic is the server's (``loyalty_server.rules.tier_progress``), redone here from
the ladder the screen draws, so the numbers always agree with the thresholds on screen
even when the ladder was fetched at another moment than the progress.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from loyalty_app.domain.models import Texts, Tier, TierLadder, TierProgress

__all__ = ["ProgressSummary", "extra_multiplier", "progress_summary"]


@dataclass(frozen=True)
class ProgressSummary:
    """The member's tier and the way to the next one.

    ``next`` is None at the top tier (then ``points_to_next`` is 0 and ``fraction`` 1.0).
    ``fraction`` runs from 0.0 at the current tier's threshold to 1.0 at the next one.
    ``requalify_at`` is when the current tier is checked again (None for the base tier,
    or when that moment has passed and the server has yet to re-check);
    ``requalify_in_days`` counts whole days to it, rounded up.
    ``benefits_next`` are the next tier's benefits, to show what reaching it brings.
    """

    current: Tier
    next: Tier | None
    qualifying_points: int
    points_to_next: int
    fraction: float
    requalify_at: datetime | None
    requalify_in_days: int | None
    benefits_next: tuple[Texts, ...]


def progress_summary(ladder: TierLadder, progress: TierProgress, now: datetime) -> ProgressSummary:
    """Combine the ladder (``/v1/tiers``) and the member's progress (``/v1/me/tier``).

    The member's tier is ``progress.tier``; a code the ladder does not know (a tier removed
    from the programme) is replaced by the tier the qualifying points reach, as the
    server does.  *now* must be timezone-aware.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    points = progress.qualifying_points
    current = ladder.get(progress.tier) or ladder.for_points(points)
    nxt = ladder.above(current)
    if nxt is None:
        points_to_next, fraction = 0, 1.0
    else:
        points_to_next = max(0, nxt.qualifying_points - points)
        span = nxt.qualifying_points - current.qualifying_points
        fraction = (points - current.qualifying_points) / span if span > 0 else 1.0
        fraction = min(1.0, max(0.0, fraction))

    requalify_at = progress.requalify_at
    if requalify_at is not None and requalify_at <= now:
        requalify_at = None
    days = None
    if requalify_at is not None:
        days = math.ceil((requalify_at - now).total_seconds() / 86400)

    return ProgressSummary(
        current=current,
        next=nxt,
        qualifying_points=points,
        points_to_next=points_to_next,
        fraction=fraction,
        requalify_at=requalify_at,
        requalify_in_days=days,
        benefits_next=nxt.benefits if nxt is not None else (),
    )


def extra_multiplier(multiplier: Decimal) -> Decimal | None:
    """The tier's earn multiplier when it changes anything (1.25 for "×1.25 points"), or
    None for 1: "×1.0 points" tells a member nothing. Trailing zeros are dropped (1.50 → 1.5)."""
    if multiplier == 1:
        return None
    value = multiplier.normalize()  # 20 would become 2E+1: whole numbers are quantized
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
