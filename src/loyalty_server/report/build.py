"""The report: its facts read in one read transaction, then the KPIs worked out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..db import Database
from ..programme import Programme
from . import queries
from .kpis import (
    NO_PURCHASES,
    Liability,
    PointsFlow,
    PurchaseKpis,
    ReferralFunnel,
    TierKpis,
    TopReward,
    WeekFigures,
    liability,
    tier_kpis,
)
from .period import Period

TOP_REWARDS = 10


@dataclass(frozen=True)
class Report:
    programme: str
    currency: str
    period: Period
    previous: Period
    generated_at: datetime
    #: Per store and over all stores (key None): this period, and the previous one.
    stores: dict[str | None, PurchaseKpis]
    stores_before: dict[str | None, PurchaseKpis]
    points: PointsFlow
    points_before: PointsFlow
    liability: Liability
    tiers: TierKpis
    referral: ReferralFunnel
    referral_before: ReferralFunnel
    weeks: list[WeekFigures]
    top_rewards: list[TopReward]


def build_report(
    db: Database,
    programme: Programme,
    period: Period,
    now: datetime,
    *,
    store: str | None = None,
    point_value: Decimal | None = None,
) -> Report:
    """Everything the report shows. `store`: per-store figures for that store only (the
    programme-wide figures stay programme-wide: points are spent and expire across stores)."""
    zone = programme.time_zone
    previous = period.previous()
    before_previous = previous.previous()
    weeks = period.weeks()
    end = period.end(zone)
    with db.read() as s:
        queries.roomy(s)
        seen = queries.activity(
            s,
            [before_previous.start(zone), previous.start(zone)],
            [w.start(zone) for w in weeks],
            end,
        )
        outstanding = queries.outstanding_points(s, now)
        tiers = tier_kpis(
            queries.members_per_tier(s),
            queries.tier_moves(s, period.start(zone), end),
            [t.code for t in programme.tiers],
        )
        referral = queries.referral_funnel(s, period.start(zone), end)
        referral_before = queries.referral_funnel(s, previous.start(zone), previous.end(zone))
        redeemed = queries.redeemed_rewards(s, period.start(zone), end)
    stores, stores_before = seen.stores, seen.stores_before
    if store is not None:
        stores = {store: stores.get(store, NO_PURCHASES)}
        stores_before = {store: stores_before.get(store, NO_PURCHASES)}
    week_figures = [
        WeekFigures(
            first=week.first.isoformat(),
            active=active,
            purchases=purchases,
            sales=sales,
            issued=flow.issued,
            redeemed=flow.redeemed,
            expired=flow.expired,
        )
        for week, (active, purchases, sales, flow) in zip(weeks, seen.weeks, strict=True)
    ]
    return Report(
        programme=programme.brand.name["en"],
        currency=programme.currency,
        period=period,
        previous=previous,
        generated_at=now,
        stores=stores,
        stores_before=stores_before,
        points=PointsFlow(
            sum(w.issued for w in week_figures),
            sum(w.redeemed for w in week_figures),
            sum(w.expired for w in week_figures),
        ),
        points_before=seen.flow_before,
        liability=liability(outstanding, [r.cost for r in programme.rewards], point_value),
        tiers=tiers,
        referral=referral,
        referral_before=referral_before,
        weeks=week_figures,
        top_rewards=[
            TopReward(rid, _reward_name(programme, rid), n, pts)
            for rid, n, pts in redeemed[:TOP_REWARDS]
        ],
    )


def _reward_name(programme: Programme, reward_id: str) -> str:
    reward = programme.reward(reward_id)
    return reward.name["en"] if reward is not None else f"{reward_id} (no longer offered)"
