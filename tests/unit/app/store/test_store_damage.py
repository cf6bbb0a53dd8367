"""The store's files are the user's alone (0700 folder, 0600 files, whatever the umask), and a
damaged store keeps what can still be read of its outbox and meta: a truncated file, pages
scribbled over in the middle, a garbage header, an outbox still in the WAL of a killed app."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from loyalty_app.session import Prefs
from loyalty_app.store import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PAGE = 4096


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0)
    yield
    os.umask(old)


# ---- modes ---------------------------------------------------------------------------------


def test_a_new_store_is_0600_in_a_0700_folder_whatever_the_umask(tmp_path, loose_umask) -> None:
    folder = tmp_path / "data"
    path = folder / "member.db"
    with Store.open(path) as store:
        store.add_intent("redeem", {"reward_id": "pastry"}, T0)
        sides = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        assert all(side.exists() for side in sides)
        assert _mode(folder) == 0o700
        assert {p.name: _mode(p) for p in (path, *sides)} == {p.name: 0o600 for p in (path, *sides)}
    Prefs(folder / "prefs.json").save(lang="en")
    assert _mode(folder / "prefs.json") == 0o600
    assert {p.name for p in folder.iterdir()} <= {path.name, "prefs.json", *(s.name for s in sides)}


def test_an_existing_loose_folder_and_files_are_tightened_on_open(tmp_path) -> None:
    folder = tmp_path / "data"
    path = folder / "member.db"
    Store.open(path).close()
    Prefs(folder / "prefs.json").save(lang="en")
    with sqlite3.connect(path) as raw:  # leaves a -wal and -shm behind while open
        raw.execute("SELECT 1").fetchall()
        for file in folder.iterdir():
            os.chmod(file, 0o644)
        os.chmod(folder, 0o755)
        with Store.open(path):
            for file in folder.iterdir():
                assert _mode(file) == (0o600 if file.name != "prefs.json" else 0o644)
            assert _mode(folder) == 0o700
    Prefs(folder / "prefs.json").save(theme="dark")
    assert _mode(folder / "prefs.json") == 0o600


def test_a_shared_sticky_folder_is_left_alone(tmp_path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    with Store.open(shared / "member.db"):
        assert _mode(shared) == 0o1777  # like /tmp: never made private, never broken
        assert _mode(shared / "member.db") == 0o600


# ---- damage --------------------------------------------------------------------------------


def _member_store(path: Path) -> tuple[str, list[int]]:
    """A signed-in member's store as the app leaves it: meta, a catalogue's worth of
    snapshots rewritten by a few syncs, a queued redeem. Returns the redeem's key and the
    pages that hold the meta and outbox tables (the test damages others)."""
    with Store.open(path) as store:
        store.set_meta("member_id", "m-1")
        store.set_meta("card_id", "card-1")
        for n in range(40):
            store.put_snapshot(f"r{n}", {"padding": "x" * 3_000}, None, T0)
        key = store.add_intent("redeem", {"reward_id": "pastry"}, T0).idempotency_key
        for n in range(40):
            store.put_snapshot(f"r{n}", {"padding": "y" * 3_000}, '"2"', T0 + timedelta(1))
    with sqlite3.connect(path) as raw:
        roots = [
            row[0]
            for row in raw.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('meta', 'intents')"
            )
        ]
    raw.close()
    return key, roots


def _assert_kept(path: Path, key: str) -> None:
    with Store.open(path, ("member_id", "card_id")) as store:
        assert store.recovery is not None and store.recovery.readable
        assert store.recovery.intents == 1
        pending = store.pending_intents()
        assert [(i.kind, i.payload, i.idempotency_key) for i in pending] == [
            ("redeem", {"reward_id": "pastry"}, key)
        ]
        assert store.get_meta("member_id") == "m-1"
        assert store.get_meta("card_id") == "card-1"
        assert store.get_snapshot("r1") is None  # the cache comes back from the server
        assert _mode(store.recovery.aside) == 0o600
    with Store.open(path) as again:  # kept for good, and no second recovery
        assert again.recovery is None
        assert [i.idempotency_key for i in again.pending_intents()] == [key]
    assert not list(path.parent.glob(".salvage-*"))


def test_a_truncated_store_keeps_its_queued_redeem(tmp_path) -> None:
    path = tmp_path / "member.db"
    key, _ = _member_store(path)
    data = path.read_bytes()
    assert len(data) > 40 * PAGE
    path.write_bytes(data[: len(data) // 3])  # a copy or a disk that stopped a third in
    _assert_kept(path, key)


def test_pages_overwritten_in_the_middle_keep_the_queued_redeem(tmp_path) -> None:
    path = tmp_path / "member.db"
    key, roots = _member_store(path)
    data = bytearray(path.read_bytes())
    first, last = 12, 30  # 1-based page numbers, all snapshot pages
    assert not {p for p in roots if first <= p <= last}
    data[(first - 1) * PAGE : last * PAGE] = os.urandom((last - first + 1) * PAGE)
    path.write_bytes(bytes(data))
    _assert_kept(path, key)


def test_a_garbage_header_keeps_the_queued_redeem(tmp_path) -> None:
    path = tmp_path / "member.db"
    key, _ = _member_store(path)
    data = path.read_bytes()
    path.write_bytes(os.urandom(100) + data[100:])
    _assert_kept(path, key)


def test_a_redeem_only_in_the_wal_of_a_killed_app_survives_a_garbage_header(tmp_path) -> None:
    path = tmp_path / "member.db"
    _member_store(path)
    Store.open(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("DELETE FROM intents")
    raw.close()
    script = textwrap.dedent(f"""
        import os, signal, sys
        from datetime import UTC, datetime
        from loyalty_app.store import Store
        store = Store.open({str(path)!r})
        intent = store.add_intent("redeem", {{"reward_id": "pastry"}}, datetime.now(UTC))
        print(intent.idempotency_key, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0  # the redeem is in the WAL only
    with open(path, "r+b") as file:
        file.write(os.urandom(100))
    _assert_kept(path, child.stdout.strip())


def test_an_unreadable_store_says_nothing_could_be_read(tmp_path) -> None:
    path = tmp_path / "member.db"
    _member_store(path)
    path.write_bytes(os.urandom(path.stat().st_size))
    with Store.open(path, ("member_id",)) as store:
        assert store.recovery is not None
        assert (store.recovery.readable, store.recovery.intents, store.recovery.meta) == (
            False,
            0,
            (),
        )
        assert store.pending_intents() == [] and store.get_meta("member_id") is None


def test_rows_that_do_not_read_cleanly_are_left_behind(tmp_path) -> None:
    path = tmp_path / "member.db"
    with Store.open(path) as store:
        good = store.add_intent("credit", {"amount": "4.50"}, T0).idempotency_key
        store.add_intent("credit", {"amount": "9.99"}, T0)
    with sqlite3.connect(path) as raw:  # a row whose bytes were flipped into nonsense
        raw.execute("UPDATE intents SET payload = '{\"amou' WHERE id = 2")
        raw.execute("PRAGMA user_version = 99")  # and the file no longer opens as ours
    raw.close()
    with Store.open(path) as store:
        assert [i.idempotency_key for i in store.pending_intents()] == [good]
