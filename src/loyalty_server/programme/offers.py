"""Offers in the programme file: bonus points for purchases that match a time, a place in the
week, a spend or a category, aimed at everyone, at some tiers, at new or at lapsed members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Strict, with_config

from .constraints import Ident, Number, Reference, Texts, Whole, expect, fail_at

_Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
#: The days of week an offer may name, Monday first (``date.weekday()`` order).
WEEKDAYS: tuple[str, ...] = get_args(_Weekday)
_Day = Annotated[_Weekday, expect("must be one of: " + ", ".join(WEEKDAYS))]
_DAY_RULE = 'must be an array of days like ["tue", "sat"]'
_Date = Annotated[date, Strict(), expect("must be a date like 2027-06-30")]


def _one_kind_and_in_order(offer: Offer) -> Offer:
    """Exactly one of multiplier and points; dates and hours in order; one audience."""
    if (offer.multiplier is None) == (offer.points is None):
        fail_at(("multiplier",), "or points: give exactly one of the two", offer.multiplier)
    if offer.ends < offer.starts:
        fail_at(("ends",), f"must not be before starts ({offer.starts})", offer.ends)
    if (offer.from_hour is None) != (offer.until_hour is None):
        fail_at(("until_hour",), "and from_hour must be given together", offer.until_hour)
    if offer.from_hour is not None and offer.until_hour <= offer.from_hour:  # type: ignore[operator]
        fail_at(("until_hour",), f"must be after from_hour ({offer.from_hour})", offer.until_hour)
    if offer.new_members_days is not None and offer.lapsed_days is not None:
        fail_at(("lapsed_days",), "cannot be given with new_members_days", offer.lapsed_days)
    return offer


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Offer:
    """A bonus on purchases. ``multiplier``: the purchase's base points times this, less the
    base (2 = double points); ``points``: a fixed bonus. Dates and hours are the shop's."""

    id: Ident
    name: Texts
    description: Texts
    multiplier: Annotated[Decimal, Number(gt=1)] | None = None
    points: Annotated[int, Whole(1)] | None = None
    starts: _Date
    ends: _Date
    days: Annotated[tuple[_Day, ...], expect(_DAY_RULE)] = ()
    from_hour: Annotated[int, Whole(0, 23)] | None = None
    until_hour: Annotated[int, Whole(1, 24)] | None = None
    category: Reference | None = None
    min_spend: Annotated[Decimal, Number(gt=0)] | None = None
    tiers: Annotated[tuple[Reference, ...], expect("must be an array of tier codes")] = ()
    new_members_days: Annotated[int, Whole(1, 3650)] | None = None
    lapsed_days: Annotated[int, Whole(1, 3650)] | None = None
    activate: Annotated[bool, Strict(), expect("must be true or false")] = False
    uses: Annotated[int, Whole(1, 1000)] | None = None


#: One [[offers]] table, with its own keys in agreement.
OfferTable = Annotated[Offer, AfterValidator(_one_kind_and_in_order)]
