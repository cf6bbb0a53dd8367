"""The rewards catalogue and the member's vouchers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from ._json import (
    PayloadError,
    _bool,
    _datetime,
    _int,
    _list,
    _object,
    _opt_date,
    _opt_datetime,
    _opt_int,
    _opt_str,
    _str,
    _texts,
)
from .texts import Texts


@dataclass(frozen=True)
class Reward:
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

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Reward:
        return cls(
            id=_str(d, "id"),
            name=_texts(d, "name"),
            description=_texts(d, "description"),
            terms=_texts(d, "terms"),
            category=_str(d, "category"),
            cost=_int(d, "cost"),
            stock=_opt_int(d, "stock"),
            valid_until=_opt_date(d, "valid_until"),
            image=_opt_str(d, "image"),
            min_tier=_opt_str(d, "min_tier"),
            active=_bool(d, "active"),
            updated_at=_datetime(d, "updated_at"),
        )


@dataclass(frozen=True)
class Category:
    """A tab of the catalogue."""

    SCHEMA: ClassVar[str] = "Category"

    id: str
    name: Texts

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Category:
        return cls(id=_str(d, "id"), name=_texts(d, "name"))


@dataclass(frozen=True)
class Catalogue:
    """``GET /v1/rewards``; with ``delta`` only changed ``items`` and ``removed`` ids."""

    SCHEMA: ClassVar[str] = "Catalogue"

    items: tuple[Reward, ...]
    categories: tuple[Category, ...]
    server_time: datetime
    delta: bool
    removed: tuple[str, ...]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Catalogue:
        removed = _list(d, "removed")
        if not all(isinstance(r, str) for r in removed):
            raise PayloadError("'removed' must be a list of strings")
        return cls(
            items=tuple(Reward.from_json(r) for r in _list(d, "items")),
            categories=tuple(Category.from_json(c) for c in _list(d, "categories")),
            server_time=_datetime(d, "server_time"),
            delta=_bool(d, "delta"),
            removed=tuple(removed),
        )


@dataclass(frozen=True)
class Voucher:
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

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Voucher:
        return cls(
            id=_str(d, "id"),
            code=_str(d, "code"),
            qr_payload=_str(d, "qr_payload"),
            reward_id=_str(d, "reward_id"),
            reward_name=_texts(d, "reward_name"),
            source=_str(d, "source"),
            created_at=_datetime(d, "created_at"),
            expires_at=_datetime(d, "expires_at"),
            used_at=_opt_datetime(d, "used_at"),
            status=_str(d, "status"),
        )

    def status_at(self, now: datetime) -> str:
        """``status``, but a "usable" voucher whose time has run out is "expired"."""
        if self.status == "usable" and self.expires_at <= now:
            return "expired"
        return self.status


@dataclass(frozen=True)
class VoucherList:
    """The member's vouchers (``GET /v1/vouchers``)."""

    SCHEMA: ClassVar[str] = "VoucherList"

    items: tuple[Voucher, ...]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> VoucherList:
        return cls(items=tuple(Voucher.from_json(v) for v in _list(d, "items")))


@dataclass(frozen=True)
class Redemption:
    """The server's answer to a redeem: the voucher and the balance after it."""

    SCHEMA: ClassVar[str] = "Redemption"

    voucher: Voucher
    points_spent: int
    balance: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Redemption:
        return cls(
            voucher=Voucher.from_json(_object(d, "voucher")),
            points_spent=_int(d, "points_spent"),
            balance=_int(d, "balance"),
        )
