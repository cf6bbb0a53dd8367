"""The shop's programme and brand (`GET /v1/programme`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ._json import _bool, _decimal, _int, _opt_int, _opt_str, _str, _texts
from .texts import Texts


@dataclass(frozen=True)
class Programme:
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

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Programme:
        return cls(
            id=_str(d, "id"),
            name=_texts(d, "name"),
            primary_colour=_str(d, "primary_colour"),
            logo=_opt_str(d, "logo"),
            currency=_str(d, "currency"),
            currency_decimals=_int(d, "currency_decimals"),
            earn_points_per_unit=_decimal(d, "earn_points_per_unit"),
            card_prefix=_str(d, "card_prefix"),
            card_period=_int(d, "card_period"),
            card_digits=_int(d, "card_digits"),
            expiry_months=_opt_int(d, "expiry_months"),
            max_purchase_amount=_decimal(d, "max_purchase_amount"),
            demo=_bool(d, "demo"),
        )
