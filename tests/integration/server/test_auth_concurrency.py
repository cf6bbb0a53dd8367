"""Sign-in codes and refresh tokens under concurrency, over real HTTP (the race lives on
PostgreSQL; SQLite writes one at a time): a burst of guesses cannot beat the five-try limit,
one code makes one session however many devices send it at once, and one refresh token sent
many times at once makes one new pair."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from loyalty_server.db import Database
from loyalty_server.models import AuthToken
from loyalty_server.services.tokens import token_hash
from tests.support.loyalty_http import request_code, sign_in, unique_email


async def _posts(base_url: str, path: str, bodies: list[dict]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one(body: dict) -> httpx.Response:
            await start.wait()
            return await client.post(path, json=body)

        tasks = [asyncio.create_task(one(b)) for b in bodies]
        await asyncio.sleep(0.2)
        start.set()
        return await asyncio.gather(*tasks)


def test_thirty_parallel_wrong_guesses_use_up_the_code(module_server, client, smtp):
    email = unique_email("guessed")
    code = request_code(client, smtp, email)
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 31)]
    replies = asyncio.run(
        _posts(
            module_server.base_url, "/v1/auth/verify", [{"email": email, "code": c} for c in wrong]
        )
    )
    assert {r.status_code for r in replies} == {401}
    # Five tries were counted, whatever the interleaving: the right code is refused now.
    late = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert late.status_code == 401, late.text


def test_one_code_sent_by_ten_devices_at_once_makes_one_session(module_server, client, smtp):
    email = unique_email("twin")
    code = request_code(client, smtp, email)
    body = {"email": email, "code": code}
    replies = asyncio.run(_posts(module_server.base_url, "/v1/auth/verify", [body] * 10))
    assert sorted(r.status_code for r in replies) == [200] + [401] * 9, [r.text for r in replies]


def test_ten_refreshes_racing_with_one_token_all_get_the_same_single_pair(
    module_server, client, smtp
):
    member = sign_in(client, smtp)
    body = {"refresh_token": member.session["refresh_token"]}
    replies = asyncio.run(_posts(module_server.base_url, "/v1/auth/refresh", [body] * 10))
    assert {r.status_code for r in replies} == {200}, [r.text for r in replies]
    pairs = {(r.json()["access_token"], r.json()["refresh_token"]) for r in replies}
    assert len(pairs) == 1, "a refresh race made more than one live pair"
    access, refresh = pairs.pop()
    assert _live_refresh_tokens(module_server.database_url, refresh) == 1
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {access}"})
    assert me.status_code == 200, me.text
    nxt = client.post("/v1/auth/refresh", json={"refresh_token": refresh})
    assert nxt.status_code == 200, nxt.text


def _live_refresh_tokens(database_url: str, refresh_token: str) -> int:
    """How many unrevoked refresh tokens the device of `refresh_token` holds."""
    db = Database(database_url)
    try:
        with db.read() as s:
            device_id = s.get(AuthToken, token_hash(refresh_token)).device_id
            return s.scalar(
                select(func.count())
                .select_from(AuthToken)
                .where(
                    AuthToken.device_id == device_id,
                    AuthToken.kind == "refresh",
                    AuthToken.revoked_at.is_(None),
                )
            )
    finally:
        db.dispose()
