"""The signed-in member (`GET /v1/me`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from ._json import (
    _date,
    _datetime,
    _decimal,
    _get,
    _int,
    _list,
    _object,
    _opt_date,
    _opt_str,
    _str,
    _texts,
)
from .texts import Texts


@dataclass(frozen=True)
class ExpiringPoints:
    """``points`` that expire on the (UTC) day ``on``."""

    SCHEMA: ClassVar[str] = "ExpiringPoints"

    points: int
    on: date

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ExpiringPoints:
        return cls(points=_int(d, "points"), on=_date(_get(d, "on"), "on"))


@dataclass(frozen=True)
class PunchCard:
    """The stamp card: ``stamps`` of ``of``; a full card gives a voucher for ``reward_id``."""

    SCHEMA: ClassVar[str] = "PunchCardState"

    stamps: int
    of: int
    reward_id: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> PunchCard:
        return cls(stamps=_int(d, "stamps"), of=_int(d, "of"), reward_id=_str(d, "reward_id"))


@dataclass(frozen=True)
class Member:
    """The signed-in member (``GET /v1/me``)."""

    SCHEMA: ClassVar[str] = "Me"

    member_id: str
    number: str  # 12 digits, see loyalty_core.member_number
    name: str
    email: str | None
    phone: str | None
    language: str
    birthday: date | None
    joined_at: datetime
    tier_code: str
    tier_name: Texts
    tier_colour: str
    tier_multiplier: Decimal
    balance: int
    pending: int
    expiring: tuple[ExpiringPoints, ...]
    punch_card: PunchCard | None
    is_demo: bool = False

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Member:
        tier = _object(d, "tier")
        punch = d.get("punch_card") if isinstance(d, Mapping) else None
        return cls(
            member_id=_str(d, "member_id"),
            number=_str(d, "member_number"),
            name=_str(d, "name"),
            email=_opt_str(d, "email"),
            phone=_opt_str(d, "phone"),
            language=_str(d, "language"),
            birthday=_opt_date(d, "birthday"),
            joined_at=_datetime(d, "joined_at"),
            tier_code=_str(tier, "code"),
            tier_name=_texts(tier, "name"),
            tier_colour=_str(tier, "colour"),
            tier_multiplier=_decimal(tier, "multiplier"),
            balance=_int(d, "balance"),
            pending=_int(d, "pending"),
            expiring=tuple(ExpiringPoints.from_json(e) for e in _list(d, "expiring")),
            punch_card=None if punch is None else PunchCard.from_json(punch),
            is_demo=bool(d.get("is_demo", False)),
        )
