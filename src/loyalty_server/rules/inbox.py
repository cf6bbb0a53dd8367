"""The member's inbox: the messages the programme sends, derived from what the server knows.

Each message has an id that names its event (``points-expiring:2026-12-05``,
``voucher-expiring:<voucher id>``), so the same event always gives the same id: read and
dismissed state is kept per id, and a reminder e-mail is sent once per id. Each kind is one
small function over plain facts; `inbox` runs them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..programme import WEEKDAYS, Offer
from .months import add_months
from .offers import MemberOffer, shop_time

#: Points that expire within this many days are announced.
POINTS_EXPIRY_DAYS = 30
#: A usable voucher that expires within this many days is announced.
VOUCHER_EXPIRY_DAYS = 7
#: A tier reached is news for this many days.
TIER_REACHED_DAYS = 30
#: A tier that the points will not keep is announced this many days before requalification.
TIER_AT_RISK_DAYS = 30

#: An offer is announced this many days before its run starts.
OFFER_NOTICE_DAYS = 3

#: The kinds of message, in the words of the contract.
KINDS = (
    "offer",
    "points_expiring",
    "voucher_expiring",
    "stamp_card",
    "birthday_voucher",
    "tier_reached",
    "tier_at_risk",
)
#: The kinds that are also sent as reminder e-mails.
REMINDER_KINDS = ("points_expiring", "voucher_expiring")


@dataclass(frozen=True)
class Message:
    """One message: what happened (``kind``), when, and the values its text needs."""

    id: str
    kind: str
    at: datetime
    points: int | None = None
    on: date | None = None
    voucher_id: str | None = None
    reward_id: str | None = None
    tier_code: str | None = None
    stamps_left: int | None = None
    offer_id: str | None = None


@dataclass(frozen=True)
class VoucherFact:
    id: str
    reward_id: str
    source: str  # redeem | punch_card | birthday
    created_at: datetime
    expires_at: datetime
    used: bool


@dataclass(frozen=True)
class TierFact:
    """The member's tier as it stands: ``requalify_at`` is None for the base tier."""

    code: str
    is_base: bool
    requalify_at: datetime | None
    window_months: int
    #: The tier's threshold and the qualifying points that will still count at
    #: ``requalify_at`` (those earned after ``requalify_at - window``).
    threshold: int
    points_counting_at_requalify: int


@dataclass(frozen=True)
class StampFact:
    stamps: int
    of: int
    reward_id: str
    #: Full cards so far: a new card is a new event.
    cards_completed: int
    last_stamp_at: datetime | None


def _usable(voucher: VoucherFact, now: datetime) -> bool:
    return not voucher.used and voucher.expires_at > now


def points_expiring(expiring: Iterable[tuple[date, int]], now: datetime) -> list[Message]:
    """One message per day on which points expire within `POINTS_EXPIRY_DAYS`;
    ``expiring`` is `expiring_soon`'s answer over that many days."""
    return [
        Message(
            id=f"points-expiring:{day.isoformat()}",
            kind="points_expiring",
            # When the warning began, not `now`: the same inbox reads the same (its ETag).
            at=datetime.combine(day, time(), UTC) - timedelta(days=POINTS_EXPIRY_DAYS),
            points=points,
            on=day,
        )
        for day, points in expiring
        if points > 0
    ]


def vouchers_expiring(vouchers: Iterable[VoucherFact], now: datetime) -> list[Message]:
    """A usable voucher that expires within `VOUCHER_EXPIRY_DAYS`."""
    horizon = now + timedelta(days=VOUCHER_EXPIRY_DAYS)
    return [
        Message(
            id=f"voucher-expiring:{v.id}",
            kind="voucher_expiring",
            at=max(v.created_at, v.expires_at - timedelta(days=VOUCHER_EXPIRY_DAYS)),
            on=v.expires_at.date(),
            voucher_id=v.id,
            reward_id=v.reward_id,
        )
        for v in vouchers
        if _usable(v, now) and v.expires_at <= horizon
    ]


def birthday_vouchers(vouchers: Iterable[VoucherFact], now: datetime) -> list[Message]:
    """A birthday voucher while it can be used."""
    return [
        Message(
            id=f"birthday-voucher:{v.id}",
            kind="birthday_voucher",
            at=v.created_at,
            on=v.expires_at.date(),
            voucher_id=v.id,
            reward_id=v.reward_id,
        )
        for v in vouchers
        if v.source == "birthday" and _usable(v, now)
    ]


def stamp_card(card: StampFact | None, now: datetime) -> list[Message]:
    """The stamp card is one visit from its reward."""
    if card is None or card.of < 2 or card.stamps != card.of - 1:
        return []
    return [
        Message(
            id=f"stamp-card:{card.cards_completed + 1}",
            kind="stamp_card",
            at=card.last_stamp_at or now,
            reward_id=card.reward_id,
            stamps_left=1,
        )
    ]


def tier_messages(tier: TierFact, now: datetime) -> list[Message]:
    """A tier reached (for `TIER_REACHED_DAYS`), and a tier at risk: requalification within
    `TIER_AT_RISK_DAYS` while the points that will count then fall short of the tier."""
    if tier.is_base or tier.requalify_at is None:
        return []
    found: list[Message] = []
    reached_at = add_months(tier.requalify_at, -tier.window_months)
    if reached_at <= now < reached_at + timedelta(days=TIER_REACHED_DAYS):
        found.append(
            Message(
                id=f"tier-reached:{tier.code}:{reached_at.date().isoformat()}",
                kind="tier_reached",
                at=reached_at,
                tier_code=tier.code,
                on=tier.requalify_at.date(),
            )
        )
    warn_from = tier.requalify_at - timedelta(days=TIER_AT_RISK_DAYS)
    short = tier.threshold - tier.points_counting_at_requalify
    if warn_from <= now < tier.requalify_at and short > 0:
        found.append(
            Message(
                id=f"tier-at-risk:{tier.code}:{tier.requalify_at.date().isoformat()}",
                kind="tier_at_risk",
                at=max(warn_from, reached_at),
                tier_code=tier.code,
                on=tier.requalify_at.date(),
                points=short,
            )
        )
    return found


def offer_run(offer: Offer, today: date) -> tuple[date, date] | None:
    """The offer's run going on ``today`` or else its next one: the first and last day of a
    stretch of days in a row on which it runs (an offer without days of the week runs from
    its first day to its last; "every Tuesday" runs one day a week). None: no run is left."""
    days = {WEEKDAYS.index(d) for d in offer.days}
    if not days or len(days) == len(WEEKDAYS):
        return (offer.starts, offer.ends) if offer.ends >= today else None
    one = timedelta(days=1)
    first = max(today, offer.starts)
    while first <= offer.ends and first.weekday() not in days:
        first += one
    if first > offer.ends:
        return None
    while first - one >= offer.starts and (first - one).weekday() in days:
        first -= one
    last = first
    while last + one <= offer.ends and (last + one).weekday() in days:
        last += one
    return first, last


def offers(
    seen: Iterable[MemberOffer],
    now: datetime,
    time_zone: str,
    joined_at: datetime | None = None,
) -> list[Message]:
    """An offer for the member: one message per offer of theirs (``seen``, from
    `member_offers`: aimed at them, uses left) whose run goes on today or starts within
    `OFFER_NOTICE_DAYS` (the shop's dates), unless it is already added to the card. The id
    names the offer and the run's first day, so a weekly offer's next run is news again."""
    today = shop_time(now, time_zone).date()
    zone = ZoneInfo(time_zone)
    found = []
    for m in seen:
        if m.activated:
            continue
        run = offer_run(m.offer, today)
        if run is None or run[0] > today + timedelta(days=OFFER_NOTICE_DAYS):
            continue
        announced = datetime.combine(run[0] - timedelta(days=OFFER_NOTICE_DAYS), time(), zone)
        if joined_at is not None:
            announced = max(announced, joined_at)
        found.append(
            Message(
                id=f"offer:{m.offer.id}:{run[0].isoformat()}",
                kind="offer",
                at=announced.astimezone(UTC),
                on=run[0],
                offer_id=m.offer.id,
            )
        )
    return found


def inbox(
    now: datetime,
    *,
    expiring: Iterable[tuple[date, int]] = (),
    vouchers: Sequence[VoucherFact] = (),
    stamps: StampFact | None = None,
    tier: TierFact | None = None,
    offered: Iterable[Message] = (),
) -> list[Message]:
    """Every message due at ``now``, newest first (then by id, so the order is stable);
    ``offered``: the `offers` messages, made by the caller (they need the shop's clock)."""
    found = [
        *offered,
        *points_expiring(expiring, now),
        *vouchers_expiring(vouchers, now),
        *birthday_vouchers(vouchers, now),
        *stamp_card(stamps, now),
        *(tier_messages(tier, now) if tier is not None else ()),
    ]
    found.sort(key=lambda m: m.id)
    found.sort(key=lambda m: m.at, reverse=True)
    return found


def birthday_voucher_due(
    birthday: date | None,
    last_given_year: int | None,
    today: date,
    *,
    set_at: datetime | None = None,
    notice_days: int = 0,
) -> bool:
    """Whether the birthday voucher is due on ``today`` (the shop's local date): on the
    birthday itself (29 February: 28 February in other years) or later that year, once a
    year, for a birthday given ``notice_days`` before its month began (as for the bonus)."""
    if birthday is None:
        return False
    if last_given_year is not None and last_given_year >= today.year:
        return False
    try:
        this_year = birthday.replace(year=today.year)
    except ValueError:  # 29 February in a common year
        this_year = date(today.year, 2, 28)
    if today < this_year or today.month != this_year.month:
        return False
    if set_at is None or notice_days == 0:
        return True
    month_begins = date(today.year, this_year.month, 1)
    return set_at.date() <= month_begins - timedelta(days=notice_days)
