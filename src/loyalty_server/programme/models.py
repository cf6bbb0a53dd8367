"""The programme as frozen dataclasses whose field types are also the file's rules.

The classes are plain dataclasses: code that builds them directly (tests, ``replace``)
gets no validation.  Only :data:`ProgrammeFile` is validated, by
:func:`~.load.load_programme`, which is where a file becomes a programme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Strict, with_config
from pydantic_core import PydanticCustomError

from .challenges import ChallengeTable
from .constraints import (
    EXPECTED,
    Colour,
    Ident,
    Matching,
    NonEmpty,
    Number,
    Reference,
    Texts,
    Whole,
    expect,
    fail_at,
)
from .offers import OfferTable

_Rounding = Literal["floor", "half_up", "ceil"]
#: Accepted values of ``rounding``.
ROUNDING_MODES: tuple[str, ...] = get_args(_Rounding)

_MONTHS = Whole(1, 120)
_DAYS = Whole(0, 365)


_ZONE_RULE = 'must be a time zone name like "America/New_York" or "Asia/Hong_Kong"'


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(EXPECTED, _ZONE_RULE) from None
    return value


_TimeZone = Annotated[str, Strict(), AfterValidator(_known_zone), expect(_ZONE_RULE)]


def _distinct(key: str, noun: str) -> AfterValidator:
    """The items of an array must differ in ``key``."""

    def check(items: tuple[Any, ...]) -> tuple[Any, ...]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                fail_at((index, key), f'"{value}" is already used by another {noun}', value)
            seen.add(value)
        return items

    return AfterValidator(check)


def _ladder(tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
    """Tiers climb from an entry tier that every member is in."""
    if not tiers:
        raise PydanticCustomError(EXPECTED, "must list at least one tier")
    if tiers[0].qualifying_points != 0:
        fail_at(
            (0, "qualifying_points"), "must be 0 for the first tier", tiers[0].qualifying_points
        )
    for index, (lower, tier) in enumerate(pairwise(tiers), start=1):
        if tier.qualifying_points <= lower.qualifying_points:
            fail_at(
                (index, "qualifying_points"),
                f"must be greater than the previous tier's ({lower.qualifying_points}); "
                "list tiers from lowest to highest",
                tier.qualifying_points,
            )
    return tiers


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Tier:
    code: Ident
    name: Texts
    qualifying_points: Annotated[int, Whole(0)]
    multiplier: Annotated[Decimal, Number(ge=1)]
    benefits: Annotated[tuple[Texts, ...], expect("must be an array of texts")]
    colour: Colour


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Reward:
    id: Ident
    name: Texts
    description: Texts
    terms: Texts
    category: Reference
    cost: Annotated[int, Whole(1)]
    stock: Annotated[int, Whole(0)] | None = None  # None: unlimited
    # The last day the reward can be redeemed (inclusive); a TOML date, not a date-time.
    valid_until: Annotated[date, Strict(), expect("must be a date like 2027-06-30")] | None = None
    image: NonEmpty | None = None
    min_tier: Reference | None = None
    voucher_valid_days: Annotated[int, Whole(1, 3650)]


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class PunchCard:
    visits: Annotated[int, Whole(1, 100)]
    reward_id: Reference
    name: Texts


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Birthday:
    points: Annotated[int, Whole(1)]
    #: A birthday pays only if the member gave it at least this many days before the
    #: birthday month began (0: at once, even in the birthday month itself).
    notice_days: Annotated[int, _DAYS] = 30
    #: Optional: a voucher for this reward arrives on the birthday itself, once a year.
    reward_id: Reference | None = None


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Referral:
    referrer_points: Annotated[int, Whole(0)]
    referee_points: Annotated[int, Whole(0)]


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Brand:
    name: Texts
    primary_colour: Colour
    logo: NonEmpty | None = None
    # "" means: the server uses its own URL for referral links.
    link_base: Annotated[
        str,
        Matching(r"(https?://\S+)?", 'must be "" or a URL starting with http:// or https://'),
    ] = ""


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Programme:
    id: Ident
    brand: Brand
    currency: Annotated[str, Matching("[A-Z]{3}", 'must be 3 uppercase letters, e.g. "USD"')]
    earn_points_per_unit: Annotated[Decimal, Number(gt=0)]
    rounding: Annotated[
        _Rounding, expect("must be one of " + ", ".join(f'"{m}"' for m in ROUNDING_MODES))
    ]
    tiers: Annotated[tuple[Tier, ...], _distinct("code", "tier"), AfterValidator(_ladder)]
    qualifying_window_months: Annotated[int, _MONTHS]
    expiry_months: Annotated[int, _MONTHS] | None = None
    expiry_warning_days: Annotated[int, _DAYS]
    pending_hold_days: Annotated[int, _DAYS]
    referral: Referral
    rewards: Annotated[tuple[Reward, ...], _distinct("id", "reward")] = ()
    categories: Mapping[Ident, Texts]
    punch_card: PunchCard | None = None
    birthday: Birthday | None = None
    card_prefix: Annotated[
        str, Matching("[A-Z0-9]{2,8}", "must be 2-8 uppercase letters or digits")
    ]
    max_purchase_amount: Annotated[Decimal, Number(gt=0)]
    currency_decimals: Annotated[int, Whole(0, 4)]
    #: The shop's time zone: "the same day" for voids is a day in this zone.
    time_zone: _TimeZone = "UTC"
    #: How long after booking a credit may be voided; None: until the end of that day.
    void_window_hours: Annotated[int, Whole(1, 744)] | None = None
    #: Bonus-point offers (``programme.offers``), in file order.
    offers: Annotated[tuple[OfferTable, ...], _distinct("id", "offer")] = ()
    #: Challenges that award a badge (``programme.challenges``), in file order.
    challenges: Annotated[tuple[ChallengeTable, ...], _distinct("id", "challenge")] = ()

    def tier(self, code: str) -> Tier:
        """The tier with this code; ``KeyError`` if there is none."""
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise KeyError(code)

    def reward(self, id: str) -> Reward | None:
        """The reward with this id, or ``None``."""
        by_id = self.__dict__.get("_rewards_by_id")
        if by_id is None:  # frozen dataclass: cache the index beside the fields
            by_id = {r.id: r for r in self.rewards}
            object.__setattr__(self, "_rewards_by_id", by_id)
        return by_id.get(id)


def _sections_agree(programme: Programme) -> Programme:
    """The rules that tie one section of the file to another."""
    places = -programme.currency_decimals
    if programme.max_purchase_amount.as_tuple().exponent < places:  # type: ignore[operator]
        fail_at(
            ("max_purchase_amount",),
            f"must have at most {programme.currency_decimals} decimal places",
            programme.max_purchase_amount,
        )
    tier_codes = [tier.code for tier in programme.tiers]
    for index, reward in enumerate(programme.rewards):
        if reward.category not in programme.categories:
            fail_at(
                ("rewards", index, "category"),
                "must be one of the [categories]: " + ", ".join(programme.categories),
                reward.category,
            )
        if reward.min_tier is not None and reward.min_tier not in tier_codes:
            fail_at(
                ("rewards", index, "min_tier"),
                "must be one of the tier codes: " + ", ".join(tier_codes),
                reward.min_tier,
            )
    for index, offer in enumerate(programme.offers):
        if offer.category is not None and offer.category not in programme.categories:
            fail_at(
                ("offers", index, "category"),
                "must be one of the [categories]: " + ", ".join(programme.categories),
                offer.category,
            )
        for code in offer.tiers:
            if code not in tier_codes:
                fail_at(
                    ("offers", index, "tiers"),
                    "must list tier codes from: " + ", ".join(tier_codes),
                    code,
                )
    card = programme.punch_card
    if card is not None and programme.reward(card.reward_id) is None:
        fail_at(
            ("punch_card", "reward_id"),
            "must be the id of one of the [[rewards]]",
            card.reward_id,
        )
    gift = programme.birthday.reward_id if programme.birthday else None
    if gift is not None and programme.reward(gift) is None:
        fail_at(("birthday", "reward_id"), "must be the id of one of the [[rewards]]", gift)
    return programme


#: What a programme file must hold: a :class:`Programme` whose sections agree.
ProgrammeFile = Annotated[Programme, AfterValidator(_sections_agree)]
