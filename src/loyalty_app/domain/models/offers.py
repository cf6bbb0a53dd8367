"""The member's offers (``GET /v1/me/offers``) and the offers a credit applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from .texts import Texts
from .wire import Wire


@dataclass(frozen=True)
class Offer(Wire):
    """A programme offer as the member has it: what it gives, when, and whether it is on
    the card."""

    SCHEMA: ClassVar[str] = "OfferOut"

    id: str
    name: Texts
    description: Texts
    multiplier: Decimal | None
    points: int | None
    starts: date
    ends: date
    days: tuple[str, ...]
    from_hour: int | None
    until_hour: int | None
    category: str | None
    min_spend: Decimal | None
    tiers: tuple[str, ...]
    welcome: bool
    win_back: bool
    needs_activation: bool
    activated: bool
    upcoming: bool
    uses_left: int | None


@dataclass(frozen=True)
class OfferList(Wire):
    SCHEMA: ClassVar[str] = "OfferList"

    items: tuple[Offer, ...]
    time_zone: str


@dataclass(frozen=True)
class AppliedOffer(Wire):
    """An offer's bonus on a credited purchase."""

    SCHEMA: ClassVar[str] = "AppliedOffer"

    offer_id: str
    name: Texts
    points: int
