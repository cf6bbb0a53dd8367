"""A session's fixed maximum age, and when a device was last seen: the real app in-process on
the run's database, with a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from loyalty_core.card.token import CardCredential, make_token
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import assert_problem

DAY = 24 * 3600


@pytest.fixture
def shop(database_url) -> ClockedServer:
    with clocked_server(database_url) as server:
        yield server


def _sign_in(shop: ClockedServer, device_name: str = "pytest") -> dict:
    reply = shop.client.post("/v1/auth/demo", json={"device_name": device_name})
    assert reply.status_code == 200, reply.text
    return reply.json()


def _refresh(shop: ClockedServer, tokens: dict):  # noqa: ANN202
    return shop.client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})


def _bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _devices(shop: ClockedServer, tokens: dict) -> list[dict]:
    reply = shop.client.get("/v1/me/devices", headers=_bearer(tokens))
    assert reply.status_code == 200, reply.text
    return reply.json()["items"]


def _scan(shop: ClockedServer, session: dict, staff: dict):  # noqa: ANN202
    card = session["card"]
    cred = CardCredential(card["card_id"], card["secret"], card["prefix"])
    token = make_token(cred, shop.clock.now.timestamp())
    headers = staff | {"Idempotency-Key": f"scan-{token}"}
    return shop.client.post("/v1/checkout/scan", json={"token": token}, headers=headers)


def test_a_session_ends_at_its_maximum_age_however_often_it_refreshed(shop):
    max_age = shop.ctx.settings.session_max_age_seconds
    assert max_age <= 90 * DAY
    staff = shop.staff("Ana", "Pier 7")
    session = _sign_in(shop)
    tokens = session
    # A device in daily use: it refreshes every day, yet the session does not slide.
    for _ in range(max_age // DAY - 1):
        shop.clock.advance(DAY)
        reply = _refresh(shop, tokens)
        assert reply.status_code == 200, reply.text
        tokens = reply.json()
    shop.clock.advance(DAY - 60)
    # A minute before the end: the refresh works, but its access token ends with the session.
    reply = _refresh(shop, tokens)
    assert reply.status_code == 200, reply.text
    tokens = reply.json()
    assert tokens["expires_in"] == 60
    assert shop.client.get("/v1/me", headers=_bearer(tokens)).status_code == 200
    assert _scan(shop, session, staff).status_code == 200

    shop.clock.advance(60)
    assert_problem(_refresh(shop, tokens), 401, "session-expired")
    assert_problem(shop.client.get("/v1/me", headers=_bearer(tokens)), 401, "unauthorized")
    assert_problem(_scan(shop, session, staff), 422, "card-revoked")
    # and it stays that way, however often the device asks
    assert_problem(_refresh(shop, tokens), 401, "session-expired")


def test_the_access_token_and_card_stop_at_the_maximum_age_even_with_no_refresh(shop):
    staff = shop.staff("Ana", "Pier 7")
    old = _sign_in(shop, "old phone")
    shop.clock.advance(shop.ctx.settings.session_max_age_seconds - 10)
    new = _sign_in(shop, "new phone")
    assert [d["name"] for d in _devices(shop, new)] == ["new phone", "old phone"]
    shop.clock.advance(10)
    # The old one's tokens and card end without anyone calling refresh; the list drops it.
    assert [d["name"] for d in _devices(shop, new)] == ["new phone"]
    assert_problem(_scan(shop, old, staff), 422, "card-revoked")
    assert_problem(_refresh(shop, old), 401, "session-expired")
    # The newer session is untouched.
    assert _scan(shop, new, staff).status_code == 200
    assert _refresh(shop, new).status_code == 200


def test_a_device_signed_out_early_is_not_told_its_session_expired(shop):
    tokens = _sign_in(shop)
    assert shop.client.post("/v1/auth/sign-out", headers=_bearer(tokens)).status_code == 204
    shop.clock.advance(shop.ctx.settings.session_max_age_seconds + 1)
    assert_problem(_refresh(shop, tokens), 401, "invalid-refresh-token")


def test_last_seen_moves_on_refresh_not_on_every_request(shop):
    phone = _sign_in(shop, "phone")
    tablet = _sign_in(shop, "tablet")
    signed_in = shop.clock.now

    def tablet_last_seen() -> datetime:
        (device,) = [d for d in _devices(shop, phone) if d["name"] == "tablet"]
        return datetime.fromisoformat(device["last_seen_at"])

    assert tablet_last_seen() == signed_in
    shop.clock.advance(600)
    for _ in range(5):  # reads write nothing
        assert shop.client.get("/v1/me", headers=_bearer(tablet)).status_code == 200
    assert tablet_last_seen() == signed_in
    reply = _refresh(shop, tablet)
    assert reply.status_code == 200, reply.text
    assert tablet_last_seen() == signed_in + timedelta(seconds=600)
