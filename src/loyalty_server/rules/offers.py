"""Which offers a member has, and what bonus the offers give a purchase.

How offers combine on one purchase: every open offer that fits the purchase and the member
applies, each as its own bonus line, except that multipliers do not stack — of several
multiplier offers only the highest pays (the first in the file on a tie), so "double points"
and "triple points" on one day give triple, never sextuple. Fixed bonuses all add up, and on
top of the one multiplier. A multiplier works on the purchase's base points (before the tier's
bonus, which is paid as before): "double points" means the base points once more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..programme import WEEKDAYS, Offer
from .earning import round_points


@dataclass(frozen=True)
class MemberFacts:
    """What decides whether an offer is aimed at a member. ``last_purchase_at``: the member's
    latest purchase before now (None: never bought); ``used``: bonuses paid per offer id."""

    tier_code: str
    joined_at: datetime
    last_purchase_at: datetime | None = None
    activated: frozenset[str] = frozenset()
    used: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PurchaseFacts:
    amount: Decimal
    base_points: int
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OfferBonus:
    offer: Offer
    points: int


@dataclass(frozen=True)
class MemberOffer:
    """An offer as one member sees it: ``upcoming`` until its first day; ``activated`` once
    added to the card (always False for offers that need no activation)."""

    offer: Offer
    upcoming: bool
    activated: bool
    uses_left: int | None


def shop_time(now: datetime, time_zone: str) -> datetime:
    """``now`` on the shop's clock: offers' dates, days and hours are the shop's."""
    return now.astimezone(ZoneInfo(time_zone))


def open_at(offer: Offer, local: datetime) -> bool:
    """Whether the offer runs at this moment of the shop's clock (dates, days, hours)."""
    if not offer.starts <= local.date() <= offer.ends:
        return False
    if offer.days and WEEKDAYS[local.weekday()] not in offer.days:
        return False
    if offer.from_hour is not None and offer.until_hour is not None:
        return offer.from_hour <= local.hour < offer.until_hour
    return True


def fits_purchase(offer: Offer, purchase: PurchaseFacts) -> bool:
    if offer.min_spend is not None and purchase.amount < offer.min_spend:
        return False
    return offer.category is None or offer.category in purchase.categories


def aimed_at(offer: Offer, member: MemberFacts, now: datetime) -> bool:
    """The offer's audience (tiers, new or lapsed members) includes the member, and the
    member has uses of it left."""
    if offer.tiers and member.tier_code not in offer.tiers:
        return False
    joined_for = now - member.joined_at
    if offer.new_members_days is not None and joined_for >= timedelta(days=offer.new_members_days):
        return False
    if offer.lapsed_days is not None:
        last = member.last_purchase_at
        if last is None or now - last < timedelta(days=offer.lapsed_days):
            return False
    return offer.uses is None or member.used.get(offer.id, 0) < offer.uses


def may_be_aimed_at(
    offer: Offer, tier_code: str, joined_at: datetime, has_bought: bool, now: datetime
) -> bool:
    """:func:`aimed_at` as far as the member's own row tells (tier, joining, ever bought):
    False means it is certainly not aimed at them, with nothing else to read."""
    facts = MemberFacts(tier_code=tier_code, joined_at=joined_at, last_purchase_at=None)
    if offer.lapsed_days is not None:
        return has_bought and aimed_at(replace(offer, lapsed_days=None, uses=None), facts, now)
    return aimed_at(replace(offer, uses=None), facts, now)


def open_offers(
    offers: Iterable[Offer], purchase: PurchaseFacts, now: datetime, time_zone: str
) -> list[Offer]:
    """The offers running now that fit the purchase, before looking at who buys: when this is
    empty (most purchases) nothing about the member needs reading."""
    local = shop_time(now, time_zone)
    return [o for o in offers if open_at(o, local) and fits_purchase(o, purchase)]


def offer_bonuses(
    candidates: Iterable[Offer],
    member: MemberFacts,
    purchase: PurchaseFacts,
    now: datetime,
    rounding: str,
) -> list[OfferBonus]:
    """The bonus lines of a purchase from ``candidates`` (see :func:`open_offers`), in file
    order: the best multiplier and every fixed bonus aimed at the member (an offer that
    must be activated only once it is). A bonus that rounds to 0 points is left out."""
    paying = [
        o
        for o in candidates
        if aimed_at(o, member, now) and (not o.activate or o.id in member.activated)
    ]
    multipliers = [o for o in paying if o.multiplier is not None]
    best = max(multipliers, key=lambda o: o.multiplier, default=None)  # first on a tie
    bonuses = []
    for offer in paying:
        if offer.multiplier is not None:
            if offer is not best:
                continue
            points = round_points(purchase.base_points * (offer.multiplier - 1), rounding)
        else:
            points = offer.points or 0
        if points > 0:
            bonuses.append(OfferBonus(offer=offer, points=points))
    return bonuses


def member_offers(
    offers: Iterable[Offer], member: MemberFacts, now: datetime, time_zone: str
) -> list[MemberOffer]:
    """The offers a member has: running or still to come, aimed at them, with uses left.
    Running ones first, then upcoming by first day; file order otherwise."""
    today = shop_time(now, time_zone).date()
    found = [
        MemberOffer(
            offer=o,
            upcoming=o.starts > today,
            activated=o.activate and o.id in member.activated,
            uses_left=None if o.uses is None else o.uses - member.used.get(o.id, 0),
        )
        for o in offers
        if o.ends >= today and aimed_at(o, member, now)
    ]
    return sorted(found, key=lambda m: (m.upcoming, m.offer.starts if m.upcoming else today))
