"""The KPI arithmetic, pure: facts in, figures out. `DEFINITIONS` says what each one means;
the report prints them under its table.

A purchase is a purchase credit that was not voided; a member is *active* in a period when
they made at least one. The counts come from the database (`queries`); the KPIs here are
what is worked out from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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
}
