"""The running totals on the member row (points_open, qualifying_total) equal a full
recomputation from the ledger after any sequence of credits, voids, redeems, adjustments and
expiries, done through the real routes and services on the run's database (SQLite, then
PostgreSQL) with a clock the test moves. And `loyalty-server check-ledger` finds a tampered
total (exit 1), `--fix` sets it right."""

from __future__ import annotations

import contextlib
import itertools
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from loyalty_server import rules
from loyalty_server.admin import AdminError
from loyalty_server.admin.members import adjust
from loyalty_server.models import LedgerEntry, Member
from loyalty_server.problems import Problem
from loyalty_server.services import points
from loyalty_server.services.ledger_check import mismatches, recomputed_totals
from loyalty_server.services.redeem import redeem
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.server_cli import server_cli as run_cli

_keys = itertools.count()


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> ClockedServer:
    from tests.support.databases import fresh_database_url

    url = fresh_database_url(tmp_path_factory.mktemp("totals"))
    with clocked_server(url) as server:
        server.till = server.staff("Totals Till", "Harbor Coffee Pier 7")
        yield server


def _key() -> str:
    return f"totals-{next(_keys):08d}-{uuid.uuid4().hex[:8]}"


def _join(shop: ClockedServer, referral_code: str | None = None) -> dict:
    body = {"email": f"{uuid.uuid4().hex[:12]}@totals.test", "name": "Tot Al"}
    if referral_code:
        body["referral_code"] = referral_code
    reply = shop.client.post(
        "/v1/checkout/join", json=body, headers=shop.till | {"Idempotency-Key": _key()}
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


def _stored(shop: ClockedServer, member_id: str) -> rules.LedgerTotals:
    with shop.ctx.db.read() as s:
        m = s.get(Member, member_id)
        return rules.LedgerTotals(points_open=m.points_open, qualifying_total=m.qualifying_total)


def _from_ledger(shop: ClockedServer, member_id: str) -> rules.LedgerTotals:
    with shop.ctx.db.read() as s:
        rows = s.execute(
            select(
                LedgerEntry.amount,
                LedgerEntry.remaining,
                LedgerEntry.qualifying,
                LedgerEntry.voided_at,
            ).where(LedgerEntry.member_id == member_id)
        )
        return rules.totals_of(
            rules.LedgerLine(amount=a, remaining=r, qualifying=q, voided=v is not None)
            for a, r, q, v in rows
        )


amounts = st.integers(min_value=1, max_value=40_000).map(lambda c: f"{c // 100}.{c % 100:02d}")
steps = st.one_of(
    st.tuples(st.just("credit"), st.sampled_from([0, 1]), amounts),
    st.tuples(st.just("void"), st.integers(min_value=0, max_value=20)),
    st.tuples(
        st.just("redeem"), st.sampled_from([0, 1]), st.sampled_from(["oat-milk", "extra-shot"])
    ),
    st.tuples(st.just("adjust"), st.sampled_from([0, 1]), st.sampled_from([-300, -40, 60, 500])),
    # A day (a void's deadline passes), months (lots expire: 12 months in the demo).
    st.tuples(st.just("wait"), st.sampled_from([1, 45, 200, 380])),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=st.lists(steps, min_size=1, max_size=14))
def test_totals_equal_a_full_recomputation_after_any_sequence(shop, script):
    referrer = _join(shop)
    with shop.ctx.db.read() as s:
        code = s.get(Member, referrer["member_id"]).referral_code
    referee = _join(shop, referral_code=code)  # its first purchase pays both sides
    members = [referrer, referee]
    credits: list[int] = []
    for step in script:
        kind = step[0]
        if kind == "credit":
            reply = shop.client.post(
                "/v1/checkout/credit",
                json={"member_number": members[step[1]]["member_number"], "amount": step[2]},
                headers=shop.till | {"Idempotency-Key": _key()},
            )
            assert reply.status_code == 201, reply.text
            credits.append(reply.json()["credit_id"])
            # The credit's answer reads the running total: it is what the lots hold.
            with shop.ctx.db.read() as s:
                lots = points.load_lots(s, members[step[1]]["member_id"])
            assert reply.json()["balance"] == rules.spendable(lots, shop.clock.now)
        elif kind == "void" and credits:
            credit_id = credits[step[1] % len(credits)]
            reply = shop.client.post(
                f"/v1/checkout/credits/{credit_id}/void",
                headers=shop.till | {"Idempotency-Key": _key()},
            )
            assert reply.status_code in (200, 409), reply.text
        elif kind == "redeem":
            try:
                redeem(shop.ctx, members[step[1]]["member_id"], step[2], _key())
            except Problem as exc:
                assert 400 <= exc.status < 500, exc
        elif kind == "adjust":
            with contextlib.suppress(AdminError, Problem):  # a correction beyond the balance
                adjust(shop.ctx, members[step[1]]["member_number"], step[2], "test", "t", _key())
        elif kind == "wait":
            shop.clock.advance(step[1] * 86400)
        for member in members:
            stored = _stored(shop, member["member_id"])
            assert stored == _from_ledger(shop, member["member_id"]), (step, member)
    with shop.ctx.db.read() as s:
        ids = [m["member_id"] for m in members]
        recomputed = recomputed_totals(s, ids)
        none = rules.LedgerTotals(points_open=0, qualifying_total=0)
        assert {i: recomputed.get(i, none) for i in ids} == {i: _stored(shop, i) for i in ids}
        assert mismatches(s) == []


def test_check_ledger_finds_a_tampered_total_and_fix_sets_it_right(shop):
    member = _join(shop)
    reply = shop.client.post(
        "/v1/checkout/credit",
        json={"member_number": member["member_number"], "amount": "12.00"},
        headers=shop.till | {"Idempotency-Key": _key()},
    )
    assert reply.status_code == 201, reply.text
    url = shop.ctx.settings.database_url
    clean = run_cli("check-ledger", database_url=url)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "ledger ok" in clean.stdout
    with shop.ctx.db.write() as s:
        s.execute(
            update(Member)
            .where(Member.id == member["member_id"])
            .values(points_open=Member.points_open + 7)
        )
    found = run_cli("check-ledger", database_url=url)
    assert found.returncode == 1, found.stdout + found.stderr
    assert member["member_number"] in found.stdout
    assert "points_open 127 (ledger says 120)" in found.stdout
    fixed = run_cli("check-ledger", "--fix", database_url=url)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert member["member_number"] in fixed.stdout
    again = run_cli("check-ledger", database_url=url)
    assert again.returncode == 0 and "ledger ok" in again.stdout
    assert _stored(shop, member["member_id"]).points_open == 120


def test_the_migration_backfills_the_totals_of_existing_ledgers(database_url):
    from alembic import command

    from loyalty_server.db import Database
    from loyalty_server.migrate import alembic_config

    # The demo members' real ledgers, booked through the services.
    with clocked_server(database_url) as demo, demo.ctx.db.read() as s:
        before = recomputed_totals(s)
    assert sum(t.points_open for t in before.values()) > 0
    db = Database(database_url)
    try:
        config = alembic_config(database_url)
        with db.engine.execution_options(sqlite_immediate=True).begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0011")  # the totals' columns are gone
            command.upgrade(config, "head")  # and come back, filled from the ledger
        with db.read() as s:
            assert mismatches(s) == []
            rows = s.execute(
                select(Member.id, Member.points_open).where(Member.id.in_(list(before)))
            ).all()
        stored = {member_id: points_open for member_id, points_open in rows}
        assert stored == {i: t.points_open for i, t in before.items()}
    finally:
        db.dispose()
