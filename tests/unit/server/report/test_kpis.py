"""The KPI arithmetic on the hand-made ledger of tests/support/report_ledger.py, tallied by
hand here; every answer below is worked out in the comment beside it. That the database
counts the same is tests/integration/server/test_report_kpis.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loyalty_server.report.kpis import (
    NO_PURCHASES,
    PointsFlow,
    PurchaseKpis,
    ReferralFunnel,
    liability,
    tier_kpis,
)
from loyalty_server.report.period import Period, period_for

# The ledger's purchases in October, tallied by hand (C's was voided and D's of 10-30 is
# after the period: neither counts). A: 5.00 at the Pier, 3.00 at Market St; B: 7.00 and
# 9.00 at the Pier; E: 4.00 at Market St. September: A 4.00 and B 6.00 at the Pier, C 10.00
# and D 2.00 at Market St.
OVERALL = PurchaseKpis(
    active=3,  # A, B, E
    active_before=4,  # A, B, C, D
    retained=2,  # A and B came back
    repeaters=2,  # A (once at each store) and B (twice at the Pier)
    purchases=5,
    sales=Decimal("28.00"),  # 5 + 3 + 7 + 9 + 4
)
PIER = PurchaseKpis(2, 2, 2, 1, 3, Decimal("21.00"))  # A and B both months; B twice
MARKET = PurchaseKpis(2, 2, 0, 0, 2, Decimal("7.00"))  # C, D in September; A, E in October


def test_overall_purchase_kpis():
    k = OVERALL
    assert k.retention == pytest.approx(2 / 4)
    assert k.churn == pytest.approx(2 / 4)  # C and D did not come back
    assert k.repeat_rate == pytest.approx(2 / 3)
    assert k.frequency == pytest.approx(5 / 3)
    assert k.average_basket == Decimal("5.60")  # 28 / 5


def test_per_store_purchase_kpis():
    assert (PIER.retention, PIER.churn, PIER.repeat_rate) == (1.0, 0.0, 0.5)
    assert (PIER.frequency, PIER.average_basket) == (1.5, Decimal("7.00"))
    assert (MARKET.retention, MARKET.churn, MARKET.repeat_rate) == (0.0, 1.0, 0.0)
    assert MARKET.average_basket == Decimal("3.50")  # (3 + 4) / 2


def test_average_basket_rounds_half_up_to_cents():
    assert PurchaseKpis(1, 0, 0, 0, 3, Decimal("10.00")).average_basket == Decimal("3.33")
    assert PurchaseKpis(1, 0, 0, 0, 8, Decimal("0.20")).average_basket == Decimal("0.03")


def test_no_purchases_gives_no_ratios_rather_than_zeros():
    k = NO_PURCHASES
    assert (k.active, k.retention, k.churn, k.repeat_rate, k.frequency, k.average_basket) == (
        0,
        None,
        None,
        None,
        None,
        None,
    )


def test_redemption_rate_and_breakage():
    # October: issued 50 + 70 + 45 + 30 + (20 + 20) + 25 + 50 + (45 + 45) = 400, a purchase
    # and its offer's bonus in brackets (C's voided 40 + 40 is not),
    # redeemed 100 + 150 + 100 = 350, expired 20.
    flow = PointsFlow(issued=400, redeemed=350, expired=20)
    assert flow.redemption_rate == pytest.approx(0.875)
    assert flow.breakage == pytest.approx(0.05)
    assert PointsFlow(0, 0, 0).redemption_rate is None


def test_liability_in_points_rewards_and_money():
    # Left now: A 20, B 25 + 45, D 45 + 10, E 20 + 20 + 25 = 210 (C's 100 expired on 10-31).
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
