"""What the till sees: the staff member, a scanned member, and the answers to its actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ._json import _bool, _decimal, _float, _int, _list, _object, _str
from .member import PunchCard
from .rewards import Voucher
from .tiers import TierRef


@dataclass(frozen=True)
class StaffMe:
    """Who a staff credential belongs to (``GET /v1/checkout/whoami``)."""

    SCHEMA: ClassVar[str] = "StaffMe"

    staff_id: str
    name: str
    store: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> StaffMe:
        return cls(staff_id=_str(d, "staff_id"), name=_str(d, "name"), store=_str(d, "store"))


@dataclass(frozen=True)
class CheckoutMember:
    """A scanned or looked-up member: no more personal data than the cashier needs."""

    SCHEMA: ClassVar[str] = "CheckoutMember"

    member_id: str
    display_name: str
    member_number: str
    tier: TierRef
    balance: int
    vouchers: tuple[Voucher, ...]
    next_tier: TierRef | None
    points_to_next: int
    tier_fraction: float

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CheckoutMember:
        next_tier = d.get("next_tier") if isinstance(d, Mapping) else None
        return cls(
            member_id=_str(d, "member_id"),
            display_name=_str(d, "display_name"),
            member_number=_str(d, "member_number"),
            tier=TierRef.from_json(_object(d, "tier")),
            balance=_int(d, "balance"),
            vouchers=tuple(Voucher.from_json(v) for v in _list(d, "vouchers")),
            next_tier=None if next_tier is None else TierRef.from_json(next_tier),
            points_to_next=_int(d, "points_to_next"),
            tier_fraction=_float(d, "tier_fraction"),
        )


@dataclass(frozen=True)
class CreditResult:
    """A purchase credited: the points and why, and what else it brought."""

    SCHEMA: ClassVar[str] = "CreditResult"

    credit_id: int
    member_id: str
    display_name: str
    purchase_amount: Decimal
    currency: str
    base_points: int
    bonus_points: int
    points: int
    multiplier: Decimal
    tier: TierRef
    tier_change: str
    balance: int
    punch_card: PunchCard | None
    voucher_issued: Voucher | None
    referral_bonus: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CreditResult:
        punch = d.get("punch_card") if isinstance(d, Mapping) else None
        voucher = d.get("voucher_issued") if isinstance(d, Mapping) else None
        return cls(
            credit_id=_int(d, "credit_id"),
            member_id=_str(d, "member_id"),
            display_name=_str(d, "display_name"),
            purchase_amount=_decimal(d, "purchase_amount"),
            currency=_str(d, "currency"),
            base_points=_int(d, "base_points"),
            bonus_points=_int(d, "bonus_points"),
            points=_int(d, "points"),
            multiplier=_decimal(d, "multiplier"),
            tier=TierRef.from_json(_object(d, "tier")),
            tier_change=_str(d, "tier_change"),
            balance=_int(d, "balance"),
            punch_card=None if punch is None else PunchCard.from_json(punch),
            voucher_issued=None if voucher is None else Voucher.from_json(voucher),
            referral_bonus=_int(d, "referral_bonus"),
        )


@dataclass(frozen=True)
class VoidResult:
    """A credit undone: the points taken back and the balance after."""

    SCHEMA: ClassVar[str] = "VoidResult"

    credit_id: int
    points_removed: int
    balance: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> VoidResult:
        return cls(
            credit_id=_int(d, "credit_id"),
            points_removed=_int(d, "points_removed"),
            balance=_int(d, "balance"),
        )


@dataclass(frozen=True)
class VoucherRedeemResult:
    """A voucher used at the till, and whose it was."""

    SCHEMA: ClassVar[str] = "VoucherRedeemResult"

    voucher: Voucher
    member_display_name: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> VoucherRedeemResult:
        return cls(
            voucher=Voucher.from_json(_object(d, "voucher")),
            member_display_name=_str(d, "member_display_name"),
        )


@dataclass(frozen=True)
class JoinResult:
    """A new member signed up at the kiosk."""

    SCHEMA: ClassVar[str] = "JoinResult"

    member_id: str
    member_number: str
    display_name: str
    app_link: str
    referral_applied: bool

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> JoinResult:
        return cls(
            member_id=_str(d, "member_id"),
            member_number=_str(d, "member_number"),
            display_name=_str(d, "display_name"),
            app_link=_str(d, "app_link"),
            referral_applied=_bool(d, "referral_applied"),
        )
