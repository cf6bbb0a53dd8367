"""PostgreSQL connections are pinged before use only after sitting idle: a hot connection
goes straight to work (no extra round trip per till request), and an idle one that the
server has since closed is replaced, not handed to a request that would fail on it."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from loyalty_server import db as db_module
from loyalty_server.db import Database

pytestmark = pytest.mark.postgres


@pytest.fixture
def database(database_url):
    database = Database(database_url)
    yield database
    database.dispose()


def count_pings(database: Database, monkeypatch) -> list[int]:
    """Counts the dialect's pings (SQLAlchemy's pre-ping and ours both go through it)."""
    pings: list[int] = []
    dialect = database.engine.dialect
    real = dialect.do_ping

    def counted(dbapi_conn):  # noqa: ANN001, ANN202
        pings.append(1)
        return real(dbapi_conn)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


def server_pids(database: Database) -> set[int]:
    with database.read_core() as conn:
        return {conn.execute(text("SELECT pg_backend_pid()")).scalar_one()}


def close_from_the_server(database_url: str) -> int:
    """Terminates every other session on the test's database, as a restart would."""
    conninfo = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def test_a_connection_used_a_moment_ago_is_not_pinged(database, monkeypatch):
    with database.read_core() as conn:
        conn.execute(text("SELECT 1"))
    pings = count_pings(database, monkeypatch)
    for _ in range(5):  # a till's requests: the staff lookup, then the write
        with database.read_core() as conn:
            assert conn.execute(text("SELECT 42")).scalar_one() == 42
        with database.write() as s:
            assert s.execute(text("SELECT 43")).scalar_one() == 43
    assert pings == []
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    with database.read_core() as conn:
        conn.execute(text("SELECT 44"))
    assert pings == [1]  # idle long enough: pinged


def test_an_idle_connection_the_server_closed_is_replaced(database, database_url, monkeypatch):
    before = server_pids(database)
    assert close_from_the_server(database_url) >= 1
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    # Each read after the kill gets a working connection: the dead one is pinged, dropped
    # and replaced by a new one (another server process).
    after = server_pids(database)
    assert after.isdisjoint(before)
    with database.write() as s:
        assert s.execute(text("SELECT 7")).scalar_one() == 7


def test_without_the_idle_ping_the_dead_connection_would_have_failed(
    database, database_url, monkeypatch
):
    """The counterpart: the test above passes because of the ping, not by luck."""
    server_pids(database)
    close_from_the_server(database_url)
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", float("inf"))
    with pytest.raises(Exception, match="terminat|closed|connection"):
        server_pids(database)
