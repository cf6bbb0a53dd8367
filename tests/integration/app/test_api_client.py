"""The typed API client against the REAL reference server over loopback, plus a tiny raw TCP
server for the faults a healthy server never shows (a 500, malformed JSON, a stall, a cut)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from loyalty_app.api.auth import TokenHolder
from loyalty_app.api.client import Fetched, LoyaltyApi
from loyalty_app.api.errors import Rejected, ServerError, Unreachable
from loyalty_app.domain.models import Session
from tests.support.servers import add_staff, free_port

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Recorder:
    """Counts requests by path (an httpx event hook) and collects on_change calls."""

    def __init__(self) -> None:
        self.paths: Counter[str] = Counter()
        self.changes: list[tuple[str, str]] = []

    async def on_request(self, request: httpx.Request) -> None:
        self.paths[request.url.path] += 1

    async def on_change(self, access: str, refresh: str) -> None:
        self.changes.append((access, refresh))

    @property
    def hooks(self) -> dict:
        return {"request": [self.on_request]}


async def _demo_session(base_url: str) -> Session:
    async with LoyaltyApi(base_url) as api:
        return await api.demo_sign_in(device_name="pytest")


# ---- sign-in and conditional GETs ----------------------------------------------------------


async def test_demo_sign_in_then_conditional_gets_answer_304(demo_server) -> None:
    async with LoyaltyApi(demo_server.base_url) as api:
        session = await api.demo_sign_in(device_name="pytest phone")
        assert isinstance(session, Session) and session.member_id and session.card.card_id
        assert api.tokens is not None
        assert api.tokens.access_token == session.access_token

        fetchers = {
            "me": api.me,
            "ledger": api.ledger,
            "tiers": api.tiers,
            "tier_progress": api.tier_progress,
            "rewards": api.rewards,
            "vouchers": api.vouchers,
            "referral": api.referral,
            "programme": api.programme,
        }
        for name, fetch in fetchers.items():
            first = await fetch()
            assert first.status == 200, name
            assert first.data is not None and hasattr(type(first.data), "SCHEMA"), name
            assert isinstance(first.body, dict), name
            assert first.etag, f"{name} sent no ETag"
            again = await fetch(etag=first.etag)
            assert again == Fetched(304, first.etag, None), name
            assert again.not_modified

        me = (await api.me()).data
        assert me.member_id == session.member_id
        assert me.is_demo is True


async def test_ledger_pages_and_rewards_delta(demo_server) -> None:
    async with LoyaltyApi(demo_server.base_url) as api:
        await api.demo_sign_in()
        page = (await api.ledger(limit=2)).data
        assert len(page.items) == 2
        assert page.next_cursor
        following = (await api.ledger(cursor=page.next_cursor, limit=2)).data
        # Date order, then id: the next page starts after the last entry of this one.
        last, first = page.items[-1], following.items[0]
        assert (first.at, first.id) < (last.at, last.id)

        catalogue = (await api.rewards()).data
        since = datetime.now(UTC) + timedelta(days=1)
        delta = (await api.rewards(updated_since=since)).data
        assert delta.delta is True
        assert delta.items == ()
        assert catalogue.delta is False
        with pytest.raises(ValueError, match="time zone"):
            await api.rewards(updated_since=datetime(2026, 1, 1))


async def test_health_and_programme_need_no_sign_in(server) -> None:
    async with LoyaltyApi(server.base_url) as api:
        health = await api.health()
        assert health.status == "ok"
        fetched = await api.programme()
        assert fetched.status == 200 and fetched.data


# ---- token refresh -------------------------------------------------------------------------


async def test_a_401_refreshes_once_then_succeeds_and_reports_new_tokens(demo_server) -> None:
    session = await _demo_session(demo_server.base_url)
    rec = Recorder()
    holder = TokenHolder("garbage-access-token", session.refresh_token, on_change=rec.on_change)
    async with LoyaltyApi(demo_server.base_url, holder, event_hooks=rec.hooks) as api:
        fetched = await api.me()
        assert fetched.status == 200
        assert fetched.data.member_id == session.member_id

    assert rec.paths["/v1/auth/refresh"] == 1
    assert rec.paths["/v1/me"] == 2  # the 401 and the retry
    assert len(rec.changes) == 1
    access, refresh = rec.changes[0]
    assert (holder.access_token, holder.refresh_token) == (access, refresh)
    assert access != "garbage-access-token"
    assert refresh != session.refresh_token  # refresh tokens rotate


async def test_concurrent_401s_share_exactly_one_refresh(demo_server) -> None:
    session = await _demo_session(demo_server.base_url)
    rec = Recorder()
    holder = TokenHolder("garbage-access-token", session.refresh_token, on_change=rec.on_change)
    async with LoyaltyApi(demo_server.base_url, holder, event_hooks=rec.hooks) as api:
        results = await asyncio.gather(
            *(api.me() for _ in range(4)),
            *(api.vouchers() for _ in range(3)),
            api.ledger(),
            api.tier_progress(),
        )
    assert all(r.status == 200 for r in results)
    assert rec.paths["/v1/auth/refresh"] == 1
    assert len(rec.changes) == 1
    assert holder.access_token == rec.changes[0][0]


async def test_a_refresh_whose_reply_was_lost_keeps_the_member_signed_in(demo_server) -> None:
    session = await _demo_session(demo_server.base_url)
    # The app's refresh reached the server, which rotated the token, but the reply never came
    # back (the app was killed, the network dropped): the app still holds the old token.
    async with httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as raw:
        lost = await raw.post("/v1/auth/refresh", json={"refresh_token": session.refresh_token})
        assert lost.status_code == 200, lost.text

    rec = Recorder()
    holder = TokenHolder("garbage-access-token", session.refresh_token, on_change=rec.on_change)
    async with LoyaltyApi(demo_server.base_url, holder, event_hooks=rec.hooks) as api:
        fetched = await api.me()  # the 401, the refresh with the old token, the retry
        assert fetched.status == 200
        assert fetched.data.member_id == session.member_id
    # Within the grace window the server handed out the pair it had made, not a new one.
    assert rec.changes == [(lost.json()["access_token"], lost.json()["refresh_token"])]
    assert rec.paths["/v1/auth/refresh"] == 1


async def test_a_stale_refresh_token_lets_the_original_401_through(demo_server) -> None:
    session = await _demo_session(demo_server.base_url)
    # Someone else (another copy of the app, say) used this refresh token, and then the one
    # that replaced it: the token is stale for good, and presenting it ends the device.
    async with httpx.AsyncClient(base_url=demo_server.base_url, timeout=10) as raw:
        rotated = await raw.post("/v1/auth/refresh", json={"refresh_token": session.refresh_token})
        assert rotated.status_code == 200, rotated.text
        again = await raw.post(
            "/v1/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}
        )
        assert again.status_code == 200, again.text

    rec = Recorder()
    holder = TokenHolder("garbage-access-token", session.refresh_token, on_change=rec.on_change)
    async with LoyaltyApi(demo_server.base_url, holder, event_hooks=rec.hooks) as api:
        with pytest.raises(Rejected) as caught:
            await api.me()
    err = caught.value
    assert err.status == 401
    assert err.slug == "unauthorized"  # the original 401, not the refresh's
    assert err.signed_out
    assert rec.paths["/v1/auth/refresh"] == 1
    assert rec.paths["/v1/me"] == 1  # no retry after a refused refresh
    assert rec.changes == []


async def test_sign_out_revokes_the_session(demo_server) -> None:
    async with LoyaltyApi(demo_server.base_url) as api:
        await api.demo_sign_in()
        await api.sign_out()
        with pytest.raises(Rejected) as caught:
            await api.me()
    assert caught.value.status == 401
    assert caught.value.signed_out


# ---- refusals ------------------------------------------------------------------------------


async def test_insufficient_points_is_rejected_with_its_slug(demo_server) -> None:
    async with LoyaltyApi(demo_server.base_url) as api:
        await api.demo_sign_in()
        me = (await api.me()).data
        rewards = (await api.rewards()).data.items
        too_dear = [
            r for r in rewards if r.cost > me.balance and r.min_tier is None and r.stock != 0
        ]
        assert too_dear, f"no reward costs more than the demo balance {me.balance}"
        with pytest.raises(Rejected) as caught:
            await api.redeem(too_dear[0].id, idempotency_key="pytest-key-0001")
    err = caught.value
    assert err.status == 409
    assert err.type == "/problems/insufficient-points"
    assert err.slug == "insufficient-points"
    assert err.body["needed"] == too_dear[0].cost
    assert "points" in str(err)


async def test_staff_calls_use_the_staff_token(demo_server) -> None:
    credential = add_staff(demo_server.database_url, "Pat at the till")
    async with LoyaltyApi(demo_server.base_url, staff_token=credential) as kiosk:
        who = await kiosk.whoami()
        assert who.name == "Pat at the till"
        with pytest.raises(Rejected) as caught:
            await kiosk.lookup("0000-0000-0000")
        assert caught.value.status in (404, 422)
    async with LoyaltyApi(demo_server.base_url, staff_token="stf_not-a-real-one") as kiosk:
        with pytest.raises(Rejected) as caught:
            await kiosk.whoami()
        assert caught.value.slug == "staff-credential-invalid"
    async with LoyaltyApi(demo_server.base_url) as kiosk:
        with pytest.raises(Rejected) as caught:
            await kiosk.whoami()
        assert caught.value.slug == "staff-credential-required"


# ---- unreachable ---------------------------------------------------------------------------


async def test_a_stopped_server_is_unreachable(server) -> None:
    async with LoyaltyApi(server.base_url, timeout=3) as api:
        assert (await api.health()).status == "ok"
        server.stop()
        with pytest.raises(Unreachable) as caught:
            await api.health()
    assert server.base_url in str(caught.value)


async def test_a_closed_port_is_unreachable() -> None:
    async with LoyaltyApi(f"http://127.0.0.1:{free_port()}", timeout=3) as api:
        with pytest.raises(Unreachable):
            await api.programme()


# ---- faults from a raw TCP server ----------------------------------------------------------


@asynccontextmanager
async def raw_http_server(
    reply: bytes | Callable[[str], bytes], *, then: str = "close"
) -> AsyncIterator[str]:
    """A real socket on 127.0.0.1 answering every request with the raw bytes `reply` (or
    `reply(path)`), then closing the connection (`then="close"`) or going silent ("stall")."""
    handlers: set[asyncio.Task] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            for line in head.split("\r\n"):
                if line.lower().startswith("content-length:"):
                    await reader.readexactly(int(line.split(":", 1)[1]))
            path = head.split(" ", 2)[1]
            writer.write(reply(path) if callable(reply) else reply)
            await writer.drain()
            if then == "stall":
                await asyncio.sleep(3600)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


def http_reply(status: str, body: bytes, content_type: str, *, length: int | None = None) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


async def test_a_500_is_a_server_error() -> None:
    body = (
        b'{"type": "/problems/internal", "title": "Internal error", "status": 500, '
        b'"detail": "Something went wrong; try again later."}'
    )
    reply = http_reply("500 Internal Server Error", body, "application/problem+json")
    async with raw_http_server(reply) as url, LoyaltyApi(url, timeout=3) as api:
        with pytest.raises(ServerError) as caught:
            await api.health()
    assert caught.value.status == 500
    assert caught.value.slug == "internal"
    assert "Something went wrong" in str(caught.value)


async def test_malformed_json_in_a_200_is_a_server_error() -> None:
    reply = http_reply("200 OK", b'{"bro', "application/json")
    async with raw_http_server(reply) as url, LoyaltyApi(url, timeout=3) as api:
        with pytest.raises(ServerError) as caught:
            await api.programme()
    assert caught.value.status == 200
    assert "malformed JSON" in str(caught.value)


async def test_a_reply_that_stalls_mid_response_is_unreachable() -> None:
    reply = http_reply("200 OK", b'{"status": ', "application/json", length=200)
    async with raw_http_server(reply, then="stall") as url, LoyaltyApi(url, timeout=0.5) as api:
        started = time.monotonic()
        with pytest.raises(Unreachable) as caught:
            await api.health()
        assert time.monotonic() - started < 5
    assert "in time" in str(caught.value)


async def test_a_reply_cut_mid_body_is_unreachable() -> None:
    reply = http_reply("200 OK", b'{"status": ', "application/json", length=200)
    async with raw_http_server(reply, then="close") as url, LoyaltyApi(url, timeout=3) as api:
        with pytest.raises(Unreachable):
            await api.health()


async def test_a_refresh_the_server_cannot_answer_is_not_a_sign_out() -> None:
    """401 on the call, then 503 on the refresh: a ServerError (retry later), not a Rejected
    401 that would make the app sign the member out."""
    unauthorized = http_reply(
        "401 Unauthorized",
        b'{"type": "/problems/unauthorized", "title": "Sign-in required", "status": 401, '
        b'"detail": "Sign in again."}',
        "application/problem+json",
    )
    unavailable = http_reply(
        "503 Service Unavailable",
        b'{"type": "/problems/database-unavailable", "title": "Unavailable", "status": 503, '
        b'"detail": "Try again shortly."}',
        "application/problem+json",
    )

    def route(path: str) -> bytes:
        return unavailable if path == "/v1/auth/refresh" else unauthorized

    rec = Recorder()
    holder = TokenHolder("old-access", "old-refresh", on_change=rec.on_change)
    async with (
        raw_http_server(route) as url,
        LoyaltyApi(url, holder, timeout=3, event_hooks=rec.hooks) as api,
    ):
        with pytest.raises(ServerError) as caught:
            await api.me()
    assert caught.value.status == 503
    assert caught.value.slug == "database-unavailable"
    assert (holder.access_token, holder.refresh_token) == ("old-access", "old-refresh")
    assert rec.changes == []
    assert rec.paths == Counter({"/v1/me": 1, "/v1/auth/refresh": 1})


async def test_a_refresh_whose_reply_is_cut_keeps_the_old_pair_to_try_again() -> None:
    """401 on the call, then the refresh's reply cut off mid-body (the server may have rotated
    the token): Unreachable, and the old pair is kept, since the server hands the new pair out
    again for the old token until the pair is used; nothing is stored that was not read."""
    unauthorized = http_reply(
        "401 Unauthorized",
        b'{"type": "/problems/unauthorized", "title": "Sign-in required", "status": 401, '
        b'"detail": "Sign in again."}',
        "application/problem+json",
    )
    cut = http_reply("200 OK", b'{"access_token": "lat_new", "refr', "application/json", length=90)

    def route(path: str) -> bytes:
        return cut if path == "/v1/auth/refresh" else unauthorized

    rec = Recorder()
    holder = TokenHolder("old-access", "old-refresh", on_change=rec.on_change)
    async with (
        raw_http_server(route) as url,
        LoyaltyApi(url, holder, timeout=3, event_hooks=rec.hooks) as api,
    ):
        with pytest.raises(Unreachable):
            await api.me()
    assert (holder.access_token, holder.refresh_token) == ("old-access", "old-refresh")
    assert rec.changes == []
    assert rec.paths == Counter({"/v1/me": 1, "/v1/auth/refresh": 1})


async def test_each_request_is_logged_at_debug_with_its_answer_and_time(demo_server, caplog):
    """LOYALTY_APP_LOG=debug: a line per request, so a failed browser test's app log tells a
    tap that sent nothing from a slow answer; a token never appears in it."""
    caplog.set_level(logging.DEBUG, logger="loyalty_app.api.http")
    async with LoyaltyApi(demo_server.base_url) as api:
        session = await api.demo_sign_in(device_name="pytest")
        await api.me()
    lines = [r.getMessage() for r in caplog.records if r.name == "loyalty_app.api.http"]
    assert [line.rsplit(" in ", 1)[0] for line in lines] == [
        "POST /v1/auth/demo -> 200",
        "GET /v1/me -> 200",
    ], lines
    assert all(re.fullmatch(r".* in \d+ ms", line) for line in lines), lines
    assert not any(session.access_token in line for line in lines)
