"""The shop's programme and brand (`GET /v1/programme`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from .texts import Texts
from .wire import Wire


@dataclass(frozen=True)
class Programme(Wire):
    """The shop's programme and brand (``GET /v1/programme``)."""

    SCHEMA: ClassVar[str] = "ProgrammeOut"

    id: str
    name: Texts
    primary_colour: str
    logo: str | None
    currency: str
    currency_decimals: int
    earn_points_per_unit: Decimal
    card_prefix: str
    card_period: int
    card_digits: int
    expiry_months: int | None  # None: points never expire
    max_purchase_amount: Decimal
    demo: bool
    birthday_points: int | None = None  # None: no birthday bonus
