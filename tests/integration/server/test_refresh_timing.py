"""Refresh-token reuse as time passes: within the grace window a repeat of the just-rotated
token gets the same pair; after it, the repeat ends the device's session once the new pair
was used, and gets that pair again while nobody has used it (the reply never arrived: the app
was killed or offline for longer than the window). The real app in-process on the run's
database, with a clock the test moves."""

from __future__ import annotations

import pytest

from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import assert_problem


@pytest.fixture
def shop(database_url) -> ClockedServer:
    with clocked_server(database_url) as server:
        yield server


def _sign_in(shop: ClockedServer) -> dict:
    reply = shop.client.post("/v1/auth/demo", json={"device_name": "pytest"})
    assert reply.status_code == 200, reply.text
    return reply.json()


def _refresh(shop: ClockedServer, refresh_token: str):  # noqa: ANN202
    return shop.client.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


def _me(shop: ClockedServer, tokens: dict):  # noqa: ANN202
    return shop.client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})


def test_the_grace_window_is_short(shop):
    assert 0 < shop.ctx.settings.refresh_grace_seconds <= 60


def test_a_repeat_at_the_end_of_the_grace_window_gets_the_same_pair(shop):
    session = _sign_in(shop)
    first = _refresh(shop, session["refresh_token"]).json()
    grace = shop.ctx.settings.refresh_grace_seconds
    shop.clock.advance(grace)
    again = _refresh(shop, session["refresh_token"])
    assert again.status_code == 200, again.text
    assert again.json()["access_token"] == first["access_token"]
    assert again.json()["refresh_token"] == first["refresh_token"]
    # the same access token, so the same expiry: the seconds that passed are gone
    assert again.json()["expires_in"] == first["expires_in"] - grace
    assert _me(shop, first).status_code == 200


def test_a_rotated_token_repeated_after_the_grace_window_ends_the_device(shop):
    session = _sign_in(shop)
    other_device = _sign_in(shop)
    first = _refresh(shop, session["refresh_token"]).json()
    assert _me(shop, first).status_code == 200  # the device got its new pair and uses it
    shop.clock.advance(shop.ctx.settings.refresh_grace_seconds + 1)

    assert_problem(_refresh(shop, session["refresh_token"]), 401, "invalid-refresh-token")
    # The newer pair stops working too: a copy of the token was out there.
    assert_problem(_me(shop, first), 401, "unauthorized")
    assert_problem(_refresh(shop, first["refresh_token"]), 401, "invalid-refresh-token")
    # and so does the old token, however often it comes back
    assert_problem(_refresh(shop, session["refresh_token"]), 401, "invalid-refresh-token")
    # Only that device: the member's other session goes on.
    assert _me(shop, other_device).status_code == 200
    assert _refresh(shop, other_device["refresh_token"]).status_code == 200


def test_a_reply_lost_for_longer_than_the_grace_window_still_gets_its_pair(shop):
    """The refresh reached the server, which rotated the token; its reply never reached the
    app (killed, or offline for an hour). Nobody has used the new pair, so the old token
    still gets it, with a working access token, and the device stays signed in."""
    session = _sign_in(shop)
    lost = _refresh(shop, session["refresh_token"]).json()
    shop.clock.advance(3600)  # longer than the grace window and the access token's life

    again = _refresh(shop, session["refresh_token"])
    assert again.status_code == 200, again.text
    tokens = again.json()
    assert (tokens["access_token"], tokens["refresh_token"]) == (
        lost["access_token"],
        lost["refresh_token"],
    )
    assert tokens["expires_in"] == shop.ctx.settings.access_ttl_seconds
    assert _me(shop, tokens).status_code == 200
    # Used now: the old token is past its grace for good, and its repeat ends the device.
    shop.clock.advance(shop.ctx.settings.refresh_grace_seconds + 1)
    assert_problem(_refresh(shop, session["refresh_token"]), 401, "invalid-refresh-token")
    assert_problem(_me(shop, tokens), 401, "unauthorized")


def test_a_late_repeat_after_the_new_refresh_token_rotated_ends_the_device(shop):
    """The new pair's access token was never used, but its refresh token was: the device
    moved on, so the old token's return is a copy."""
    session = _sign_in(shop)
    first = _refresh(shop, session["refresh_token"]).json()
    second = _refresh(shop, first["refresh_token"]).json()
    shop.clock.advance(3600)
    assert_problem(_refresh(shop, session["refresh_token"]), 401, "invalid-refresh-token")
    assert_problem(_refresh(shop, second["refresh_token"]), 401, "invalid-refresh-token")
