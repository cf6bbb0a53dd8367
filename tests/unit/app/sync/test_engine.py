"""The sync engine's push when the server refuses for a reason that is not the intent's own
(the session has ended: 401; too many requests: 429), and with an intent this app cannot send.

The store and the API client are the real ones; the server is a small fake behind
`httpx.MockTransport` that answers problem+json the way the reference server does. A fake,
because the real server cannot be made to end a session or answer 429 at the exact moment of
a push. The engine against the real server is tested in tests/integration/app.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
import pytest

from loyalty_app.api.auth import TokenHolder
from loyalty_app.api.client import LoyaltyApi
from loyalty_app.store.store import Intent, Store
from loyalty_app.sync.engine import SyncEngine

BASE_URL = "http://loyalty.test"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

# The reference server's own words for an ended session (loyalty_server/deps.py, services/auth.py).
SESSION_ENDED = {
    "type": "/problems/unauthorized",
    "title": "Sign-in required",
    "status": 401,
    "detail": "Sign in again: the access token is missing, expired or revoked.",
}
REFRESH_REFUSED = {
    "type": "/problems/invalid-refresh-token",
    "title": "Sign in again",
    "status": 401,
    "detail": "This session has ended; sign in again.",
}
# What a rate limiter in front of the server answers (the registered too-many-requests).
SLOW_DOWN = {
    "type": "/problems/too-many-requests",
    "title": "Too many requests",
    "status": 429,
    "detail": "Too many requests; try again in 30 seconds.",
    "retry_after": 30,
}
REDEEMED = {
    "voucher": {
        "id": "v_7f3a",
        "code": "K7QW2M9P",
        "qr_payload": "HBR-V:K7QW2M9P",
        "reward_id": "oat-milk",
        "reward_name": {"en": "Oat milk"},
        "source": "redeem",
        "created_at": "2026-11-23T09:30:00+00:00",
        "expires_at": "2026-12-23T09:30:00+00:00",
        "used_at": None,
        "status": "usable",
    },
    "points_spent": 200,
    "balance": 250,
}


class FakeServer:
    """Answers "METHOD /path" from `replies` (status, JSON body) and records every request;
    any other request fails the test."""

    def __init__(self, replies: dict[str, tuple[int, dict]]) -> None:
        self.replies = replies
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        asked = f"{request.method} {request.url.path}"
        self.seen.append(asked)
        if asked not in self.replies:
            raise AssertionError(f"unexpected request: {asked}")
        status, body = self.replies[asked]
        headers = {"Content-Type": "application/json"}
        if status >= 400:
            headers["Content-Type"] = "application/problem+json"
        if "retry_after" in body:
            headers["Retry-After"] = str(body["retry_after"])
        return httpx.Response(status, headers=headers, content=json.dumps(body).encode())


@pytest.fixture
def store(tmp_path):
    opened = Store.open(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def sync_once(store: Store, server: FakeServer, **engine_options) -> SyncEngine:
    """One manual sync of a signed-in member's app against `server`."""

    async def sync() -> SyncEngine:
        tokens = TokenHolder("lat_current", "lrt_current")
        transport = httpx.MockTransport(server)
        async with LoyaltyApi(BASE_URL, tokens, transport=transport) as api:
            engine = SyncEngine(api, store, clock=lambda: NOW, **engine_options)
            await engine.sync("manual")
            return engine

    return asyncio.run(sync())


def redeem(store: Store, reward_id: str) -> Intent:
    return store.add_intent("redeem", {"reward_id": reward_id}, NOW)


def assert_kept_for_later(store: Store, intent: Intent, problem: dict) -> None:
    """Still pending, with the try and the server's reason on record."""
    kept = store.get_intent(intent.id)
    assert (kept.status, kept.attempts, kept.last_error) == ("pending", 1, problem["detail"])


def assert_never_sent(store: Store, intent: Intent) -> None:
    waiting = store.get_intent(intent.id)
    assert (waiting.status, waiting.attempts) == ("pending", 0)


def test_a_session_ended_mid_sync_keeps_the_intent_and_stops_the_sync(store):
    delivered = redeem(store, "oat-milk")
    refused = redeem(store, "extra-shot")
    waiting = redeem(store, "pastry")
    server = FakeServer(
        {
            "POST /v1/rewards/oat-milk/redeem": (201, REDEEMED),
            "POST /v1/rewards/extra-shot/redeem": (401, SESSION_ENDED),
            "POST /v1/auth/refresh": (401, REFRESH_REFUSED),
        }
    )

    engine = sync_once(store, server)

    # The client's one refresh was refused, so the 401 stood; then nothing more was sent
    # (no later intent, no pull).
    assert server.seen == [
        "POST /v1/rewards/oat-milk/redeem",
        "POST /v1/rewards/extra-shot/redeem",
        "POST /v1/auth/refresh",
    ]
    assert store.get_intent(delivered.id).status == "done"
    assert_kept_for_later(store, refused, SESSION_ENDED)
    assert_never_sent(store, waiting)
    assert store.intents("rejected") == []
    state = engine.state
    assert state.signed_out is True
    assert state.last_problem == "unauthorized"
    assert state.last_error == SESSION_ENDED["detail"]
    assert state.pending == 2 and state.rejected == []


def test_a_429_keeps_the_intent_and_stops_the_sync_without_signing_out(store):
    refused = redeem(store, "oat-milk")
    waiting = redeem(store, "extra-shot")
    server = FakeServer({"POST /v1/rewards/oat-milk/redeem": (429, SLOW_DOWN)})

    engine = sync_once(store, server)

    assert server.seen == ["POST /v1/rewards/oat-milk/redeem"]
    assert_kept_for_later(store, refused, SLOW_DOWN)
    assert_never_sent(store, waiting)
    assert store.intents("rejected") == []
    state = engine.state
    assert state.signed_out is False
    assert state.last_problem == "too-many-requests"
    assert state.last_error == SLOW_DOWN["detail"]
    assert state.pending == 2 and state.rejected == []


def test_an_intent_of_an_unknown_kind_is_rejected_and_the_queue_moves_on(store):
    # As a newer app version could have left in the store before a downgrade.
    unknown = store.add_intent("gift_points", {"to": "M-123"}, NOW)
    after = redeem(store, "oat-milk")
    server = FakeServer({"POST /v1/rewards/oat-milk/redeem": (201, REDEEMED)})

    # Nothing to pull: only the push is under test here.
    engine = sync_once(store, server, resources={})

    assert server.seen == ["POST /v1/rewards/oat-milk/redeem"]  # nothing sent for the unknown
    rejected = store.get_intent(unknown.id)
    assert rejected.status == "rejected"
    assert rejected.problem_type == "/problems/unknown-intent"
    assert rejected.last_error == "This app cannot send 'gift_points'."
    done = store.get_intent(after.id)
    assert done.status == "done" and done.result == REDEEMED
    state = engine.state
    assert [i.id for i in state.rejected] == [unknown.id] and state.pending == 0
    assert state.connectivity == "online" and state.last_problem is None
    assert state.signed_out is False
