"""The KPI arithmetic, pure: facts in, figures out. `DEFINITIONS` says what each one means;
the report prints them under its table.

A purchase is a purchase credit that was not voided; a member is *active* in a period when
they made at least one. The counts come from the database (`queries`); the KPIs here are
what is worked out from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from .period import Period

ALL_STORES = None
#: The store of a purchase booked without a staff credential (demo data, imports).
NO_STORE = ""


def ratio(part: float, whole: float) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PurchaseKpis:
    """Purchase counts of one period, at one store or all, and the KPIs they give."""

    active: int
    active_before: int
    retained: int
    repeaters: int
    purchases: int
    sales: Decimal

    @property
    def retention(self) -> float | None:
        return ratio(self.retained, self.active_before)

    @property
    def churn(self) -> float | None:
        return ratio(self.active_before - self.retained, self.active_before)

    @property
    def repeat_rate(self) -> float | None:
        return ratio(self.repeaters, self.active)

    @property
    def frequency(self) -> float | None:
        return ratio(self.purchases, self.active)

    @property
    def average_basket(self) -> Decimal | None:
        return _money(self.sales / self.purchases) if self.purchases else None


NO_PURCHASES = PurchaseKpis(0, 0, 0, 0, 0, Decimal(0))


@dataclass(frozen=True)
class PointsFlow:
    """Points that moved in a period."""

    issued: int
    redeemed: int
    expired: int

    @property
    def redemption_rate(self) -> float | None:
        return ratio(self.redeemed, self.issued)

    @property
    def breakage(self) -> float | None:
        return ratio(self.expired, self.issued)


@dataclass(frozen=True)
class Liability:
    """Points members hold, and what they are worth."""

    points: int
    #: The average points cost of the rewards in the catalogue (None: no rewards).
    reward_cost: float | None
    #: What one point costs the shop, when the owner says (`--point-value`).
    point_value: Decimal | None = None

    @property
    def rewards_owed(self) -> float | None:
        return ratio(self.points, self.reward_cost or 0)

    @property
    def value(self) -> Decimal | None:
        return None if self.point_value is None else _money(self.points * self.point_value)


def liability(
    outstanding: int, reward_costs: Sequence[int], point_value: Decimal | None
) -> Liability:
    """Outstanding points valued at the catalogue's average reward cost."""
    cost = ratio(sum(reward_costs), len(reward_costs))
    return Liability(outstanding, cost, point_value)


@dataclass(frozen=True)
class TierKpis:
    #: Members per tier code, lowest tier first.
    distribution: dict[str, int]
    #: Moves in the period: (from, to) → members.
    moves: dict[tuple[str, str], int] = field(default_factory=dict)
    ups: int = 0
    downs: int = 0


def tier_kpis(
    members_per_tier: Mapping[str, int], moves: Mapping[tuple[str, str], int], ladder: Sequence[str]
) -> TierKpis:
    """The distribution in ladder order (tiers no longer in the programme last), and moves
    split into ups and downs by the ladder."""
    rank = {code: i for i, code in enumerate(ladder)}
    order = sorted(members_per_tier.keys() | set(ladder), key=lambda c: (rank.get(c, len(rank)), c))
    ups = sum(n for (a, b), n in moves.items() if rank.get(b, -1) > rank.get(a, -1))
    return TierKpis(
        distribution={code: members_per_tier.get(code, 0) for code in order},
        moves=dict(sorted(moves.items())),
        ups=ups,
        downs=sum(moves.values()) - ups,
    )


@dataclass(frozen=True)
class ReferralFunnel:
    invited: int
    joined: int
    first_purchase: int

    @property
    def join_rate(self) -> float | None:
        return ratio(self.joined, self.invited)

    @property
    def purchase_rate(self) -> float | None:
        return ratio(self.first_purchase, self.joined)


@dataclass(frozen=True)
class WeekFigures:
    """One week of the period, for the charts."""

    first: str
    active: int
    purchases: int
    sales: Decimal
    issued: int
    redeemed: int
    expired: int


@dataclass(frozen=True)
class TopReward:
    reward_id: str
    name: str
    redeemed: int
    points: int


#: The lowest scores of a promoter and of a passive; below these, a detractor.
PROMOTER_FROM, PASSIVE_FROM = 9, 7


def nps_group(score: int) -> str:
    """Where an answer (0-10) to "how likely are you to recommend us?" falls."""
    if not 0 <= score <= 10:
        raise ValueError(f"a score is 0 to 10, not {score}")
    if score >= PROMOTER_FROM:
        return "promoter"
    return "passive" if score >= PASSIVE_FROM else "detractor"


@dataclass(frozen=True)
class NpsCounts:
    """Answers of a period (at one store or all): dismissals are not answers."""

    promoters: int  # 9-10
    passives: int  # 7-8
    detractors: int  # 0-6

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> float | None:
        """Promoters minus detractors, in per cent of the answers (−100 to 100)."""
        share = ratio(self.promoters - self.detractors, self.answers)
        return None if share is None else share * 100

    def __add__(self, other: NpsCounts) -> NpsCounts:
        return NpsCounts(
            self.promoters + other.promoters,
            self.passives + other.passives,
            self.detractors + other.detractors,
        )


NO_ANSWERS = NpsCounts(0, 0, 0)


def nps_of(scores: Sequence[int]) -> NpsCounts:
    groups = [nps_group(score) for score in scores]
    return NpsCounts(*(groups.count(g) for g in ("promoter", "passive", "detractor")))


def offer_window(starts: date, ends: date, period: Period) -> Period | None:
    """The offer's days that fall in the period (None: it did not run in it)."""
    first, last = max(starts, period.first), min(ends, period.last)
    return Period(first, last) if first <= last else None


def running_spans(
    window: Period,
    zone: str,
    days: Sequence[int] = (),
    hours: tuple[int, int] | None = None,
) -> list[tuple[datetime, datetime]]:
    """The moments (UTC, end excluded) an offer ran in its window: on its days of the week
    (`date.weekday()` numbers; none: every day) and between its hours of the shop's clock;
    touching spans joined."""
    spans: list[tuple[datetime, datetime]] = []
    local = ZoneInfo(zone)
    day = window.first
    while day <= window.last:
        if not days or day.weekday() in days:
            start, until = hours if hours is not None else (0, 24)
            begin = datetime.combine(day, time(start), local)
            end = datetime.combine(day + timedelta(days=until // 24), time(until % 24), local)
            span = (begin.astimezone(UTC), end.astimezone(UTC))
            if spans and spans[-1][1] == span[0]:
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
        day += timedelta(days=1)
    return spans


@dataclass(frozen=True)
class OfferUptake:
    """One offer in the period: who it reached, who used it, and the visits around it."""

    offer_id: str
    name: str
    #: An offer the member adds to the card first (reached: those who did).
    activate: bool
    window: Period
    reached: int
    used: int
    #: Members who used it and had joined before the window before it: their purchases in
    #: the window, and in the equally long window just before.
    compared: int
    visits: int
    visits_before: int

    @property
    def use_rate(self) -> float | None:
        return ratio(self.used, self.reached)

    @property
    def extra_visits(self) -> int | None:
        return self.visits - self.visits_before if self.compared else None


DEFINITIONS: dict[str, str] = {
    "Purchase": "a purchase credit booked at a till and not voided; its store is the store "
    "of the staff credential that booked it",
    "Active members": "members with at least one purchase in the period",
    "Retention": "members active in the previous period who are active in this one, "
    "÷ members active in the previous period",
    "Churn": "members active in the previous period who made no purchase in this one, "
    "÷ members active in the previous period (1 − retention)",
    "Repeat-purchase rate": "members with 2 or more purchases ÷ members with at least 1",
    "Purchase frequency": "purchases ÷ active members",
    "Average basket": "purchase amounts ÷ purchases, in the programme's currency",
    "Points issued": "points credited in the period (purchases, bonuses, goodwill), less "
    "credits voided since",
    "Redemption rate": "points spent on rewards in the period ÷ points issued in the period",
    "Breakage": "points expired in the period ÷ points issued in the period",
    "Points liability": "points members hold now (earned, not spent, not expired, pending "
    "ones included); valued at the catalogue's average reward cost in points, i.e. the "
    "number of average rewards they would buy, and in money when --point-value (what one "
    "point costs the shop) is given",
    "Tier distribution": "members per tier now",
    "Tier movements": "tier changes in the period: up at a purchase, down at requalification "
    "or when a void takes a purchase back",
    "Referral conversion": "invited: referral-link visitors (one per network a day); joined: "
    "members who joined in the period with a referral code; first purchase: those of them "
    "who have made a purchase",
    "Top rewards": "rewards redeemed with points in the period, most redeemed first",
    "NPS": 'net promoter score of the answers given in the period to "how likely are you '
    "to recommend us?\" (asked after a purchase, kept with that purchase's store): "
    "promoters (9-10) minus detractors (0-6), in per cent of the answers, from −100 to 100; "
    "a question dismissed without a score is not an answer",
    "Offer window": "the days of an offer (in the programme file now) that fall in the "
    "period; offers that did not run in the period are left out",
    "Offer reached": "for an offer added to the card first: members who had added it by the "
    "end of its window; for the others: members who made a purchase while it ran (its days "
    "and hours in the window), whether or not they were in its audience (tiers, new or "
    "lapsed members) or met its spend or category — the ledger does not keep who was, then",
    "Offer used": "members with at least one bonus line from the offer in its window, not voided",
    "Offer extra visits": "purchases in the window by the members who used it, minus their "
    "purchases in an equally long window just before; only members who had joined before "
    "that earlier window start are compared (a member who joined since could not buy in it). "
    "A before-and-after difference with no control group: a season or a holiday moves it "
    "too, so it shows whether users came more often, not that the offer made them",
}
