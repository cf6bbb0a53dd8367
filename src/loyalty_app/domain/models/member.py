"""The signed-in member (`GET /v1/me`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from .texts import Texts
from .wire import Wire, wire


@dataclass(frozen=True)
class ExpiringPoints(Wire):
    """``points`` that expire on the (UTC) day ``on``."""

    SCHEMA: ClassVar[str] = "ExpiringPoints"

    points: int
    on: date


@dataclass(frozen=True)
class PunchCard(Wire):
    """The stamp card: ``stamps`` of ``of``; a full card gives a voucher for ``reward_id``."""

    SCHEMA: ClassVar[str] = "PunchCardState"

    stamps: int
    of: int
    reward_id: str


@dataclass(frozen=True)
class Member(Wire):
    """The signed-in member (``Me``); the tier's fields are flattened for the screens."""

    SCHEMA: ClassVar[str] = "Me"

    member_id: str
    number: str = wire("member_number")  # 12 digits, see loyalty_core.member_number
    name: str = wire("name")
    email: str | None = wire("email")
    phone: str | None = wire("phone")
    language: str = wire("language")
    birthday: date | None = wire("birthday")
    joined_at: datetime = wire("joined_at")
    tier_code: str = wire("tier", "code")
    tier_name: Texts = wire("tier", "name")
    tier_colour: str = wire("tier", "colour")
    tier_multiplier: Decimal = wire("tier", "multiplier")
    balance: int = wire("balance")
    pending: int = wire("pending")
    expiring: tuple[ExpiringPoints, ...] = wire("expiring")
    punch_card: PunchCard | None = wire("punch_card")
    is_demo: bool = wire("is_demo", default=False)
    email_reminders: bool = wire("email_reminders", default=True)
