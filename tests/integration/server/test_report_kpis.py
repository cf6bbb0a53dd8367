"""The report's queries on the real database (SQLite, then PostgreSQL in `dev.py test`), on
the hand-made ledger of tests/support/report_ledger.py: the answers are the ones worked out
by hand there and in tests/unit/server/report/test_kpis.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from loyalty_server.db import Database
from loyalty_server.migrate import upgrade
from loyalty_server.programme import demo_programme_path, load_programme
from loyalty_server.report.build import build_report
from loyalty_server.report.kpis import ALL_STORES
from loyalty_server.report.period import Period
from tests.support import report_ledger as ledger


@pytest.fixture
def report(database_url):
    db = Database(database_url)
    try:
        upgrade(db)
        ledger.insert(db)
        yield build_report(
            db,
            load_programme(demo_programme_path()),
            Period(*ledger.PERIOD),
            ledger.NOW,
            point_value=Decimal("0.01"),
        )
    finally:
        db.dispose()


def test_purchase_kpis_overall_and_per_store(report):
    overall = report.stores[ALL_STORES]
    assert (overall.active, overall.active_before, overall.retained) == (3, 4, 2)
    assert (overall.repeaters, overall.purchases) == (2, 5)
    assert (overall.sales, overall.average_basket) == (Decimal("28.00"), Decimal("5.60"))
    pier, market = report.stores[ledger.PIER], report.stores[ledger.MARKET]
    assert (pier.active, pier.retained, pier.repeaters, pier.sales) == (2, 2, 1, Decimal(21))
    assert (market.active, market.active_before, market.retained) == (2, 2, 0)
    before = report.stores_before[ALL_STORES]
    assert (before.active, before.active_before, before.retained) == (4, 1, 1)


def test_points_flow_liability_tiers_referrals(report):
    assert (report.points.issued, report.points.redeemed, report.points.expired) == (400, 350, 20)
    assert report.points.redemption_rate == pytest.approx(0.875)
    assert report.points_before.issued == 220  # 40 + 60 + 100 + 20 in September
    assert report.liability.points == 210
    assert report.liability.value == Decimal("2.10")
    assert report.tiers.distribution == {"green": 5, "gold": 2, "reserve": 0}
    assert (report.tiers.ups, report.tiers.downs) == (1, 2)
    funnel = report.referral
    assert (funnel.invited, funnel.joined, funnel.first_purchase) == (5, 2, 1)
    before = report.referral_before
    assert (before.invited, before.joined, before.first_purchase) == (2, 1, 0)


def test_weekly_figures_and_top_rewards(report):
    weeks = [
        (w.first, w.active, w.purchases, w.sales, w.issued, w.redeemed, w.expired)
        for w in report.weeks
    ]
    assert weeks == [
        ("2026-10-01", 2, 2, Decimal("12.00"), 165, 0, 0),  # A 50, B 70, D goodwill 45
        ("2026-10-08", 1, 1, Decimal("3.00"), 30, 100, 20),
        ("2026-10-15", 2, 2, Decimal("13.00"), 205, 0, 0),  # E 40 + 25, A 50, B 90
        ("2026-10-22", 0, 0, Decimal("0"), 0, 250, 0),  # C's purchase was voided
    ]
    top = [(r.reward_id, r.redeemed, r.points) for r in report.top_rewards]
    assert top == [("extra-shot", 2, 200), ("oat-milk", 1, 150)]  # the punch card's is not


def test_one_store_only(database_url):
    db = Database(database_url)
    try:
        upgrade(db)
        ledger.insert(db)
        only = build_report(
            db,
            load_programme(demo_programme_path()),
            Period(*ledger.PERIOD),
            ledger.NOW,
            store=ledger.MARKET,
        )
    finally:
        db.dispose()
    assert list(only.stores) == [ledger.MARKET]
    assert only.stores[ledger.MARKET].active == 2


def test_nps_per_store_and_overall_with_the_number_of_answers(report):
    # October: A 10 and B 6 and 8 at the Pier, A 9 at Market St; E's dismissal is no answer.
    nps = {store: (n.answers, n.nps) for store, n in report.nps.items()}
    assert nps == {ALL_STORES: (4, 25.0), ledger.MARKET: (1, 100.0), ledger.PIER: (3, 0.0)}
    assert list(report.nps) == [ALL_STORES, ledger.MARKET, ledger.PIER]
    # September: B 10 at the Pier, C 3 at Market St. D's 0 of 10-31 is in neither period.
    before = {store: (n.answers, n.nps) for store, n in report.nps_before.items()}
    assert before == {ALL_STORES: (2, 0.0), ledger.MARKET: (1, -100.0), ledger.PIER: (1, 100.0)}
    weeks = [(n.promoters, n.passives, n.detractors) for n in report.nps_weeks]
    assert weeks == [(1, 0, 1), (1, 0, 0), (0, 1, 0), (0, 0, 0)]


def test_offer_uptake_per_offer_that_ran_in_the_period(report):
    uptake = {
        o.offer_id: (o.reached, o.used, o.compared, o.visits, o.visits_before)
        for o in report.offers
    }
    assert uptake == {
        # B bought on Tuesday 10-20 with its bonus; 10-03 and 10-20 against 09-12.
        "double-tuesdays": (1, 1, 1, 2, 1),
        # A, B and E bought in October (C's was voided); E used it but joined on 10-14.
        "welcome": (3, 1, 0, 0, 0),
        "we-miss-you": (3, 0, 0, 0, 0),
        # B's Saturday 10-03 purchase reached it; C's bonus was withdrawn with the void.
        "gold-weekends": (1, 0, 0, 0, 0),
    }  # pastry-pairing starts in November, holiday-cheer in December: not in October
    assert [o.extra_visits for o in report.offers] == [1, None, None, None]


def test_an_offer_added_to_the_card_reached_those_who_added_it_in_its_window(database_url):
    programme = load_programme(demo_programme_path())
    moved = [
        replace(o, starts=date(2026, 10, 20)) if o.id == "pastry-pairing" else o
        for o in programme.offers
    ]
    db = Database(database_url)
    try:
        upgrade(db)
        ledger.insert(db)
        report = build_report(
            db,
            replace(programme, offers=tuple(moved)),
            Period(*ledger.PERIOD),
            ledger.NOW,
        )
    finally:
        db.dispose()
    pastry = next(o for o in report.offers if o.offer_id == "pastry-pairing")
    assert (pastry.window.first, pastry.window.last) == (date(2026, 10, 20), date(2026, 10, 28))
    # D added it on 10-10 (before it ran: still reached); A on 10-30, after its window.
    assert (pastry.activate, pastry.reached, pastry.used) == (True, 1, 0)
