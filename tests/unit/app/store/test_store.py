"""The offline store: round trips, durability across close and kill -9, recovery from files
that are not (or no longer) our store, and migrations."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from loyalty_app.store import Intent, Snapshot, Store, default_data_dir, default_store_path
from loyalty_app.store.store import APPLICATION_ID, SCHEMA_VERSION

T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "dir" / "store.sqlite3"


@pytest.fixture
def store(store_path: Path):
    opened = Store.open(store_path)
    yield opened
    opened.close()


def _aside_files(path: Path) -> list[Path]:
    found = path.parent.glob(f"{path.name}.corrupt-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm", "-journal")))


# ---- basics --------------------------------------------------------------------------------


def test_open_creates_parent_dirs_wal_and_marks_the_file(store: Store, store_path: Path) -> None:
    assert store_path.exists()
    assert store.schema_version == SCHEMA_VERSION
    with sqlite3.connect(store_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_default_paths() -> None:
    assert default_data_dir().name == "loyalty-app"
    assert default_store_path().parent == default_data_dir()


def test_snapshot_round_trip_touch_and_sync_times(store: Store) -> None:
    assert store.get_snapshot("me") is None
    data = {"name": "Mei 美", "balance": 1240, "nested": {"items": [1, 2.5, None, True]}}
    store.put_snapshot("me", data, '"etag-1"', T0)
    assert store.get_snapshot("me") == Snapshot("me", data, '"etag-1"', T0)

    store.put_snapshot("me", {"balance": 1}, None, T0 + timedelta(minutes=1))
    replaced = store.get_snapshot("me")
    assert replaced.data == {"balance": 1}
    assert replaced.etag is None

    later = datetime(2026, 11, 23, 18, 0, tzinfo=timezone(timedelta(hours=8)))
    assert store.touch_snapshot("me", later) is True
    touched = store.get_snapshot("me")
    assert touched.synced_at == later
    assert touched.synced_at.tzinfo is not None
    assert touched.data == {"balance": 1}
    assert store.touch_snapshot("nothing-here", later) is False

    store.put_snapshot("tiers", {"tiers": []}, '"t"', T0)
    assert store.snapshots_synced() == {"me": later, "tiers": T0}


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone"):
        store.put_snapshot("me", {}, None, datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone"):
        store.add_intent("redeem", {}, datetime(2026, 1, 1))
    assert store.intents() == []


def test_meta_round_trip(store: Store) -> None:
    assert store.get_meta("backend_url") is None
    store.set_meta("backend_url", "https://loyalty.example")
    store.set_meta("backend_url", "https://loyalty.example/v2")
    store.set_meta("device_name", "Mei's phone")
    assert store.get_meta("backend_url") == "https://loyalty.example/v2"
    assert store.get_meta("device_name") == "Mei's phone"
    store.delete_meta("device_name")
    assert store.get_meta("device_name") is None
    with pytest.raises(TypeError):
        store.set_meta("member_id", 42)  # type: ignore[arg-type]


# ---- outbox --------------------------------------------------------------------------------


def test_intent_lifecycle(store: Store) -> None:
    first = store.add_intent("redeem", {"reward_id": "pastry"}, T0)
    assert isinstance(first, Intent)
    assert first.status == "pending" and first.attempts == 0
    assert str(uuid.UUID(first.idempotency_key)) == first.idempotency_key
    assert store.get_intent(first.id) == first

    second = store.add_intent("claim_referral", {"code": "MEI123"}, T0 + timedelta(seconds=1))
    third = store.add_intent("redeem", {"reward_id": "mug"}, T0 + timedelta(seconds=2))
    assert len({first.idempotency_key, second.idempotency_key, third.idempotency_key}) == 3
    assert [i.id for i in store.pending_intents()] == [first.id, second.id, third.id]

    store.record_attempt(first.id, "Unreachable: connection refused")
    store.record_attempt(first.id, "ServerError: HTTP 503")
    again = store.get_intent(first.id)
    assert (again.status, again.attempts, again.last_error) == (
        "pending",
        2,
        "ServerError: HTTP 503",
    )

    store.mark_done(first.id, {"voucher": {"code": "V-1"}, "balance": 10})
    done = store.get_intent(first.id)
    assert done.status == "done" and done.attempts == 3
    assert done.result == {"voucher": {"code": "V-1"}, "balance": 10}

    store.mark_rejected(second.id, "/problems/referral-closed", "Referral codes are closed.")
    rejected = store.get_intent(second.id)
    assert rejected.status == "rejected"
    assert rejected.problem_type == "/problems/referral-closed"
    assert rejected.last_error == "Referral codes are closed."

    assert [i.id for i in store.pending_intents()] == [third.id]
    assert [i.id for i in store.intents("rejected")] == [second.id]
    assert [i.id for i in store.intents("done")] == [first.id]
    assert [i.id for i in store.intents()] == [first.id, second.id, third.id]
    with pytest.raises(ValueError):
        store.intents("lost")

    assert store.dismiss(third.id) is False  # pending intents are never dropped
    assert store.dismiss(second.id) is True
    assert store.get_intent(second.id) is None
    assert store.get_intent(third.id) is not None
    with pytest.raises(KeyError):
        store.mark_done(second.id, {})


def test_intents_survive_close_and_reopen_in_order(store_path: Path) -> None:
    with Store.open(store_path) as store:
        added = [store.add_intent("redeem", {"n": n}, T0 + timedelta(seconds=n)) for n in range(5)]
        store.record_attempt(added[2].id, "offline")
    with Store.open(store_path) as store:
        pending = store.pending_intents()
    assert [i.payload["n"] for i in pending] == [0, 1, 2, 3, 4]
    assert [i.idempotency_key for i in pending] == [i.idempotency_key for i in added]
    assert pending[2].attempts == 1
    assert pending[0].created_at == T0


def test_an_intent_survives_kill_9_right_after_add(store_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from datetime import UTC, datetime
        from loyalty_app.store import Store
        store = Store.open({str(store_path)!r})
        intent = store.add_intent("redeem", {{"reward_id": "pastry"}}, datetime.now(UTC))
        sys.stdout.write(intent.idempotency_key + "\\n")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    key = child.stdout.strip()
    assert key, child.stderr

    with Store.open(store_path) as store:
        pending = store.pending_intents()
    assert [(i.kind, i.payload, i.idempotency_key) for i in pending] == [
        ("redeem", {"reward_id": "pastry"}, key)
    ]


def test_wipe_deletes_everything(store: Store) -> None:
    store.put_snapshot("me", {"a": 1}, '"e"', T0)
    store.add_intent("redeem", {"reward_id": "pastry"}, T0)
    store.set_meta("member_id", "m-1")
    store.wipe()
    assert store.get_snapshot("me") is None
    assert store.intents() == []
    assert store.get_meta("member_id") is None
    assert store.snapshots_synced() == {}
    store.add_intent("redeem", {}, T0)  # still usable
    assert len(store.pending_intents()) == 1


def test_closed_store_says_so(store_path: Path) -> None:
    store = Store.open(store_path)
    store.close()
    store.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        store.get_meta("x")


# ---- files that are not our store ----------------------------------------------------------


def _assert_recovered(store_path: Path, caplog: pytest.LogCaptureFixture, original: bytes) -> None:
    with caplog.at_level(logging.WARNING, logger="loyalty_app.store"):
        store = Store.open(store_path)
    try:
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        message = warnings[0].getMessage()
        (aside,) = _aside_files(store_path)
        assert str(store_path) in message and str(aside) in message
        assert "\n" not in message
        assert aside.name.startswith(f"{store_path.name}.corrupt-")
        assert aside.read_bytes() == original  # kept for inspection, untouched
        # ... and the fresh store works.
        assert store.pending_intents() == []
        intent = store.add_intent("redeem", {"reward_id": "pastry"}, T0)
        assert store.get_intent(intent.id) == intent
    finally:
        store.close()
    with Store.open(store_path) as again:
        assert len(again.pending_intents()) == 1
    assert len(_aside_files(store_path)) == 1  # no second move


def test_a_truncated_store_is_moved_aside_and_rebuilt(store_path, tmp_path, caplog) -> None:
    real = tmp_path / "real.sqlite3"
    with Store.open(real) as store:
        store.put_snapshot("me", {"padding": "x" * 20_000}, '"e"', T0)
        store.add_intent("redeem", {"reward_id": "pastry"}, T0)
    head = real.read_bytes()[:100]
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(head)
    _assert_recovered(store_path, caplog, head)


def test_a_store_with_damaged_pages_is_moved_aside_and_rebuilt(store_path, caplog) -> None:
    with Store.open(store_path) as store:
        for n in range(50):
            store.put_snapshot(f"r{n}", {"padding": "x" * 2_000}, None, T0)
    data = bytearray(store_path.read_bytes())
    assert len(data) > 5 * 4096
    data[4096 : 4 * 4096] = os.urandom(3 * 4096)  # scribble over pages 2 to 4
    store_path.write_bytes(bytes(data))
    _assert_recovered(store_path, caplog, bytes(data))


def test_a_text_file_is_moved_aside_and_rebuilt(store_path, caplog) -> None:
    store_path.parent.mkdir(parents=True)
    text = b"these are my shopping notes, not a database\n" * 50
    store_path.write_bytes(text)
    _assert_recovered(store_path, caplog, text)


def test_a_foreign_sqlite_database_is_moved_aside_and_rebuilt(store_path, caplog) -> None:
    store_path.parent.mkdir(parents=True)
    with sqlite3.connect(store_path) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO notes (body) VALUES ('someone else''s data')")
    other.close()
    original = store_path.read_bytes()
    _assert_recovered(store_path, caplog, original)


def test_a_store_from_a_newer_app_is_moved_aside(store_path, caplog) -> None:
    with Store.open(store_path):
        pass
    with sqlite3.connect(store_path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with caplog.at_level(logging.WARNING, logger="loyalty_app.store"):
        Store.open(store_path).close()
    assert "newer" in caplog.text
    assert len(_aside_files(store_path)) == 1


def test_the_wal_moves_aside_with_its_database(store_path, caplog) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"garbage" * 100)
    wal = store_path.with_name(store_path.name + "-wal")
    wal.write_bytes(b"stale wal")
    with caplog.at_level(logging.WARNING, logger="loyalty_app.store"):
        Store.open(store_path).close()
    (aside,) = _aside_files(store_path)
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"stale wal"


def test_an_empty_file_is_simply_initialised(store_path, caplog) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.touch()
    with caplog.at_level(logging.WARNING, logger="loyalty_app.store"), Store.open(store_path) as s:
        assert s.schema_version == SCHEMA_VERSION
    assert caplog.records == []
    assert _aside_files(store_path) == []


# ---- migrations ----------------------------------------------------------------------------


def test_migrations_are_idempotent(store_path: Path, caplog) -> None:
    with Store.open(store_path) as store:
        store.set_meta("backend_url", "https://loyalty.example")
        intent = store.add_intent("redeem", {"reward_id": "pastry"}, T0)
        assert store.migrate() == SCHEMA_VERSION
        assert store.migrate() == SCHEMA_VERSION
    with caplog.at_level(logging.INFO, logger="loyalty_app.store"):
        for _ in range(3):
            with Store.open(store_path) as store:
                assert store.schema_version == SCHEMA_VERSION
                assert store.get_meta("backend_url") == "https://loyalty.example"
                assert store.pending_intents() == [intent]
    assert "migrated" not in caplog.text  # nothing re-applied
    assert _aside_files(store_path) == []


def test_two_handles_on_one_file_see_each_others_writes(store_path: Path) -> None:
    with Store.open(store_path) as a, Store.open(store_path) as b:
        a.add_intent("redeem", {"n": 1}, T0)
        b.add_intent("redeem", {"n": 2}, T0)
        assert [i.payload["n"] for i in a.pending_intents()] == [1, 2]
    assert os.path.exists(store_path)
