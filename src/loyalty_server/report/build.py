"""The report: its facts read in one read transaction, then the KPIs worked out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from ..db import Database
from ..programme import WEEKDAYS, Programme
from . import queries
from .kpis import (
    NO_ANSWERS,
    NO_PURCHASES,
    Liability,
    NpsCounts,
    OfferUptake,
    PointsFlow,
    PurchaseKpis,
    ReferralFunnel,
    TierKpis,
    TopReward,
    WeekFigures,
    liability,
    offer_window,
    running_spans,
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
    #: NPS per store (the feedback's store) and over all stores (key None).
    nps: dict[str | None, NpsCounts]
    nps_before: dict[str | None, NpsCounts]
    #: Over all stores, per week of the period.
    nps_weeks: list[NpsCounts]
    offers: list[OfferUptake]


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
        answers = queries.nps_answers(
            s, [previous.start(zone), *(w.start(zone) for w in weeks)], end
        )
        offers = _offers(s, programme, period)
    nps, nps_before = _nps(answers, len(weeks), store)
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
        nps=nps,
        nps_before=nps_before,
        nps_weeks=[
            sum((n for (i, _), n in answers.items() if i == k + 1), NO_ANSWERS)
            for k in range(len(weeks))
        ],
        offers=offers,
    )


def _nps(
    answers: dict[tuple[int, str], NpsCounts], weeks: int, store: str | None
) -> tuple[dict[str | None, NpsCounts], dict[str | None, NpsCounts]]:
    """This period's and the previous one's answers, over all stores first, then per store
    (or only `store`); slice 0 is the previous period, 1 to `weeks` this one."""
    now: dict[str | None, NpsCounts] = {}
    before: dict[str | None, NpsCounts] = {}
    for (index, where), counts in answers.items():
        into = before if index == 0 else now
        for key in (None, where):
            into[key] = into.get(key, NO_ANSWERS) + counts
    names = sorted(k for k in now.keys() | before.keys() if k is not None)
    keys: list[str | None] = [store] if store is not None else [None, *names]
    return (
        {k: now.get(k, NO_ANSWERS) for k in keys},
        {k: before.get(k, NO_ANSWERS) for k in keys},
    )


def _offers(s: Session, programme: Programme, period: Period) -> list[OfferUptake]:
    """Uptake of the programme's offers that ran in the period, in file order."""
    zone = programme.time_zone
    running = []
    for offer in programme.offers:
        window = offer_window(offer.starts, offer.ends, period)
        if window is None:
            continue
        hours = None
        if offer.from_hour is not None and offer.until_hour is not None:
            hours = (offer.from_hour, offer.until_hour)
        spans = running_spans(window, zone, [WEEKDAYS.index(d) for d in offer.days], hours)
        running.append((offer, window, spans))
    # Offers paid at the till reach whoever bought while they ran: all counted in one pass.
    bought = queries.offers_reached(
        s, {offer.id: spans for offer, _, spans in running if not offer.activate}
    )
    found = []
    for offer, window, _ in running:
        reached = (
            queries.offer_activations(s, offer.id, window.end(zone))
            if offer.activate
            else bought[offer.id]
        )
        figures = queries.offer_uptake(
            s, offer.id, window.previous().start(zone), window.start(zone), window.end(zone)
        )
        found.append(
            OfferUptake(offer.id, offer.name["en"], offer.activate, window, reached, *figures)
        )
    return found


def _reward_name(programme: Programme, reward_id: str) -> str:
    reward = programme.reward(reward_id)
    return reward.name["en"] if reward is not None else f"{reward_id} (no longer offered)"
