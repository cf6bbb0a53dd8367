"""Sign-in codes under concurrency, over real HTTP (the race lives on PostgreSQL; SQLite
writes one at a time): a burst of guesses cannot beat the five-try limit, and one code makes
one session however many devices send it at once."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.loyalty_http import request_code, unique_email


async def _verifies(base_url: str, bodies: list[dict]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one(body: dict) -> httpx.Response:
            await start.wait()
            return await client.post("/v1/auth/verify", json=body)

        tasks = [asyncio.create_task(one(b)) for b in bodies]
        await asyncio.sleep(0.2)
        start.set()
        return await asyncio.gather(*tasks)


def test_thirty_parallel_wrong_guesses_use_up_the_code(module_server, client, smtp):
    email = unique_email("guessed")
    code = request_code(client, smtp, email)
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 31)]
    replies = asyncio.run(
        _verifies(module_server.base_url, [{"email": email, "code": c} for c in wrong])
    )
    assert {r.status_code for r in replies} == {401}
    # Five tries were counted, whatever the interleaving: the right code is refused now.
    late = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert late.status_code == 401, late.text


def test_one_code_sent_by_ten_devices_at_once_makes_one_session(module_server, client, smtp):
    email = unique_email("twin")
    code = request_code(client, smtp, email)
    body = {"email": email, "code": code}
    replies = asyncio.run(_verifies(module_server.base_url, [body] * 10))
    assert sorted(r.status_code for r in replies) == [200] + [401] * 9, [r.text for r in replies]
