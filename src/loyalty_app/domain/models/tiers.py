"""The tier ladder and the member's progress on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from ._json import (
    PayloadError,
    _decimal,
    _float,
    _int,
    _list,
    _opt_datetime,
    _opt_str,
    _str,
    _texts,
    _texts_value,
)
from .texts import Texts


@dataclass(frozen=True)
class Tier:
    """One rung of the tier ladder (``TierOut``)."""

    SCHEMA: ClassVar[str] = "TierOut"

    code: str
    name: Texts
    qualifying_points: int
    multiplier: Decimal
    benefits: tuple[Texts, ...]
    colour: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Tier:
        return cls(
            code=_str(d, "code"),
            name=_texts(d, "name"),
            qualifying_points=_int(d, "qualifying_points"),
            multiplier=_decimal(d, "multiplier"),
            benefits=tuple(_texts_value(b, "benefits") for b in _list(d, "benefits")),
            colour=_str(d, "colour"),
        )


@dataclass(frozen=True)
class TierLadder:
    """All tiers, lowest first (``GET /v1/tiers``)."""

    SCHEMA: ClassVar[str] = "TierLadder"

    window_months: int
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if not self.tiers:
            raise PayloadError("a tier ladder needs at least one tier")
        ordered = tuple(sorted(self.tiers, key=lambda tier: tier.qualifying_points))
        object.__setattr__(self, "tiers", ordered)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TierLadder:
        return cls(
            window_months=_int(d, "window_months"),
            tiers=tuple(Tier.from_json(t) for t in _list(d, "tiers")),
        )

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
class TierProgress:
    """The member's way to the next tier, as the server computed it (``GET /v1/me/tier``)."""

    SCHEMA: ClassVar[str] = "TierProgressOut"

    tier: str
    next_tier: str | None
    qualifying_points: int
    points_to_next: int
    fraction: float
    requalify_at: datetime | None
    window_months: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TierProgress:
        return cls(
            tier=_str(d, "tier"),
            next_tier=_opt_str(d, "next_tier"),
            qualifying_points=_int(d, "qualifying_points"),
            points_to_next=_int(d, "points_to_next"),
            fraction=_float(d, "fraction"),
            requalify_at=_opt_datetime(d, "requalify_at"),
            window_months=_int(d, "window_months"),
        )


@dataclass(frozen=True)
class TierRef:
    """A tier named in another answer (a member summary at the till, a credit's result)."""

    SCHEMA: ClassVar[str] = "TierRef"

    code: str
    name: Texts
    colour: str
    multiplier: Decimal

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TierRef:
        return cls(
            code=_str(d, "code"),
            name=_texts(d, "name"),
            colour=_str(d, "colour"),
            multiplier=_decimal(d, "multiplier"),
        )
