"""The sign-in limiter, on the run's database with a clock the test moves: a stranger asking
for a member's codes and guessing them does not lock the member out; one address is slowed
with a growing wait and others are not; the overall ceiling stops guesses spread over many
addresses. Clients are told apart by X-Forwarded-For, as a trusted reverse proxy reports
them. Every refusal is a 429 problem with a Retry-After that is enough."""

from __future__ import annotations

import httpx
import pytest

from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import assert_problem, unique_email
from tests.support.mail import MailCatcher

MEMBER_HOME = "203.0.113.5"
STRANGER = "198.51.100.66"


@pytest.fixture
def shop(database_url, smtp) -> ClockedServer:
    with clocked_server(database_url, smtp.port) as server:
        yield server


def _ask(shop: ClockedServer, email: str, address: str) -> httpx.Response:
    headers = {"X-Forwarded-For": address}
    return shop.client.post("/v1/auth/code", json={"email": email}, headers=headers)


def _try(shop: ClockedServer, email: str, code: str, address: str) -> httpx.Response:
    body = {"email": email, "code": code, "device_name": "phone"}
    return shop.client.post("/v1/auth/verify", json=body, headers={"X-Forwarded-For": address})


def _code(shop: ClockedServer, smtp: MailCatcher, email: str, address: str) -> str:
    mark = smtp.mark()
    reply = _ask(shop, email, address)
    assert reply.status_code == 202, reply.text
    return smtp.wait_for_code(email, after=mark)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _refused(reply: httpx.Response, slug: str) -> int:
    """The reply is a 429 `slug` problem; its Retry-After in seconds."""
    assert_problem(reply, 429, slug)
    return int(reply.headers["Retry-After"])


def test_a_stranger_asking_for_a_members_codes_does_not_lock_the_member_out(shop, smtp):
    email = unique_email("target")
    mark = smtp.mark()
    replies = [_ask(shop, email, STRANGER) for _ in range(30)]
    assert [r.status_code for r in replies[:5]] == [202] * 5
    waits = {_refused(r, "too-many-code-requests") for r in replies[5:]}
    assert waits == {60}, "hammering must not make the wait longer"
    # Every code the stranger caused went to the member, and the newest one works.
    newest = smtp.wait_for_code(email, after=smtp.mark() - 1)
    assert len([m for m in smtp.messages[mark:] if m.is_for(email)]) == 5
    # The member asking now is told to use it (or wait a minute), never locked out.
    wait = _refused(_ask(shop, email, MEMBER_HOME), "too-many-code-requests")
    assert wait == 60
    reply = _try(shop, email, newest, MEMBER_HOME)
    assert reply.status_code == 200, reply.text


def test_a_stranger_burning_the_members_code_makes_the_member_wait_a_minute_not_a_day(shop, smtp):
    email = unique_email("burned")
    for _ in range(5):
        code = _code(shop, smtp, email, STRANGER)
    for _ in range(5):
        assert_problem(_try(shop, email, _wrong(code), STRANGER), 401, "invalid-code")
    assert_problem(_try(shop, email, code, MEMBER_HOME), 401, "invalid-code")  # used up
    wait = _refused(_ask(shop, email, MEMBER_HOME), "too-many-code-requests")
    assert wait == 60
    shop.clock.advance(wait)
    fresh = _code(shop, smtp, email, MEMBER_HOME)
    reply = _try(shop, email, fresh, MEMBER_HOME)
    assert reply.status_code == 200, reply.text


def test_codes_for_one_member_come_ever_slower_and_freely_again_next_day(shop, smtp):
    email = unique_email("patient")
    for _ in range(5):
        _code(shop, smtp, email, MEMBER_HOME)
    for expected in (60, 120, 240, 480):
        wait = _refused(_ask(shop, email, MEMBER_HOME), "too-many-code-requests")
        assert wait == expected
        shop.clock.advance(wait - 1)
        _refused(_ask(shop, email, MEMBER_HOME), "too-many-code-requests")
        shop.clock.advance(1)
        _code(shop, smtp, email, MEMBER_HOME)
    shop.clock.advance(24 * 3600)
    for _ in range(5):
        _code(shop, smtp, email, MEMBER_HOME)


def test_one_address_guessing_is_slowed_and_other_addresses_are_not(shop, smtp):
    guesser = "192.0.2.10"
    for n in range(30):
        assert_problem(_try(shop, f"v{n}@example.test", "123456", guesser), 401, "invalid-code")
    assert _refused(_try(shop, "v@example.test", "123456", guesser), "too-many-sign-in-attempts")
    # Anyone else signs in as usual meanwhile.
    email = unique_email("neighbour")
    reply = _try(shop, email, _code(shop, smtp, email, MEMBER_HOME), MEMBER_HOME)
    assert reply.status_code == 200, reply.text
    # The guesser's wait grows: one more try a minute later, then two minutes ...
    for expected in (60, 120, 240):
        wait = _refused(
            _try(shop, "v@example.test", "123456", guesser), "too-many-sign-in-attempts"
        )
        assert wait == expected
        shop.clock.advance(wait)
        assert_problem(_try(shop, "v@example.test", "123456", guesser), 401, "invalid-code")


def test_an_ipv6_host_cannot_dodge_the_limit_by_changing_address_within_its_64(shop):
    for n in range(30):
        address = f"2001:db8:7:1::{n + 1:x}"
        assert_problem(_try(shop, "v@example.test", "123456", address), 401, "invalid-code")
    other_host = "2001:db8:7:1:abcd::99"
    _refused(_try(shop, "v@example.test", "123456", other_host), "too-many-sign-in-attempts")
    next_network = "2001:db8:7:2::1"
    assert_problem(_try(shop, "v@example.test", "123456", next_network), 401, "invalid-code")


def test_one_address_asking_for_many_members_codes_is_slowed(shop, smtp):
    spammer = "192.0.2.20"
    for n in range(20):
        assert _ask(shop, unique_email(f"spam{n}"), spammer).status_code == 202
    wait = _refused(_ask(shop, unique_email("spam"), spammer), "too-many-code-requests")
    assert wait == 60
    assert _ask(shop, unique_email("other"), MEMBER_HOME).status_code == 202


@pytest.fixture
def small_shop(database_url, smtp) -> ClockedServer:
    ceiling = {"verifies_per_hour_overall": 40, "code_requests_per_hour_overall": 10}
    with clocked_server(database_url, smtp.port, **ceiling) as server:
        yield server


def test_the_overall_ceiling_stops_guesses_spread_over_many_addresses(small_shop, smtp):
    shop = small_shop
    for n in range(40):
        reply = _try(shop, "v@example.test", "123456", f"10.0.{n}.1")
        assert_problem(reply, 401, "invalid-code")
    wait = _refused(_try(shop, "v@example.test", "123456", "10.9.9.9"), "too-many-sign-in-attempts")
    assert 0 < wait <= 3600
    shop.clock.advance(wait)
    assert_problem(_try(shop, "v@example.test", "123456", "10.9.9.9"), 401, "invalid-code")


def test_the_overall_ceiling_on_codes(small_shop, smtp):
    shop = small_shop
    for n in range(10):
        assert _ask(shop, unique_email(f"c{n}"), f"10.1.{n}.1").status_code == 202
    wait = _refused(_ask(shop, unique_email("late"), "10.2.0.1"), "too-many-code-requests")
    assert 0 < wait <= 3600
    shop.clock.advance(wait)
    assert _ask(shop, unique_email("later"), "10.2.0.1").status_code == 202
