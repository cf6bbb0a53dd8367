"""The API client's transport in the browser-run build: chosen only under Emscripten, and
mapping a request to the browser's fetch and its reply back to httpx (status, headers, body;
a failed fetch is Unreachable). The fetch here is a stand-in with pyfetch's shape: the real
one exists only inside Pyodide (the static build's browser test drives it)."""

from __future__ import annotations

import asyncio
import json
import sys

import httpx
import pytest

from loyalty_app.api.errors import Rejected, Unreachable
from loyalty_app.api.fetch import FetchTransport, default_transport
from loyalty_app.api.http import ApiHttp
from loyalty_app.platform import in_browser, off_the_loop


class FakeReply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self._body = body

    async def bytes(self) -> bytes:
        return self._body


class FakeFetch:
    def __init__(self, reply: FakeReply | Exception | None = None, delay: float = 0) -> None:
        self.reply = reply
        self.delay = delay
        self.calls: list[tuple[str, dict]] = []

    async def __call__(self, url: str, **options) -> FakeReply:
        self.calls.append((url, options))
        if self.delay:
            await asyncio.sleep(self.delay)  # a server that does not answer in time
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def test_the_fetch_transport_is_chosen_only_in_the_browser():
    assert isinstance(default_transport("emscripten"), FetchTransport)
    assert default_transport("linux") is None
    assert default_transport(sys.platform) is None
    assert in_browser("emscripten") and not in_browser("linux")


def test_a_request_goes_to_fetch_with_its_method_headers_and_body():
    fetch = FetchTransport(
        fake := FakeFetch(
            FakeReply(201, {"ETag": '"v2"', "Content-Type": "application/json"}, b'{"ok": 1}')
        )
    )

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=fetch, base_url="http://api.test") as client:
            return await client.post(
                "/v1/redeem",
                json={"reward_id": "r1"},
                headers={"Idempotency-Key": "k1", "User-Agent": "loyalty-app/0.1"},
            )

    reply = asyncio.run(go())
    url, options = fake.calls[0]
    assert url == "http://api.test/v1/redeem"
    assert options["method"] == "POST"
    assert json.loads(options["body"]) == {"reward_id": "r1"}
    assert options["headers"]["idempotency-key"] == "k1"
    assert "user-agent" not in {k.lower() for k in options["headers"]}  # the browser's own
    assert options["cache"] == "no-store"  # the client's conditional GETs see the 304s
    assert reply.status_code == 201
    assert reply.headers["etag"] == '"v2"'
    assert reply.json() == {"ok": 1}


def test_a_get_sends_no_body():
    fake = FakeFetch(FakeReply(304, {}, b""))

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=FetchTransport(fake)) as client:
            return await client.get("http://api.test/v1/me", headers={"If-None-Match": '"v1"'})

    assert asyncio.run(go()).status_code == 304
    assert "body" not in fake.calls[0][1]
    assert fake.calls[0][1]["headers"]["if-none-match"] == '"v1"'


def _api_call(fake: FakeFetch, timeout: float = 10.0):
    async def go():
        api = ApiHttp("http://api.test", transport=FetchTransport(fake), timeout=timeout)
        try:
            return await api._call("GET", "/v1/programme")
        finally:
            await api.aclose()

    return asyncio.run(go())


def test_a_failed_fetch_is_unreachable():
    with pytest.raises(Unreachable):
        _api_call(FakeFetch(OSError("Failed to fetch")))


def test_a_fetch_that_outlasts_the_timeout_is_unreachable():
    with pytest.raises(Unreachable, match="in time"):
        _api_call(FakeFetch(FakeReply(200, {}, b"{}"), delay=5), timeout=0.05)


def test_a_refusal_comes_back_as_the_problem():
    problem = {"type": "/problems/not-found", "title": "Not found", "status": 404}
    fake = FakeFetch(
        FakeReply(404, {"content-type": "application/problem+json"}, json.dumps(problem).encode())
    )
    with pytest.raises(Rejected) as refused:
        _api_call(fake)
    assert refused.value.status == 404


def test_off_the_loop_runs_in_place_in_the_browser(monkeypatch):
    import threading

    seen = []
    monkeypatch.setattr(sys, "platform", "emscripten")
    asyncio.run(off_the_loop(lambda: seen.append(threading.current_thread())))
    assert seen == [threading.main_thread()]
