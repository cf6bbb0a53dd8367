"""Bursts of concurrent redeems over real HTTP: balances never go negative, an Idempotency-Key
spends at most once, stock never drops below zero, and nothing answers 5xx."""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict

import httpx
import pytest

from tests.support.loyalty_http import (
    programme_variant,
    sign_in,
)

MUG = ("ceramic-mug", 1000, 10)  # id, cost, stock in this test's programme
KIT = ("pour-over-kit", 500, 3)


@pytest.fixture(scope="module")
def server_options(tmp_path_factory) -> dict:
    programme = programme_variant(
        tmp_path_factory.mktemp("programme") / "harbor_busy.toml",
        [
            ("cost = 4000\nstock = 25\n", f"cost = {MUG[1]}\nstock = {MUG[2]}\n"),
            ("cost = 7500\nstock = 15\n", f"cost = {KIT[1]}\nstock = {KIT[2]}\n"),
        ],
    )
    return {"programme": programme}


def _keys(label: str, seed: int) -> list[str]:
    """100 keys: 20 keys sent three times each and 40 sent once, shuffled."""
    repeated = [f"{label}-repeat-{i:02d}" for i in range(20)] * 3
    single = [f"{label}-single-{i:02d}" for i in range(40)]
    keys = repeated + single
    random.Random(seed).shuffle(keys)
    return keys


async def _burst(base_url: str, requests: list[tuple[str, str, str]]) -> list[httpx.Response]:
    """Sends every (access token, reward id, key) redeem at once."""
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        start = asyncio.Event()

        async def one(token: str, reward_id: str, key: str) -> httpx.Response:
            await start.wait()
            return await client.post(
                f"/v1/rewards/{reward_id}/redeem",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            )

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        await asyncio.sleep(0)
        start.set()
        return await asyncio.gather(*tasks)


def _stock(client, reward_id: str) -> int:
    items = client.get("/v1/rewards").json()["items"]
    return next(r["stock"] for r in items if r["id"] == reward_id)


def _check_answers(keys: list[str], replies: list[httpx.Response]) -> dict[str, dict]:
    """No 5xx, only 201 or a 409 problem; every 201 for one key has the same body.
    Returns the successful keys with their (single) result."""
    statuses = Counter(r.status_code for r in replies)
    assert set(statuses) <= {201, 409}, {r.status_code: r.text for r in replies}
    won: dict[str, dict] = {}
    bodies: dict[str, list[dict]] = defaultdict(list)
    for key, reply in zip(keys, replies, strict=True):
        if reply.status_code == 201:
            bodies[key].append(reply.json())
        else:
            assert reply.headers["content-type"].startswith("application/problem+json")
            assert reply.json()["type"] in (
                "/problems/insufficient-points",
                "/problems/out-of-stock",
            )
    for key, results in bodies.items():
        assert all(r == results[0] for r in results), f"key {key} answered differently"
        won[key] = results[0]
    return won


def _check_member(member, cost: int, start_balance: int, won: dict[str, dict]) -> None:
    balance = member.balance()
    assert balance >= 0
    assert balance == start_balance - cost * len(won)
    ledger = member.ledger()
    assert sum(e["amount"] for e in ledger) == balance
    redeems = [e for e in ledger if e["kind"] == "redeem"]
    assert len(redeems) == len(won), "a key spent more than once (or a spend was lost)"
    voucher_ids = {r["voucher"]["id"] for r in won.values()}
    assert len(voucher_ids) == len(won)
    mine = {v["id"] for v in member.get("/v1/vouchers").json()["items"]}
    assert mine == voucher_ids


def test_concurrent_redeems_never_overspend_the_balance(client, smtp, till, module_server):
    reward_id, cost, stock = MUG
    member = sign_in(client, smtp)
    till.give_points(member, "750.00")  # 7500 points: seven mugs, though ten are in stock
    start_balance = member.balance()
    keys = _keys("mug", seed=1)

    replies = asyncio.run(
        _burst(module_server.base_url, [(member.access_token, reward_id, k) for k in keys])
    )

    won = _check_answers(keys, replies)
    assert len(won) == start_balance // cost == 7
    _check_member(member, cost, start_balance, won)
    assert _stock(client, reward_id) == stock - len(won) >= 0


def test_concurrent_redeems_by_two_members_never_oversell_the_stock(
    client, smtp, till, module_server
):
    reward_id, cost, stock = KIT
    members = [sign_in(client, smtp), sign_in(client, smtp)]
    for member in members:
        till.give_points(member, "100.00")  # 1000 points: two kits each, three in stock
    keys = {0: _keys("kit-a", seed=2)[:50], 1: _keys("kit-b", seed=3)[:50]}
    requests, order = [], []
    for i in range(50):
        for m in (0, 1):
            requests.append((members[m].access_token, reward_id, keys[m][i]))
            order.append(m)

    replies = asyncio.run(_burst(module_server.base_url, requests))

    total = 0
    problems = {r.json()["type"] for r in replies if r.status_code == 409}
    assert "/problems/out-of-stock" in problems
    for m, member in enumerate(members):
        mine = [
            (k, r) for (_, _, k), r, who in zip(requests, replies, order, strict=True) if who == m
        ]
        won = _check_answers([k for k, _ in mine], [r for _, r in mine])
        assert len(won) <= 2
        _check_member(member, cost, 1000, won)
        total += len(won)
    assert total == stock
    assert _stock(client, reward_id) == 0
