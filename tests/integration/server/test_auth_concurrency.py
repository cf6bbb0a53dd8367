"""Sign-in codes and refresh tokens under concurrency, over real HTTP (the race lives on
PostgreSQL; SQLite writes one at a time): a burst of guesses cannot beat the five-try limit
(and, made certain by holding the code's row while six guesses arrive, none loses a count),
one code makes one session however many devices send it at once, one refresh token sent
many times at once makes one new pair, and a burst at two server processes sharing one
database cannot beat the per-address limit."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from loyalty_server.db import Database
from loyalty_server.models import AuthToken, Device, Member, OneTimeCode
from loyalty_server.services.tokens import token_hash
from loyalty_server.settings import Settings
from tests.support.databases import postgres_server_url
from tests.support.loyalty_http import assert_problem, request_code, sign_in, unique_email
from tests.support.servers import ServerProcess


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
    assert {r.status_code for r in replies} == {401}, [r.text for r in replies][:2]
    # Five tries were counted, whatever the interleaving: the right code is refused now.
    late = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert late.status_code == 401, late.text


def test_wrong_guesses_let_through_together_are_each_counted(module_server, client, smtp):
    """The race made certain: the test holds the code's row while six wrong guesses arrive,
    so all six reach the code before any is counted, then lets them go. Each must see the
    count the one before wrote: five counted, the code used up (read, then written back,
    the six all counted 1 and the right code then signed in)."""
    if postgres_server_url() is None:
        pytest.skip("SQLite runs one write transaction at a time: there is no race to hold")
    import psycopg

    email = unique_email("held")
    code = request_code(client, smtp, email)
    wrong = [{"email": email, "code": f"{(int(code) + n) % 10**6:06d}"} for n in range(1, 7)]
    conninfo = module_server.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo) as hold, ThreadPoolExecutor(1) as pool:
        hold.execute("SELECT id FROM one_time_codes WHERE identity = %s FOR UPDATE", (email,))
        guesses = pool.submit(asyncio.run, _posts(module_server.base_url, "/v1/auth/verify", wrong))
        _wait_for_lock_waiters(conninfo, len(wrong))
        hold.rollback()  # the row goes free: the six go on
        replies = guesses.result(timeout=120)
    assert [r.status_code for r in replies] == [401] * 6, [r.text for r in replies]
    late = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert_problem(late, 401, "invalid-code")
    assert _code_state(module_server.database_url, email) == (5, False, 0)


def _wait_for_lock_waiters(conninfo: str, n: int, timeout: float = 60) -> None:
    """Until `n` sessions of this database wait for a lock on a sign-in code's row (a wait
    on the limiter's counters, which every guess takes on its way in, does not count)."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(conninfo, autocommit=True) as watch:
        while True:
            (waiting,) = watch.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE '%one_time_codes%'"
            ).fetchone()
            if waiting >= n:
                return
            assert time.monotonic() < deadline, f"only {waiting} of {n} guesses reached the code"
            time.sleep(0.05)  # polling the condition above, not waiting for it to happen


def test_three_hundred_parallel_guesses_with_the_right_code_among_them(module_server, client, smtp):
    """The right code is the 200th of 300 sent at once: whatever order they are checked in,
    at most five tries count, and a session comes only if fewer than five wrong ones were
    counted before the right one (on PostgreSQL the row lock decides; before it, 300 at
    once with the right code at #200 signed in)."""
    email = unique_email("crowd")
    code = request_code(client, smtp, email)
    bodies = [{"email": email, "code": f"{(int(code) + n) % 10**6:06d}"} for n in range(1, 300)]
    bodies.insert(199, {"email": email, "code": code})
    replies = asyncio.run(_posts(module_server.base_url, "/v1/auth/verify", bodies))
    statuses = sorted(r.status_code for r in replies)
    assert set(statuses) <= {200, 401}, [r.text for r in replies if r.status_code >= 500][:3]
    attempts, used, devices = _code_state(module_server.database_url, email)
    assert attempts <= 5
    if 200 in statuses:
        assert statuses == [200] + [401] * 299
        # The right code was checked while fewer than five wrong ones were counted; a wrong
        # one may still be counted between that check and the spend (five in all).
        assert used and devices == 1
    else:
        assert attempts == 5 and not used and devices == 0
    print(
        f"\n300 parallel guesses: {attempts} counted, {statuses.count(200)} signed in, "
        f"{devices} sessions"
    )


def _code_state(database_url: str, email: str) -> tuple[int, bool, int]:
    """The newest code of `email`: its counted tries, whether it was used, and how many
    devices its member has."""
    db = Database(database_url)
    try:
        with db.read() as s:
            otc = s.scalar(
                select(OneTimeCode)
                .where(OneTimeCode.identity == email)
                .order_by(OneTimeCode.id.desc())
                .limit(1)
            )
            devices = s.scalar(
                select(func.count())
                .select_from(Device)
                .join(Member, Member.id == Device.member_id)
                .where(Member.email == email)
            )
            return otc.attempts, otc.used_at is not None, devices
    finally:
        db.dispose()


def test_a_burst_at_two_server_processes_gets_no_more_than_one_address_may(
    database_url, smtp, tmp_path
):
    """Two processes on one database, as behind a load balancer; 80 guesses from one
    address at once, split between them: the free tries of one address, and no more, are
    checked."""
    servers = [
        ServerProcess(
            database_url,
            smtp_port=smtp.port,
            log_path=tmp_path / f"server{n}.log",
            sign_in_limits=True,
        )
        for n in range(2)
    ]
    try:
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(ServerProcess.start, servers))
        body = {"email": "someone@example.test", "code": "123456"}

        async def both() -> list[httpx.Response]:
            halves = [_posts(server.base_url, "/v1/auth/verify", [body] * 40) for server in servers]
            return [r for half in await asyncio.gather(*halves) for r in half]

        replies = asyncio.run(both())
    finally:
        for server in servers:
            server.stop()
    statuses = [r.status_code for r in replies]
    assert statuses.count(401) == Settings.verifies_per_address_free, sorted(statuses)
    assert statuses.count(429) == 80 - Settings.verifies_per_address_free
    assert_problem(
        next(r for r in replies if r.status_code == 429), 429, "too-many-sign-in-attempts"
    )


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
