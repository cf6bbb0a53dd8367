"""Points for a purchase: the earn rate, the tier's multiplier, the rounding."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ..programme import Programme, Tier

_DECIMAL_ROUNDING = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}


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
