"""NPS and offer uptake on the hand-made ledger of tests/support/report_ledger.py, tallied by
hand here; that both databases count the same is
tests/integration/server/test_report_kpis.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from loyalty_server.report.kpis import (
    NO_ANSWERS,
    NpsCounts,
    OfferUptake,
    nps_group,
    nps_of,
    offer_window,
    running_spans,
)
from loyalty_server.report.period import Period

LA = "America/Los_Angeles"
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 28))


def test_scores_fall_into_detractors_passives_and_promoters():
    assert [nps_group(n) for n in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    with pytest.raises(ValueError, match="0 to 10"):
        nps_group(11)


def test_nps_of_october_overall_and_per_store():
    # October's answers: A 10 (Pier), B 6 (Pier), A 9 (Market), B 8 (Pier); E dismissed the
    # question (no score: not an answer) and D's 0 came after the period.
    overall = nps_of([10, 6, 9, 8])
    assert overall == NpsCounts(promoters=2, passives=1, detractors=1)
    assert overall.answers == 4
    assert overall.nps == pytest.approx(25.0)  # (2 − 1) / 4
    pier = nps_of([10, 6, 8])
    assert (pier.answers, pier.nps) == (3, 0.0)  # one promoter, one detractor
    market = nps_of([9])
    assert (market.answers, market.nps) == (1, 100.0)
    assert pier + market == overall


def test_nps_of_september_and_of_no_answers():
    # September: B 10 at the Pier, C 3 at Market St.
    assert nps_of([10, 3]).nps == 0.0
    assert nps_of([3]).nps == -100.0
    assert NO_ANSWERS.answers == 0 and NO_ANSWERS.nps is None  # not 0: nobody answered


def test_an_offer_window_is_its_days_in_the_period():
    assert offer_window(date(2026, 1, 1), date(2027, 12, 31), OCTOBER) == OCTOBER
    assert offer_window(date(2026, 10, 20), date(2026, 11, 5), OCTOBER) == Period(
        date(2026, 10, 20), date(2026, 10, 28)
    )
    assert offer_window(date(2026, 11, 1), date(2027, 1, 31), OCTOBER) is None  # pastry-pairing
    assert offer_window(date(2026, 9, 1), date(2026, 9, 30), OCTOBER) is None


def test_an_offer_that_runs_every_day_all_day_is_one_span():
    # Los Angeles is 7 hours behind UTC in October (daylight saving time).
    assert running_spans(OCTOBER, LA) == [
        (datetime(2026, 10, 1, 7, tzinfo=UTC), datetime(2026, 10, 29, 7, tzinfo=UTC))
    ]


def test_days_of_the_week_and_hours_are_the_shops_across_a_clock_change():
    # Tuesdays (weekday 1) in October: the 6th, 13th, 20th and 27th, whole days.
    tuesdays = running_spans(OCTOBER, LA, days=[1])
    assert [(a.day, a.hour, b.day, b.hour) for a, b in tuesdays] == [
        (6, 7, 7, 7),
        (13, 7, 14, 7),
        (20, 7, 21, 7),
        (27, 7, 28, 7),
    ]
    # 6 to 11 in the morning, 31 October to 2 November: the clocks go back on 1 November,
    # so the shop's 6:00 is 13:00 UTC on the 31st and 14:00 UTC after.
    mornings = running_spans(Period(date(2026, 10, 31), date(2026, 11, 2)), LA, hours=(6, 11))
    assert [(a.day, a.hour, b.hour) for a, b in mornings] == [
        (31, 13, 18),
        (1, 14, 19),
        (2, 14, 19),
    ]
    # Until midnight (24) ends at the next day's start.
    late = running_spans(Period(date(2026, 10, 3), date(2026, 10, 3)), LA, hours=(20, 24))
    assert late == [(datetime(2026, 10, 4, 3, tzinfo=UTC), datetime(2026, 10, 4, 7, tzinfo=UTC))]


def test_offer_uptake_of_double_tuesdays():
    # Reached: purchases on October's Tuesdays: only B's of 10-20. Used: B (its bonus line).
    # Compared: B joined 08-01, before the window before (09-03 to 09-30) began; B bought
    # on 10-03 and 10-20 in the window and on 09-12 before it: one extra visit.
    uptake = OfferUptake("double-tuesdays", "Double", False, OCTOBER, 1, 1, 1, 2, 1)
    assert (uptake.use_rate, uptake.extra_visits) == (1.0, 1)


def test_offer_uptake_of_welcome_has_no_extra_visits_to_show():
    # Reached: A, B and E bought in October (C's purchase was voided). Used: E, who joined on
    # 10-14, so had no window before to compare: no extra visits rather than 1.
    uptake = OfferUptake("welcome", "Welcome", False, OCTOBER, 3, 1, 0, 0, 0)
    assert uptake.use_rate == pytest.approx(1 / 3)
    assert uptake.extra_visits is None
    nobody = OfferUptake("x", "X", True, OCTOBER, 0, 0, 0, 0, 0)
    assert (nobody.use_rate, nobody.extra_visits) == (None, None)
