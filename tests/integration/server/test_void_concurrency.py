"""Concurrent voids of one credit over real HTTP, each with its own key: exactly one takes the
points back, the others answer 409 already-voided, and nothing answers 5xx."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.loyalty_http import sign_in


async def _voids(base_url: str, credential: str, credit_id: int, n: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one(i: int) -> httpx.Response:
            await start.wait()
            headers = {"Authorization": f"Bearer {credential}", "Idempotency-Key": f"void-{i:08d}"}
            return await client.post(f"/v1/checkout/credits/{credit_id}/void", headers=headers)

        tasks = [asyncio.create_task(one(i)) for i in range(n)]
        await asyncio.sleep(0.2)
        start.set()
        return await asyncio.gather(*tasks)


def test_twelve_voids_of_one_credit_take_its_points_back_once(module_server, client, smtp, till):
    member = sign_in(client, smtp, name="Noa Levi")
    till.give_points(member, "40.00")
    booked = member.balance()
    credited = till.credit("12.00", member_number=member.member_number)
    assert credited.status_code == 201, credited.text
    replies = asyncio.run(
        _voids(module_server.base_url, till.credential, credited.json()["credit_id"], 12)
    )
    assert sorted(r.status_code for r in replies) == [200] + [409] * 11, [r.text for r in replies]
    assert member.balance() == booked
