"""A chain's set-up: several server processes on one database behind a load balancer.

One server runs with `--workers 2` and a second, separate server process shares its database;
each burst goes to both at once. No credit is lost or booked twice, no point is spent twice,
one e-mail makes one member, and nothing answers 5xx."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
from collections import defaultdict

import httpx
import pytest

from tests.support.databases import fresh_database_url
from tests.support.loyalty_http import Till, client_for, sign_in
from tests.support.servers import ServerProcess, add_staff


@pytest.fixture(scope="module")
def servers(smtp, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("many_processes")
    database_url = fresh_database_url(tmp_path)
    workers = ServerProcess(
        database_url,
        smtp_port=smtp.port,
        extra_args=["--workers", "2"],
        log_path=tmp_path / "workers.log",
    )
    single = ServerProcess(database_url, smtp_port=smtp.port, log_path=tmp_path / "single.log")
    with workers, single:
        yield workers, single


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


async def _burst(requests: list[tuple[str, str, str, dict, dict | None]]) -> list[httpx.Response]:
    """Sends every (base URL, method, path, headers, JSON body) at the same moment."""
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        start = asyncio.Event()

        async def one(base, method, path, headers, body):  # noqa: ANN001, ANN202
            await start.wait()
            return await client.request(method, base + path, headers=headers, json=body)

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        await asyncio.sleep(0.2)
        start.set()
        return await asyncio.gather(*tasks)


def _no_server_error(replies: list[httpx.Response]) -> None:
    failed = [(r.status_code, r.text) for r in replies if r.status_code >= 500]
    assert not failed, failed


def test_the_workers_option_starts_that_many_server_processes(servers):
    workers, single = servers
    assert len(_children(workers.process.pid)) >= 2, workers.log_tail()
    assert "2 worker processes" in workers.log_text()
    assert "worker processes" not in single.log_text()


def test_credits_sent_to_every_process_are_each_booked_once(servers, smtp):
    workers, single = servers
    bases = [workers.base_url, single.base_url]
    with client_for(workers) as client:
        member = sign_in(client, smtp)
        before = member.balance()
        till = Till(client, add_staff(workers.database_url, "Pier 7 Till A"))
        # Thirty purchases, each sent to both servers with the same key, as a till whose
        # first reply was lost retries through whichever process the balancer picks.
        requests = []
        for n, base in itertools.product(range(30), bases):
            headers = till.headers | {"Idempotency-Key": f"credit-{n:03d}-burst"}
            body = {"amount": f"{3 + n % 5}.45", "member_number": member.member_number}
            requests.append((base, "POST", "/v1/checkout/credit", headers, body))
        replies = asyncio.run(_burst(requests))
        _no_server_error(replies)
        assert {r.status_code for r in replies} == {201}, [r.text for r in replies]
        by_key: dict[str, set[int]] = defaultdict(set)
        points: dict[int, int] = {}
        for (_, _, _, headers, _), reply in zip(requests, replies, strict=True):
            result = reply.json()
            by_key[headers["Idempotency-Key"]].add(result["credit_id"])
            points[result["credit_id"]] = result["points"]
        assert all(len(ids) == 1 for ids in by_key.values()), by_key
        assert len(points) == 30
        purchases = [e for e in member.ledger() if e["kind"] == "purchase"]
        assert len(purchases) == 30
        assert member.balance() == before + sum(points.values())


def test_redeems_sent_to_every_process_never_spend_a_point_twice(servers, smtp):
    workers, single = servers
    bases = [workers.base_url, single.base_url]
    with client_for(workers) as client:
        member = sign_in(client, smtp)
        till = Till(client, add_staff(workers.database_url, "Pier 7 Till B"))
        for _ in range(4):
            till.give_points(member, "48.00")
        balance = member.balance()
        rewards = client.get("/v1/rewards").json()["items"]
        reward = min(
            (r for r in rewards if r["stock"] is None or r["stock"] >= 40),
            key=lambda r: r["cost"],
        )
        affordable = balance // reward["cost"]
        assert 2 <= affordable < 20, (balance, reward)
        headers = member.headers
        requests = [
            (
                bases[n % 2],
                "POST",
                f"/v1/rewards/{reward['id']}/redeem",
                headers | {"Idempotency-Key": f"redeem-{n:03d}-burst"},
                None,
            )
            for n in range(20)
        ]
        replies = asyncio.run(_burst(requests))
        _no_server_error(replies)
        won = [r for r in replies if r.status_code == 201]
        refused = [r for r in replies if r.status_code != 201]
        assert len(won) == affordable, [r.text for r in replies]
        assert {r.status_code for r in refused} == {409}
        assert {r.json()["type"] for r in refused} == {"/problems/insufficient-points"}
        assert len({r.json()["voucher"]["code"] for r in won}) == affordable
        assert member.balance() == balance - affordable * reward["cost"]


def test_one_email_joined_at_every_process_makes_one_member(servers):
    workers, single = servers
    tills = [add_staff(workers.database_url, f"Pier 7 Join Till {n}") for n in (1, 2)]
    body = {"email": "mei.lin.chen@example.org", "name": "Mei-Lin Chen"}
    requests = [
        (
            (workers.base_url, single.base_url)[n % 2],
            "POST",
            "/v1/checkout/join",
            {"Authorization": f"Bearer {tills[n // 6]}", "Idempotency-Key": f"join-mei-{n:04d}"},
            body,
        )
        for n in range(12)
    ]
    replies = asyncio.run(_burst(requests))
    _no_server_error(replies)
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [201] + [409] * 11, [r.text for r in replies]
    assert {r.json()["type"] for r in replies if r.status_code == 409} == {
        "/problems/already-member"
    }
