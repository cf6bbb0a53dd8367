"""Birthdays: only a date someone could be born on, and the bonus only for a birthday given
well before its month (the programme's `notice_days`, 30 in the demo), once a year. Over real
HTTP, and in-process with a clock the test moves where a year has to pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import SignedIn, assert_problem, sign_in


def _birthday_bonuses(member: SignedIn) -> list[dict]:
    return [e for e in member.ledger() if e["reason"] == "birthday_bonus"]


def _set_birthday(member: SignedIn, birthday: date):  # noqa: ANN202
    headers = member.headers
    return member.client.patch("/v1/me", json={"birthday": birthday.isoformat()}, headers=headers)


def test_a_birthday_set_to_today_pays_nothing_at_once(client, smtp):
    member = sign_in(client, smtp)
    reply = _set_birthday(member, datetime.now(UTC).date())
    assert reply.status_code == 200, reply.text
    assert member.balance() == 0
    assert _birthday_bonuses(member) == []


@pytest.mark.parametrize(
    "birthday",
    [date(1899, 12, 31), date(1, 1, 1), "tomorrow", "next-year"],
    ids=["1899", "year-1", "tomorrow-everywhere", "next-year"],
)
def test_an_implausible_birthday_is_a_422(client, smtp, birthday):
    today = datetime.now(UTC).date()
    birthday = {
        "tomorrow": today + timedelta(days=2),
        "next-year": today + timedelta(days=365),
    }.get(birthday, birthday)
    member = sign_in(client, smtp)
    assert_problem(_set_birthday(member, birthday), 422, "invalid-birthday")
    assert member.me()["birthday"] is None
    assert member.balance() == 0


def test_the_earliest_plausible_birthday_is_accepted(client, smtp):
    member = sign_in(client, smtp)
    reply = _set_birthday(member, date(1900, 1, 1))
    assert reply.status_code == 200, reply.text
    assert member.me()["birthday"] == "1900-01-01"


# --------------------------------------------------------------------------- a year passes


@pytest.fixture
def shop(database_url, smtp) -> ClockedServer:
    with clocked_server(database_url, smtp_port=smtp.port) as server:
        yield server


def _at(shop: ClockedServer, smtp, member: SignedIn, when: datetime) -> SignedIn:  # noqa: ANN001
    """Moves the clock to `when`; the member signs in again (the old tokens have expired)."""
    shop.clock.advance((when - shop.clock.now).total_seconds())
    return sign_in(shop.client, smtp, member.email)


def test_a_birthday_given_well_before_its_month_pays_once_that_month_and_each_year(shop, smtp):
    member = sign_in(shop.client, smtp)
    later = shop.clock.now + timedelta(days=62)  # its month begins 32 days from now or later
    month_begins = datetime(later.year, later.month, 1, 1, tzinfo=UTC)
    reply = _set_birthday(member, date(1990, later.month, 15))
    assert reply.status_code == 200, reply.text
    assert _birthday_bonuses(member) == []

    member = _at(shop, smtp, member, month_begins)
    assert len(_birthday_bonuses(member)) == 1
    member = _at(shop, smtp, member, month_begins + timedelta(days=3))
    assert len(_birthday_bonuses(member)) == 1  # once a year
    member = _at(shop, smtp, member, month_begins.replace(year=month_begins.year + 1))
    assert [e["details"]["year"] for e in _birthday_bonuses(member)] == [
        month_begins.year + 1,
        month_begins.year,
    ]


def test_a_birthday_given_in_its_own_month_waits_for_next_year(shop, smtp):
    member = sign_in(shop.client, smtp)
    now = shop.clock.now
    reply = _set_birthday(member, date(1990, now.month, min(now.day, 28)))
    assert reply.status_code == 200, reply.text
    assert _birthday_bonuses(member) == []
    member = _at(shop, smtp, member, now + timedelta(days=1))
    assert _birthday_bonuses(member) == []

    member = _at(shop, smtp, member, datetime(now.year + 1, now.month, 1, 1, tzinfo=UTC))
    assert [e["details"]["year"] for e in _birthday_bonuses(member)] == [now.year + 1]


def test_a_birthday_given_days_before_its_month_waits_for_next_year(shop, smtp):
    shop.clock.advance(
        (_next_month(shop.clock.now).replace(day=20, hour=12) - shop.clock.now).total_seconds()
    )
    member = sign_in(shop.client, smtp)
    month = _next_month(shop.clock.now)  # begins 12 days from now at most: too little notice
    reply = _set_birthday(member, date(1990, month.month, 10))
    assert reply.status_code == 200, reply.text
    member = _at(shop, smtp, member, month.replace(day=10, hour=12))
    assert _birthday_bonuses(member) == []
    member = _at(shop, smtp, member, month.replace(year=month.year + 1, day=10, hour=12))
    assert len(_birthday_bonuses(member)) == 1


def _next_month(when: datetime) -> datetime:
    """Midnight UTC on the first day of the month after `when`'s."""
    year, month = divmod(when.year * 12 + when.month, 12)  # month is 0-based here
    return datetime(year, month + 1, 1, tzinfo=UTC)
