"""The member's invitation code and what it has earned."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ._json import _int, _object, _opt_str, _str


@dataclass(frozen=True)
class ReferralStats:
    SCHEMA: ClassVar[str] = "ReferralStats"

    invited: int
    joined: int
    rewarded: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ReferralStats:
        return cls(
            invited=_int(d, "invited"), joined=_int(d, "joined"), rewarded=_int(d, "rewarded")
        )


@dataclass(frozen=True)
class Referral:
    """The member's invitation code and link (``GET /v1/referral``)."""

    SCHEMA: ClassVar[str] = "ReferralOut"

    code: str
    link: str
    referrer_points: int
    referee_points: int
    stats: ReferralStats
    referred_by: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Referral:
        return cls(
            code=_str(d, "code"),
            link=_str(d, "link"),
            referrer_points=_int(d, "referrer_points"),
            referee_points=_int(d, "referee_points"),
            stats=ReferralStats.from_json(_object(d, "stats")),
            referred_by=_opt_str(d, "referred_by"),
        )
