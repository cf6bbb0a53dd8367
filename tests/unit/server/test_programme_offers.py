"""The [[offers]] of a programme file: what is read, and every mistake named by its key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loyalty_server.programme import demo_programme_path, load_programme

from .test_programme import VALID, changed, expect_error, write

OFFER = """
[[offers]]
id = "double-tuesdays"
name = { en = "Double points Tuesdays", zh-Hans = "周二双倍积分", zh-Hant = "週二雙倍積分" }
description = { en = "Twice the points", zh-Hans = "双倍积分", zh-Hant = "雙倍積分" }
multiplier = 2.0
starts = 2026-01-01
ends = 2026-12-31
days = ["tue"]
"""


def test_an_offer_is_read_with_its_defaults(tmp_path):
    programme = load_programme(write(tmp_path, VALID + OFFER))
    (offer,) = programme.offers
    assert offer.multiplier == Decimal(2) and offer.points is None
    assert (offer.starts, offer.ends, offer.days) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        ("tue",),
    )
    assert (offer.activate, offer.uses, offer.tiers, offer.category) == (False, None, (), None)


def test_a_programme_without_offers_has_none(tmp_path):
    assert load_programme(write(tmp_path, VALID)).offers == ()


# fmt: off
OFFER_ERRORS = [
    ("no-kind", "multiplier = 2.0\n", "",
     "shop.toml: offers[0].multiplier or points: give exactly one of the two"),
    ("both-kinds", "multiplier = 2.0\n", "multiplier = 2\npoints = 10\n",
     "shop.toml: offers[0].multiplier or points: give exactly one of the two"),
    ("multiplier-one", "multiplier = 2.0\n", "multiplier = 1\n",
     "shop.toml: offers[0].multiplier must be a number > 1"),
    ("ends-before-starts", "ends = 2026-12-31", "ends = 2025-12-31",
     "shop.toml: offers[0].ends must not be before starts (2026-01-01)"),
    ("date-as-text", "starts = 2026-01-01", 'starts = "2026-01-01"',
     "shop.toml: offers[0].starts must be a date like 2027-06-30"),
    ("unknown-day", 'days = ["tue"]', 'days = ["tuesday"]',
     "shop.toml: offers[0].days[0] must be one of: mon, tue, wed, thu, fri, sat, sun"),
    ("hours-alone", 'days = ["tue"]', "from_hour = 7",
     "shop.toml: offers[0].until_hour and from_hour must be given together"),
    ("hours-reversed", 'days = ["tue"]', "from_hour = 11\nuntil_hour = 7",
     "shop.toml: offers[0].until_hour must be after from_hour (11)"),
    ("unknown-category", 'days = ["tue"]', 'category = "tea"',
     "shop.toml: offers[0].category must be one of the [categories]: drinks"),
    ("unknown-tier", 'days = ["tue"]', 'tiers = ["gold"]',
     "shop.toml: offers[0].tiers must list tier codes from: base, silver, top"),
    ("new-and-lapsed", 'days = ["tue"]', "new_members_days = 30\nlapsed_days = 30",
     "shop.toml: offers[0].lapsed_days cannot be given with new_members_days"),
    ("activate-not-bool", 'days = ["tue"]', 'activate = "yes"',
     "shop.toml: offers[0].activate must be true or false"),
    ("zero-uses", 'days = ["tue"]', "uses = 0",
     "shop.toml: offers[0].uses must be a whole number between 1 and 1000"),
    ("misspelt-key", 'days = ["tue"]', 'weekdays = ["tue"]',
     "shop.toml: offers[0].weekdays is not a known key (expected one of: id, name, description"),
    ("duplicate-id", OFFER, OFFER + OFFER,
     'shop.toml: offers[1].id "double-tuesdays" is already used by another offer'),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [case[1:] for case in OFFER_ERRORS],
    ids=[case[0] for case in OFFER_ERRORS],
)
def test_a_wrong_offer_is_named_by_its_key(tmp_path, old, new, message):
    expect_error(tmp_path, changed(old, new, VALID + OFFER), message)


CHALLENGE = """
[[challenges]]
id = "week"
name = { en = "Week", zh-Hans = "一周", zh-Hant = "一週" }
description = { en = "3 visits", zh-Hans = "三次", zh-Hant = "三次" }
goal = "visits"
count = 3
within_days = 7
"""


def test_a_challenge_is_read_with_its_defaults(tmp_path):
    (challenge,) = load_programme(write(tmp_path, VALID + CHALLENGE)).challenges
    assert (challenge.goal, challenge.count, challenge.within_days, challenge.points) == (
        "visits",
        3,
        7,
        0,
    )


# fmt: off
CHALLENGE_ERRORS = [
    ("unknown-goal", 'goal = "visits"', 'goal = "steps"',
     'shop.toml: challenges[0].goal must be one of "visits", "categories", "referrals"'),
    ("zero-count", "count = 3", "count = 0",
     "shop.toml: challenges[0].count must be a whole number between 1 and 1000"),
    ("window-not-visits", 'goal = "visits"', 'goal = "referrals"',
     'shop.toml: challenges[0].within_days is only for goal = "visits"'),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [case[1:] for case in CHALLENGE_ERRORS],
    ids=[case[0] for case in CHALLENGE_ERRORS],
)
def test_a_wrong_challenge_is_named_by_its_key(tmp_path, old, new, message):
    expect_error(tmp_path, changed(old, new, VALID + CHALLENGE), message)


def test_the_demo_programme_has_offers_and_challenges():
    programme = load_programme(demo_programme_path())
    assert len(programme.offers) >= 4 and len(programme.challenges) >= 3
    assert {o.id for o in programme.offers} >= {"double-tuesdays", "welcome", "we-miss-you"}
    assert any(o.activate for o in programme.offers)
