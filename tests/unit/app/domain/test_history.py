"""What a history line says besides reason and amount (``loyalty_app.domain.history``) and the
words the Points screen builds from it: the date, the store of a purchase, when expired
points expired and were earned, and "today"/"tomorrow" for points about to expire."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

import pytest

from loyalty_app.domain.history import HistoryFacts, history_facts, relative_day
from loyalty_app.domain.models import LedgerEntry, Member
from loyalty_app.domain.points import ExpiringSoon, expiring_soon
from loyalty_app.ui.screens.points import entry_sub, expiring_text
from tests.unit.app.domain.test_domain import ME

BOOKED = "2026-11-30T07:12:00Z"


def _entry(reason: str, amount: int, details: object, at: str = BOOKED, **more) -> LedgerEntry:
    kind = {"purchase": "purchase", "points_expired": "expire"}.get(reason, "bonus")
    body = {
        "id": 7,
        "at": at,
        "amount": amount,
        "kind": kind,
        "reason": reason,
        "details": details,
        "expires_at": None,
        "available_at": None,
        "voided": False,
    } | more
    return LedgerEntry.from_json(body)


EXPIRED = _entry(
    "points_expired",
    -47,
    {"expired_on": "2026-10-26", "earned_on": ["2025-10-26"]},
)
PURCHASE = _entry(
    "purchase",
    47,
    {"amount": "4.75", "currency": "USD", "store": "Harbor Coffee Pier 7"},
    at="2026-11-21T09:30:00Z",
    expires_at="2027-11-21T09:30:00Z",
)


def test_an_expiry_shows_the_day_the_points_expired_not_the_day_it_was_booked():
    assert history_facts(EXPIRED, UTC) == HistoryFacts(
        day=date(2026, 10, 26), earned=(date(2025, 10, 26), date(2025, 10, 26))
    )
    assert entry_sub("en", EXPIRED) == "Oct 26, 2026 · earned Oct 26, 2025"
    assert entry_sub("zh-Hant", EXPIRED) == "2026年10月26日 · 2025年10月26日 獲得"


def test_two_expiries_booked_on_the_same_day_read_differently():
    other = _entry("points_expired", -47, {"expired_on": "2026-11-04", "earned_on": ["2025-11-04"]})
    assert entry_sub("en", EXPIRED) != entry_sub("en", other)


def test_points_earned_over_several_days_say_from_when_to_when():
    entry = _entry(
        "points_expired",
        -90,
        {"expired_on": "2026-02-28", "earned_on": ["2025-02-28", "2024-02-29"]},
    )
    assert history_facts(entry).earned == (date(2024, 2, 29), date(2025, 2, 28))
    assert entry_sub("en", entry) == "Feb 28, 2026 · earned Feb 29, 2024 – Feb 28, 2025"


@pytest.mark.parametrize(
    "details",
    [{}, {"expired_on": 5}, {"expired_on": "yesterday", "earned_on": "2025-10-26"}],
    ids=["an-older-server", "not-a-string", "not-a-date-and-not-a-list"],
)
def test_an_expiry_without_usable_details_falls_back_to_its_own_date(details):
    entry = _entry("points_expired", -47, details)
    assert history_facts(entry, UTC) == HistoryFacts(day=date(2026, 11, 30))
    assert entry_sub("en", entry) == "Nov 30, 2026"


def test_a_purchase_says_where_it_was_made_and_when_its_points_expire():
    facts = history_facts(PURCHASE, UTC)
    assert facts == HistoryFacts(
        day=date(2026, 11, 21), store="Harbor Coffee Pier 7", expires_on=date(2027, 11, 21)
    )
    assert entry_sub("en", PURCHASE).endswith(" · Harbor Coffee Pier 7 · expires Nov 21, 2027")


@pytest.mark.parametrize("store", [None, "", "   ", 42])
def test_a_purchase_without_a_store_shows_no_empty_part(store):
    entry = _entry("purchase", 47, {"amount": "4.75", "store": store}, at="2026-11-21T09:30:00Z")
    assert history_facts(entry).store is None
    assert " ·  · " not in entry_sub("en", entry) and not entry_sub("en", entry).endswith("· ")


def test_the_date_of_a_line_is_the_day_in_the_members_zone():
    late = _entry("birthday_bonus", 300, {}, at="2026-11-30T20:00:00Z")
    assert history_facts(late, UTC).day == date(2026, 11, 30)
    assert history_facts(late, timezone(timedelta(hours=8))).day == date(2026, 12, 1)


@pytest.mark.parametrize(
    "offset,expected", [(-1, None), (0, "today"), (1, "tomorrow"), (2, None), (30, None)]
)
def test_relative_day(offset, expected):
    today = date(2026, 11, 30)
    assert relative_day(today + timedelta(days=offset), today) == expected


@pytest.mark.parametrize(
    "lang,offset,expected",
    [
        ("en", 0, "327 points expire today"),
        ("en", 1, "327 points expire tomorrow"),
        ("en", 3, "327 points expire on Dec 3, 2026"),
        ("zh-Hans", 0, "327 积分将于今天过期"),
        ("zh-Hans", 1, "327 积分将于明天过期"),
        ("zh-Hant", 0, "327 積分將於今天到期"),
        ("zh-Hant", 1, "327 積分將於明天到期"),
        ("zh-Hant", 3, "327 積分將於 2026年12月3日 到期"),
    ],
)
def test_points_about_to_expire_say_today_or_tomorrow(lang, offset, expected):
    today = date(2026, 11, 30)
    soon = ExpiringSoon(day=today + timedelta(days=offset), points=327, total=327)
    assert expiring_text(lang, soon, today) == expected


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("en", "207 points expire today · 327 in the next 30 days"),
        ("zh-Hans", "207 积分将于今天过期 · 未来 30 天内共 327 积分"),
        ("zh-Hant", "207 積分將於今天到期 · 未來 30 天內共 327 積分"),
    ],
)
def test_the_first_days_points_are_not_added_to_later_ones(lang, expected):
    member = Member.from_json(
        ME
        | {"expiring": [{"points": 207, "on": "2026-11-30"}, {"points": 120, "on": "2026-12-14"}]}
    )
    today = date(2026, 11, 30)
    soon = expiring_soon(member, today)
    assert soon == ExpiringSoon(day=today, points=207, total=327)
    assert expiring_text(lang, soon, today) == expected


def test_no_points_about_to_expire():
    member = Member.from_json(ME | {"expiring": [{"points": 5, "on": "2026-11-29"}]})
    assert expiring_soon(member, date(2026, 11, 30)) is None
    assert expiring_text("en", None, date(2026, 11, 30)) == "No points expire in the next 30 days."
