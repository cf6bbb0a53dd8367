"""The tier ladder and the member's progress on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from ._json import PayloadError
from .texts import Texts
from .wire import Wire


@dataclass(frozen=True)
class Tier(Wire):
    """One rung of the tier ladder."""

    SCHEMA: ClassVar[str] = "TierOut"

    code: str
    name: Texts
    qualifying_points: int
    multiplier: Decimal
    benefits: tuple[Texts, ...]
    colour: str


@dataclass(frozen=True)
class TierLadder(Wire):
    """All tiers, lowest first (``GET /v1/tiers``)."""

    SCHEMA: ClassVar[str] = "TierLadder"

    window_months: int
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if not self.tiers:
            raise PayloadError("a tier ladder needs at least one tier")
        ordered = tuple(sorted(self.tiers, key=lambda tier: tier.qualifying_points))
        object.__setattr__(self, "tiers", ordered)

    @property
    def base(self) -> Tier:
        """The tier every member starts in."""
        return self.tiers[0]

    def get(self, code: str | None) -> Tier | None:
        """The tier with *code*, or None."""
        return next((tier for tier in self.tiers if tier.code == code), None)

    def rank(self, code: str | None) -> int | None:
        """0 for the base tier, 1 for the next, ...; None for an unknown code."""
        return next((i for i, tier in enumerate(self.tiers) if tier.code == code), None)

    def above(self, tier: Tier) -> Tier | None:
        """The next tier up from *tier* (None at the top or for a tier not in the ladder)."""
        rank = self.rank(tier.code)
        if rank is None or rank + 1 >= len(self.tiers):
            return None
        return self.tiers[rank + 1]

    def for_points(self, qualifying_points: int) -> Tier:
        """The highest tier *qualifying_points* reach (the base tier at least)."""
        reached = self.tiers[0]
        for tier in self.tiers:
            if tier.qualifying_points <= qualifying_points:
                reached = tier
        return reached


@dataclass(frozen=True)
class TierProgress(Wire):
    """The member's way to the next tier, as the server computed it (``GET /v1/me/tier``)."""

    SCHEMA: ClassVar[str] = "TierProgressOut"

    tier: str
    next_tier: str | None
    qualifying_points: int
    points_to_next: int
    fraction: float
    requalify_at: datetime | None
    window_months: int


@dataclass(frozen=True)
class TierRef(Wire):
    """A tier named in another answer (a member summary at the till, a credit's result)."""

    SCHEMA: ClassVar[str] = "TierRef"

    code: str
    name: Texts
    colour: str
    multiplier: Decimal
