"""The rewards catalogue and the member's vouchers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from .texts import Texts
from .wire import Wire


@dataclass(frozen=True)
class Reward(Wire):
    """A reward in the catalogue (``RewardOut``)."""

    SCHEMA: ClassVar[str] = "RewardOut"

    id: str
    name: Texts
    description: Texts
    terms: Texts
    category: str
    cost: int
    stock: int | None  # None: unlimited
    valid_until: date | None  # last day (inclusive, UTC) it can be redeemed
    image: str | None
    min_tier: str | None
    active: bool
    updated_at: datetime


@dataclass(frozen=True)
class Category(Wire):
    """A tab of the catalogue."""

    SCHEMA: ClassVar[str] = "Category"

    id: str
    name: Texts


@dataclass(frozen=True)
class Catalogue(Wire):
    """``GET /v1/rewards``; with ``delta`` only changed ``items`` and ``removed`` ids."""

    SCHEMA: ClassVar[str] = "Catalogue"

    items: tuple[Reward, ...]
    categories: tuple[Category, ...]
    server_time: datetime
    delta: bool
    removed: tuple[str, ...]


@dataclass(frozen=True)
class Voucher(Wire):
    """A voucher from redeeming a reward (or a full stamp card)."""

    SCHEMA: ClassVar[str] = "VoucherOut"

    id: str
    code: str
    qr_payload: str
    reward_id: str
    reward_name: Texts
    source: str  # redeem, punch_card, ...
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    status: str  # usable | used | expired (as the server saw it when it answered)

    def status_at(self, now: datetime) -> str:
        """``status``, but a "usable" voucher whose time has run out is "expired"."""
        if self.status == "usable" and self.expires_at <= now:
            return "expired"
        return self.status


@dataclass(frozen=True)
class VoucherList(Wire):
    """The member's vouchers (``GET /v1/vouchers``)."""

    SCHEMA: ClassVar[str] = "VoucherList"

    items: tuple[Voucher, ...]


@dataclass(frozen=True)
class Redemption(Wire):
    """The server's answer to a redeem: the voucher and the balance after it."""

    SCHEMA: ClassVar[str] = "Redemption"

    voucher: Voucher
    points_spent: int
    balance: int
