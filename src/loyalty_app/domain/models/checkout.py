"""What the till sees: the staff member, a scanned member, and the answers to its actions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from .member import PunchCard
from .offers import AppliedOffer
from .rewards import Voucher
from .tiers import TierRef
from .wire import Wire


@dataclass(frozen=True)
class StaffMe(Wire):
    """Who a staff credential belongs to (``GET /v1/checkout/whoami``)."""

    SCHEMA: ClassVar[str] = "StaffMe"

    staff_id: str
    name: str
    store: str


@dataclass(frozen=True)
class CheckoutMember(Wire):
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


@dataclass(frozen=True)
class CreditResult(Wire):
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
    offers: tuple[AppliedOffer, ...] = ()


@dataclass(frozen=True)
class VoidResult(Wire):
    """A credit undone: the points taken back and the balance after."""

    SCHEMA: ClassVar[str] = "VoidResult"

    credit_id: int
    points_removed: int
    balance: int


@dataclass(frozen=True)
class VoucherRedeemResult(Wire):
    """A voucher used at the till, and whose it was."""

    SCHEMA: ClassVar[str] = "VoucherRedeemResult"

    voucher: Voucher
    member_display_name: str


@dataclass(frozen=True)
class JoinResult(Wire):
    """A new member signed up at the kiosk."""

    SCHEMA: ClassVar[str] = "JoinResult"

    member_id: str
    member_number: str
    display_name: str
    app_link: str
    referral_applied: bool
