"""The referral landing link `/r/{code}`: each visitor counts once a day however often they
open it (a burst from one client, concurrent or not, is one "invited"), different visitors
count apiece, and an unknown code is a 404 problem like every other route. Over real HTTP;
the window's end in-process with a clock the test moves."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from loyalty_server.services.referral import VISIT_WINDOW_SECONDS
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import SignedIn, assert_problem, sign_in


def _invited(member: SignedIn) -> int:
    reply = member.get("/v1/referral")
    assert reply.status_code == 200, reply.text
    return reply.json()["stats"]["invited"]


def test_two_hundred_visits_from_one_client_are_one_invited(client, smtp):
    member = sign_in(client, smtp)
    code = member.get("/v1/referral").json()["code"]
    started = time.perf_counter()
    for _ in range(200):
        reply = client.get(f"/r/{code}")
        assert reply.status_code == 200, reply.text
    elapsed = time.perf_counter() - started
    assert _invited(member) == 1
    print(f"200 landing visits from one client: {elapsed:.2f} s")


def test_visitors_from_different_networks_count_apiece(client, smtp):
    member = sign_in(client, smtp)
    code = member.get("/v1/referral").json()["code"]
    # As a reverse proxy on this host reports them (the server trusts 127.0.0.1's header).
    for address in ["203.0.113.7", "203.0.113.8", "2001:db8:1::1", "2001:db8:1::2"]:
        reply = client.get(f"/r/{code}", headers={"X-Forwarded-For": address})
        assert reply.status_code == 200, reply.text
    # two IPv4 visitors and one IPv6 /64 (a host may pick any address in it)
    assert _invited(member) == 3


async def _burst(base_url: str, path: str, n: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one() -> httpx.Response:
            await start.wait()
            return await client.get(path)

        tasks = [asyncio.create_task(one()) for _ in range(n)]
        await asyncio.sleep(0.2)
        start.set()
        return await asyncio.gather(*tasks)


def test_thirty_concurrent_visits_from_one_client_are_one_invited(module_server, client, smtp):
    member = sign_in(client, smtp)
    code = member.get("/v1/referral").json()["code"]
    replies = asyncio.run(_burst(module_server.base_url, f"/r/{code}", 30))
    assert {r.status_code for r in replies} == {200}, [r.text for r in replies]
    assert _invited(member) == 1


def test_an_unknown_code_is_a_404_problem(client):
    assert_problem(client.get("/r/NOSUCH99"), 404, "not-found")
    assert_problem(client.get("/r/%00"), 404, "not-found")


# --------------------------------------------------------------------------- a day passes


@pytest.fixture
def shop(database_url, smtp) -> ClockedServer:
    with clocked_server(database_url, smtp_port=smtp.port) as server:
        yield server


def test_the_same_visitor_counts_again_in_the_next_window(shop, smtp):
    member = sign_in(shop.client, smtp)
    code = member.get("/v1/referral").json()["code"]
    for _ in range(3):
        assert shop.client.get(f"/r/{code}").status_code == 200
    assert _invited(member) == 1
    shop.clock.advance(VISIT_WINDOW_SECONDS)
    member = sign_in(shop.client, smtp, member.email)  # the old tokens have expired
    for _ in range(3):
        assert shop.client.get(f"/r/{code}").status_code == 200
    assert _invited(member) == 2
