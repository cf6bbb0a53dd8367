"""Joins at the kiosk under concurrency, over real HTTP: one member per e-mail, a retry gets the
first answer, another e-mail's join answers 409 already-member, and nothing answers 5xx."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.servers import add_staff


async def _joins(base_url: str, requests: list[tuple[str, dict, str]]) -> list[httpx.Response]:
    """Sends every (staff credential, body, key) join at once."""
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one(credential: str, body: dict, key: str) -> httpx.Response:
            await start.wait()
            headers = {"Authorization": f"Bearer {credential}", "Idempotency-Key": key}
            return await client.post("/v1/checkout/join", json=body, headers=headers)

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        await asyncio.sleep(0.2)
        start.set()
        return await asyncio.gather(*tasks)


def test_ten_identical_joins_make_one_member_and_the_same_answer(module_server):
    till = add_staff(module_server.database_url, "Join Till 1")
    body = {"email": "aiko.mori@example.org", "name": "Aiko Mori"}
    replies = asyncio.run(_joins(module_server.base_url, [(till, body, "join-aiko-0001")] * 10))
    assert [r.status_code for r in replies] == [201] * 10, [r.text for r in replies]
    assert len({r.json()["member_id"] for r in replies}) == 1


def test_one_email_joined_with_different_keys_is_one_member_and_409s(module_server):
    till = add_staff(module_server.database_url, "Join Till 2")
    body = {"email": "ravi.shah@example.org", "name": "Ravi Shah"}
    requests = [(till, body, f"join-ravi-{i:04d}") for i in range(10)]
    replies = asyncio.run(_joins(module_server.base_url, requests))
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [201] + [409] * 9, [r.text for r in replies]
    refused = [r.json() for r in replies if r.status_code == 409]
    assert {p["type"] for p in refused} == {"/problems/already-member"}


def test_a_join_key_belongs_to_the_staff_credential_that_used_it(module_server):
    first, second = (add_staff(module_server.database_url, f"Join Till {n}") for n in (3, 4))
    body = {"email": "lena.vogel@example.org", "name": "Lena Vogel"}
    made = asyncio.run(_joins(module_server.base_url, [(first, body, "join-shared-key-01")]))[0]
    assert made.status_code == 201
    # Another till sending the same key does not get the first till's answer replayed.
    other = asyncio.run(_joins(module_server.base_url, [(second, body, "join-shared-key-01")]))[0]
    assert other.status_code == 409 and other.json()["type"] == "/problems/already-member"
