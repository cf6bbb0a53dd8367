"""The member's invitation code and what it has earned."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .wire import Wire


@dataclass(frozen=True)
class ReferralStats(Wire):
    SCHEMA: ClassVar[str] = "ReferralStats"

    invited: int
    joined: int
    rewarded: int


@dataclass(frozen=True)
class Referral(Wire):
    """The member's invitation code and link (``GET /v1/referral``)."""

    SCHEMA: ClassVar[str] = "ReferralOut"

    code: str
    link: str
    referrer_points: int
    referee_points: int
    stats: ReferralStats
    referred_by: str | None
