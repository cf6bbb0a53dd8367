"""The KPI arithmetic on the hand-made ledger of tests/support/report_ledger.py, tallied by
hand here; every answer below is worked out in the comment beside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loyalty_server.report.kpis import (
    ALL_STORES,
    MemberPurchases,
    PointsFlow,
    ReferralFunnel,
    liability,
    purchase_kpis,
    tier_kpis,
)
from loyalty_server.report.period import Period, period_for
from tests.support.report_ledger import MARKET, PIER


def row(member: str, store: str, period: int, purchases: int, sales: str) -> MemberPurchases:
    return MemberPurchases(member, store, period, purchases, Decimal(sales))


# The ledger's purchases, tallied by hand: 0 is October, 1 September, 2 August. C's October
# purchase was voided and D's of 10-30 is after the period: neither is here.
ROWS = [
    row("A", PIER, 2, 1, "5.00"),
    row("A", PIER, 1, 1, "4.00"),
    row("B", PIER, 1, 1, "6.00"),
    row("C", MARKET, 1, 1, "10.00"),
    row("D", MARKET, 1, 1, "2.00"),
    row("A", PIER, 0, 1, "5.00"),
    row("A", MARKET, 0, 1, "3.00"),
    row("B", PIER, 0, 2, "16.00"),
    row("E", MARKET, 0, 1, "4.00"),
]


def test_overall_purchase_kpis_count_a_member_once_across_stores():
    k = purchase_kpis(ROWS)[ALL_STORES]
    assert k.active == 3  # A, B, E
    assert k.active_before == 4  # A, B, C, D in September
    assert k.retained == 2  # A and B came back
    assert k.retention == pytest.approx(2 / 4)
    assert k.churn == pytest.approx(2 / 4)  # C and D did not
    assert k.repeaters == 2  # A (once at each store) and B (twice at the Pier)
    assert k.repeat_rate == pytest.approx(2 / 3)
    assert k.purchases == 5
    assert k.frequency == pytest.approx(5 / 3)
    assert k.sales == Decimal("28.00")  # 5 + 3 + 16 + 4
    assert k.average_basket == Decimal("5.60")  # 28 / 5


def test_per_store_purchase_kpis():
    kpis = purchase_kpis(ROWS)
    pier, market = kpis[PIER], kpis[MARKET]
    # Pier: A and B in September and October; B twice in October.
    assert (pier.active, pier.active_before, pier.retained) == (2, 2, 2)
    assert (pier.retention, pier.churn, pier.repeat_rate) == (1.0, 0.0, 0.5)
    assert (pier.purchases, pier.sales, pier.average_basket) == (3, Decimal(21), Decimal("7.00"))
    # Market: C and D in September, A and E in October: nobody came back.
    assert (market.active, market.active_before, market.retained) == (2, 2, 0)
    assert (market.retention, market.churn, market.repeat_rate) == (0.0, 1.0, 0.0)
    assert market.average_basket == Decimal("3.50")  # (3 + 4) / 2


def test_previous_period_kpis_compare_with_the_period_before_it():
    k = purchase_kpis(ROWS, period=1)[ALL_STORES]
    assert (k.active, k.active_before, k.retained) == (4, 1, 1)  # only A in August
    assert k.retention == 1.0
    assert k.repeat_rate == 0.0
    assert k.average_basket == Decimal("5.50")  # 22 / 4


def test_no_purchases_gives_no_ratios_rather_than_zeros():
    k = purchase_kpis([])[ALL_STORES]
    assert (k.active, k.retention, k.churn, k.repeat_rate, k.average_basket) == (
        0,
        None,
        None,
        None,
        None,
    )


def test_redemption_rate_and_breakage():
    # October: issued 50 + 70 + 45 + 30 + 40 + 25 + 50 + 90 = 400 (the voided 80 is not),
    # redeemed 100 + 150 + 100 = 350, expired 20.
    flow = PointsFlow(issued=400, redeemed=350, expired=20)
    assert flow.redemption_rate == pytest.approx(0.875)
    assert flow.breakage == pytest.approx(0.05)
    assert PointsFlow(0, 0, 0).redemption_rate is None


def test_liability_in_points_rewards_and_money():
    # Left now: A 20, B 70, D 45 + 10, E 40 + 25 = 210 (C's 100 expired on 10-31).
    owed = liability(210, [100, 200, 300], Decimal("0.01"))
    assert owed.reward_cost == 200
    assert owed.rewards_owed == pytest.approx(1.05)
    assert owed.value == Decimal("2.10")
    assert liability(210, [], None).rewards_owed is None
    assert liability(210, [], None).value is None


def test_tier_distribution_follows_the_ladder_and_moves_split_up_and_down():
    tiers = tier_kpis(
        {"green": 5, "gold": 2},
        {("gold", "green"): 2, ("green", "gold"): 1},  # October: D and C down, B up
        ["green", "gold", "reserve"],
    )
    assert list(tiers.distribution.items()) == [("green", 5), ("gold", 2), ("reserve", 0)]
    assert (tiers.ups, tiers.downs) == (1, 2)


def test_referral_conversion():
    # October: 5 link visits, E and F joined, E bought.
    funnel = ReferralFunnel(invited=5, joined=2, first_purchase=1)
    assert (funnel.join_rate, funnel.purchase_rate) == (0.4, 0.5)


def test_default_period_is_the_last_90_days_and_the_previous_the_90_before():
    period = period_for(None, None, today=date(2026, 11, 30))
    assert (period.first, period.last, period.days) == (date(2026, 9, 2), date(2026, 11, 30), 90)
    before = period.previous()
    assert (before.first, before.last) == (date(2026, 6, 4), date(2026, 9, 1))


def test_weeks_cut_the_period_into_sevens():
    weeks = Period(date(2026, 10, 1), date(2026, 10, 30)).weeks()
    assert [(w.first.day, w.last.day) for w in weeks] == [
        (1, 7),
        (8, 14),
        (15, 21),
        (22, 28),
        (29, 30),
    ]


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends"):
        Period(date(2026, 10, 2), date(2026, 10, 1))


def test_period_days_are_local_midnights():
    period = Period(date(2026, 10, 1), date(2026, 10, 1))
    assert period.start("America/Los_Angeles").isoformat() == "2026-10-01T07:00:00+00:00"
    assert period.end("America/Los_Angeles").isoformat() == "2026-10-02T07:00:00+00:00"
