"""Pure business rules: earning, expiry, spending, tiers, punch card, birthday."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from loyalty_server.programme import Programme, PunchCard, demo_programme_path, load_programme
from loyalty_server.rules import (
    InsufficientPoints,
    Lot,
    PurchaseEarn,
    TierDecision,
    add_months,
    allocate_spend,
    birthday_bonus_due,
    earn_expiry,
    evaluate_tier,
    expire_lots,
    expiring_soon,
    pending_points,
    plausible_birthday,
    punch,
    purchase_points,
    round_points,
    spendable,
    tier_for_points,
    tier_progress,
)

# A fixed "now" for every test: nothing in rules reads the clock.
NOW = datetime(2026, 5, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def harbor() -> Programme:
    return load_programme(demo_programme_path())


def days(n: float) -> timedelta:
    return timedelta(days=n)


def lot(
    id: int,
    remaining: int,
    *,
    earned: datetime | None = None,
    expires: datetime | None = None,
    available: datetime | None = None,
) -> Lot:
    earned = earned if earned is not None else NOW - days(30)
    return Lot(
        id=id,
        remaining=remaining,
        earned_at=earned,
        expires_at=expires,
        available_at=available if available is not None else earned,
    )


# --------------------------------------------------------------------------- earning


def test_purchase_earns_ten_points_per_dollar_rounded_down(harbor):
    earn = purchase_points(Decimal("4.55"), harbor, harbor.tier("green"))

    assert earn == PurchaseEarn(base=45, bonus=0, multiplier=Decimal("1.0"))
    assert earn.total == 45


@pytest.mark.parametrize(
    ("rounding", "amount", "base"),
    [
        ("floor", "4.59", 45),
        ("half_up", "4.55", 46),
        ("half_up", "4.549", 45),
        ("ceil", "4.51", 46),
        ("ceil", "4.50", 45),
    ],
)
def test_base_points_follow_the_programme_rounding_mode(harbor, rounding, amount, base):
    programme = dataclasses.replace(harbor, rounding=rounding)
    earn = purchase_points(Decimal(amount), programme, programme.tier("green"))

    assert (earn.base, earn.bonus) == (base, 0)


@pytest.mark.parametrize(
    ("rounding", "tier", "bonus"),
    [
        ("floor", "gold", 11),  # 45 * 0.25 = 11.25
        ("half_up", "gold", 11),
        ("ceil", "gold", 12),
        ("floor", "reserve", 22),  # 45 * 0.5 = 22.5
        ("half_up", "reserve", 23),
        ("ceil", "reserve", 23),
    ],
)
def test_tier_multiplier_adds_a_rounded_bonus(harbor, rounding, tier, bonus):
    programme = dataclasses.replace(harbor, rounding=rounding)
    earn = purchase_points(Decimal("4.50"), programme, programme.tier(tier))

    assert earn.base == 45
    assert earn.bonus == bonus
    assert earn.total == 45 + bonus
    assert earn.multiplier == programme.tier(tier).multiplier


def test_fractional_earn_rate_is_exact(harbor):
    programme = dataclasses.replace(harbor, earn_points_per_unit=Decimal("0.1"))

    assert purchase_points(Decimal("30.00"), programme, programme.tier("green")).base == 3


def test_unknown_rounding_mode_is_refused():
    with pytest.raises(ValueError, match="rounding"):
        round_points(Decimal("1.5"), "banker")


# --------------------------------------------------------------------------- calendar


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2025, 1, 31, tzinfo=UTC), 1, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 1, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2024, 2, 29, tzinfo=UTC), 12, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 2, 29, tzinfo=UTC), 48, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2025, 8, 31, tzinfo=UTC), 1, datetime(2025, 9, 30, tzinfo=UTC)),
        (datetime(2025, 12, 15, tzinfo=UTC), 1, datetime(2026, 1, 15, tzinfo=UTC)),
        (datetime(2025, 11, 30, tzinfo=UTC), 14, datetime(2027, 1, 30, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), -1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 10, tzinfo=UTC), -13, datetime(2024, 12, 10, tzinfo=UTC)),
        (datetime(2026, 5, 15, tzinfo=UTC), 0, datetime(2026, 5, 15, tzinfo=UTC)),
    ],
)
def test_add_months_clamps_to_the_end_of_shorter_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_keeps_time_of_day_and_timezone():
    plus_eight = timezone(timedelta(hours=8))
    start = datetime(2026, 1, 31, 23, 59, 58, 123, tzinfo=plus_eight)

    assert add_months(start, 1) == datetime(2026, 2, 28, 23, 59, 58, 123, tzinfo=plus_eight)


def test_points_expire_the_configured_months_after_earning(harbor):
    assert earn_expiry(datetime(2026, 1, 31, 9, tzinfo=UTC), harbor) == datetime(
        2027, 1, 31, 9, tzinfo=UTC
    )


def test_points_never_expire_without_expiry_months(harbor):
    programme = dataclasses.replace(harbor, expiry_months=None)

    assert earn_expiry(NOW, programme) is None


# --------------------------------------------------------------------------- spending


def test_points_are_spent_from_the_lot_expiring_first():
    lots = [
        lot(3, 100, expires=NOW + days(90)),
        lot(1, 100, expires=NOW + days(10)),
        lot(2, 100, expires=NOW + days(40)),
    ]

    assert allocate_spend(lots, 250, NOW) == [(1, 100), (2, 100), (3, 50)]


def test_points_that_never_expire_are_spent_last():
    lots = [
        lot(1, 100, earned=NOW - days(400), expires=None),
        lot(2, 100, earned=NOW - days(5), expires=NOW + days(300)),
    ]

    assert allocate_spend(lots, 150, NOW) == [(2, 100), (1, 50)]


def test_lots_with_the_same_expiry_are_spent_oldest_earned_first():
    same = NOW + days(20)
    lots = [
        lot(7, 100, earned=NOW - days(3), expires=same),
        lot(8, 100, earned=NOW - days(9), expires=same),
        lot(5, 100, earned=NOW - days(30), expires=None),
        lot(4, 100, earned=NOW - days(50), expires=None),
    ]

    assert allocate_spend(lots, 350, NOW) == [(8, 100), (7, 100), (4, 100), (5, 50)]


def test_spend_skips_expired_pending_and_empty_lots():
    lots = [
        lot(1, 100, expires=NOW),  # expires exactly now: gone
        lot(2, 100, expires=NOW - days(1)),
        lot(3, 100, available=NOW + days(1)),  # still pending
        lot(4, 0, expires=NOW + days(1)),  # used up
        lot(5, 80, expires=NOW + days(200), available=NOW),  # available exactly now
    ]

    assert spendable(lots, NOW) == 80
    assert allocate_spend(lots, 80, NOW) == [(5, 80)]


def test_spending_more_than_available_raises_insufficient_points():
    lots = [lot(1, 100, expires=NOW + days(5)), lot(2, 500, available=NOW + days(3))]

    with pytest.raises(InsufficientPoints) as info:
        allocate_spend(lots, 150, NOW)

    assert info.value.needed == 150
    assert info.value.available == 100


def test_spending_nothing_is_refused():
    with pytest.raises(ValueError):
        allocate_spend([lot(1, 100)], 0, NOW)


def test_spendable_sums_usable_lots():
    lots = [lot(1, 100), lot(2, 50, expires=NOW + days(1)), lot(3, 25, expires=NOW)]

    assert spendable(lots, NOW) == 150
    assert spendable([], NOW) == 0


# --------------------------------------------------------------------------- expiry


def test_expired_lots_are_listed_with_their_remaining_points():
    lots = [
        lot(1, 100, expires=NOW - days(1)),
        lot(2, 40, expires=NOW),
        lot(3, 0, expires=NOW - days(2)),  # nothing left to expire
        lot(4, 70, expires=NOW + timedelta(seconds=1)),
        lot(5, 90, expires=None),
        lot(6, 30, expires=NOW - days(3)),
    ]

    assert expire_lots(lots, NOW) == [(6, 30), (1, 100), (2, 40)]


def test_expiring_soon_groups_points_by_expiry_date():
    lots = [
        lot(1, 100, expires=datetime(2026, 5, 20, 8, tzinfo=UTC)),
        lot(2, 50, expires=datetime(2026, 5, 20, 22, tzinfo=UTC)),
        lot(3, 30, expires=datetime(2026, 5, 17, 1, tzinfo=UTC)),
        lot(4, 999, expires=datetime(2026, 7, 1, tzinfo=UTC)),  # beyond 30 days
        lot(5, 999, expires=NOW),  # already expired
        lot(6, 0, expires=datetime(2026, 5, 18, tzinfo=UTC)),  # used up
        lot(7, 999, expires=None),
    ]

    assert expiring_soon(lots, NOW, 30) == [(date(2026, 5, 17), 30), (date(2026, 5, 20), 150)]


def test_expiring_soon_includes_the_last_moment_of_the_window():
    lots = [
        lot(1, 10, expires=NOW + days(30)),
        lot(2, 20, expires=NOW + days(30) + timedelta(seconds=1)),
    ]

    assert expiring_soon(lots, NOW, 30) == [(date(2026, 6, 14), 10)]
    assert expiring_soon(lots, NOW, 0) == []


def test_pending_points_are_those_not_yet_available():
    lots = [
        lot(1, 100, available=NOW + days(2)),
        lot(2, 60, available=NOW + timedelta(seconds=1)),
        lot(3, 500, available=NOW),
        lot(4, 20, available=NOW - days(1)),
    ]

    assert pending_points(lots, NOW) == 160
    assert spendable(lots, NOW) == 520


# --------------------------------------------------------------------------- tiers


@pytest.mark.parametrize(
    ("points", "code"),
    [
        (0, "green"),
        (2999, "green"),
        (3000, "gold"),
        (7999, "gold"),
        (8000, "reserve"),
        (10**6, "reserve"),
    ],
)
def test_tier_for_points_is_the_highest_tier_reached(harbor, points, code):
    assert tier_for_points(harbor.tiers, points).code == code
    assert tier_for_points(tuple(reversed(harbor.tiers)), points).code == code


def test_reaching_a_higher_tier_upgrades_at_once(harbor):
    decision = evaluate_tier(harbor.tiers, "green", None, 3500, NOW, 12)

    assert decision == TierDecision("gold", datetime(2027, 5, 15, 12, tzinfo=UTC), "up")


def test_upgrade_can_skip_a_tier(harbor):
    decision = evaluate_tier(harbor.tiers, "green", None, 9000, NOW, 12)

    assert (decision.code, decision.change) == ("reserve", "up")
    assert decision.requalify_at == add_months(NOW, 12)


def test_upgrade_during_the_qualifying_period_restarts_it(harbor):
    decision = evaluate_tier(harbor.tiers, "gold", NOW + days(100), 8000, NOW, 12)

    assert decision == TierDecision("reserve", add_months(NOW, 12), "up")


def test_no_downgrade_before_requalification(harbor):
    requalify_at = NOW + timedelta(seconds=1)

    decision = evaluate_tier(harbor.tiers, "reserve", requalify_at, 0, NOW, 12)

    assert decision == TierDecision("reserve", requalify_at, "none")


def test_downgrade_at_requalification_when_points_fall_short(harbor):
    decision = evaluate_tier(harbor.tiers, "reserve", NOW, 4000, NOW, 12)

    assert decision == TierDecision("gold", add_months(NOW, 12), "down")


def test_downgrade_to_the_base_tier_clears_the_requalification_date(harbor):
    decision = evaluate_tier(harbor.tiers, "gold", NOW - days(3), 2999, NOW, 12)

    assert decision == TierDecision("green", None, "down")


def test_keeping_enough_points_requalifies_for_another_window(harbor):
    decision = evaluate_tier(harbor.tiers, "gold", NOW - days(1), 3000, NOW, 6)

    assert decision == TierDecision("gold", add_months(NOW, 6), "requalified")


def test_base_tier_member_stays_without_requalification(harbor):
    assert evaluate_tier(harbor.tiers, "green", None, 100, NOW, 12) == TierDecision(
        "green", None, "none"
    )


def test_higher_tier_without_a_requalification_date_is_re_evaluated(harbor):
    decision = evaluate_tier(harbor.tiers, "gold", None, 10, NOW, 12)

    assert decision == TierDecision("green", None, "down")


def test_unknown_current_tier_is_replaced_by_the_tier_reached(harbor):
    assert evaluate_tier(harbor.tiers, "platinum", None, 10, NOW, 12) == TierDecision(
        "green", None, "down"
    )
    assert evaluate_tier(harbor.tiers, "platinum", None, 3000, NOW, 12) == TierDecision(
        "gold", add_months(NOW, 12), "up"
    )


def test_progress_at_the_bottom_of_the_base_tier(harbor):
    progress = tier_progress(harbor.tiers, "green", 0)

    assert (progress.current, progress.next) == ("green", "gold")
    assert progress.qualifying_points == 0
    assert progress.points_to_next == 3000
    assert progress.fraction == 0.0


def test_progress_half_way_between_tiers(harbor):
    assert tier_progress(harbor.tiers, "green", 1500).fraction == 0.5

    progress = tier_progress(harbor.tiers, "gold", 5500)
    assert (progress.current, progress.next) == ("gold", "reserve")
    assert progress.points_to_next == 2500
    assert progress.fraction == 0.5


def test_progress_at_the_top_tier_is_complete(harbor):
    progress = tier_progress(harbor.tiers, "reserve", 9000)

    assert progress.next is None
    assert progress.points_to_next == 0
    assert progress.fraction == 1.0


def test_progress_is_clamped_when_points_are_outside_the_tier_range(harbor):
    kept_gold = tier_progress(harbor.tiers, "gold", 1000)  # kept until requalification
    assert kept_gold.fraction == 0.0
    assert kept_gold.points_to_next == 7000

    not_yet_upgraded = tier_progress(harbor.tiers, "green", 4000)
    assert not_yet_upgraded.fraction == 1.0
    assert not_yet_upgraded.points_to_next == 0


def test_progress_accepts_any_objects_with_code_and_qualifying_points():
    tiers = [
        SimpleNamespace(code="b", qualifying_points=100),
        SimpleNamespace(code="a", qualifying_points=0),
    ]

    progress = tier_progress(tiers, "a", 25)

    assert (progress.next, progress.points_to_next, progress.fraction) == ("b", 75, 0.25)


# --------------------------------------------------------------------------- punch card


def test_punch_card_gives_a_reward_on_the_last_visit_and_starts_again():
    card = PunchCard(visits=9, reward_id="handcrafted-drink", name={})
    stamps, due = 0, False

    for visit in range(1, 9):
        stamps, due = punch(stamps, card)
        assert (stamps, due) == (visit, False)

    assert punch(stamps, card) == (0, True)
    assert punch(0, card) == (1, False)


def test_punch_without_a_punch_card_changes_nothing():
    assert punch(3, None) == (3, False)


# --------------------------------------------------------------------------- birthday


def test_birthday_bonus_is_due_any_time_in_the_birthday_month():
    birthday = date(1990, 5, 28)

    assert birthday_bonus_due(birthday, None, datetime(2026, 5, 1, 0, 0, tzinfo=UTC))
    assert birthday_bonus_due(birthday, 2025, NOW)
    assert birthday_bonus_due(birthday, 2025, datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC))


def test_birthday_bonus_is_not_due_outside_the_birthday_month():
    birthday = date(1990, 5, 28)

    assert not birthday_bonus_due(birthday, None, datetime(2026, 4, 30, 23, 59, tzinfo=UTC))
    assert not birthday_bonus_due(birthday, None, datetime(2026, 6, 1, tzinfo=UTC))


def test_birthday_bonus_is_given_once_per_year():
    birthday = date(1990, 5, 28)

    assert not birthday_bonus_due(birthday, 2026, NOW)
    assert birthday_bonus_due(birthday, 2026, datetime(2027, 5, 2, tzinfo=UTC))


def test_members_born_on_29_february_celebrate_in_february():
    birthday = date(2000, 2, 29)

    assert birthday_bonus_due(birthday, 2026, datetime(2027, 2, 1, tzinfo=UTC))
    assert birthday_bonus_due(birthday, 2026, datetime(2027, 2, 28, 23, tzinfo=UTC))
    assert not birthday_bonus_due(birthday, 2026, datetime(2027, 3, 1, tzinfo=UTC))


def test_no_birthday_bonus_without_a_birthday():
    assert not birthday_bonus_due(None, None, NOW)


def test_a_birthday_given_in_its_own_month_pays_nothing_that_year():
    birthday = date(1990, 5, 28)
    given = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)

    assert not birthday_bonus_due(birthday, None, NOW, set_at=given, notice_days=30)
    assert not birthday_bonus_due(
        birthday, None, datetime(2026, 5, 28, 12, tzinfo=UTC), set_at=given, notice_days=30
    )
    assert birthday_bonus_due(
        birthday, None, datetime(2027, 5, 1, tzinfo=UTC), set_at=given, notice_days=30
    )


def test_a_birthday_needs_the_notice_before_its_month_begins():
    birthday = date(1990, 5, 28)
    in_may = datetime(2026, 5, 3, tzinfo=UTC)
    just_enough = datetime(2026, 4, 1, tzinfo=UTC)  # 30 days before 1 May
    too_late = just_enough + timedelta(seconds=1)

    assert birthday_bonus_due(birthday, None, in_may, set_at=just_enough, notice_days=30)
    assert not birthday_bonus_due(birthday, None, in_may, set_at=too_late, notice_days=30)
    # 58 days before the birthday itself, but only 29 before its month: not this year
    assert not birthday_bonus_due(
        birthday, None, in_may, set_at=datetime(2026, 4, 2, tzinfo=UTC), notice_days=30
    )
    assert birthday_bonus_due(
        birthday, None, datetime(2027, 5, 3, tzinfo=UTC), set_at=too_late, notice_days=30
    )


def test_the_notice_still_pays_once_per_year():
    birthday = date(1990, 5, 28)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)

    assert birthday_bonus_due(birthday, 2025, NOW, set_at=long_ago, notice_days=30)
    assert not birthday_bonus_due(birthday, 2026, NOW, set_at=long_ago, notice_days=30)


def test_no_notice_means_a_birthday_pays_at_once_and_unknown_set_dates_pay():
    birthday = date(1990, 5, 28)

    assert birthday_bonus_due(birthday, None, NOW, set_at=NOW, notice_days=0)
    assert birthday_bonus_due(birthday, None, NOW, set_at=None, notice_days=30)


def test_plausible_birthdays_are_from_1900_up_to_today_anywhere():
    assert plausible_birthday(date(1900, 1, 1), NOW)
    assert plausible_birthday(date(1990, 5, 28), NOW)
    assert plausible_birthday(NOW.date(), NOW)
    assert not plausible_birthday(date(1899, 12, 31), NOW)
    assert not plausible_birthday(date(1, 1, 1), NOW)
    assert not plausible_birthday(NOW.date() + timedelta(days=2), NOW)
    assert not plausible_birthday(date(9999, 12, 31), NOW)
    # 11:00 UTC on 15 May is already 16 May in Kiribati (UTC+14), but not yet 17 May
    late = datetime(2026, 5, 15, 11, 0, tzinfo=UTC)
    assert plausible_birthday(date(2026, 5, 16), late)
    assert not plausible_birthday(date(2026, 5, 17), late)
