"""The offline store's file: one SQLite database (stdlib sqlite3, WAL) that is ours, at the
schema this app knows.

- the schema moves forward by `PRAGMA user_version`, one transaction per migration;
- a file that is not ours (not SQLite, truncated, corrupt, another app's database, or written
  by a newer app) is moved aside to `<name>.corrupt-<UTC timestamp>` with its -wal/-shm and a
  fresh file is built; what can still be read of its outbox and meta is copied into the fresh
  file (`salvage.py`); one WARNING names both paths and what was kept.  Opening never fails for
  that reason; the caller learns what happened from the `Recovery`.
- the folder is 0700 and the file, its -wal/-shm and the files set aside are 0600, whatever the
  umask; looser modes of an existing folder or file are tightened on open (`paths.py`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .paths import create_private_file, private_dir, private_file
from .salvage import INTENT_COLUMNS, Salvaged, salvage

log = logging.getLogger(__name__)

# PRAGMA application_id marks the file as ours: "LOYA" in ASCII.
APPLICATION_ID = 0x4C4F5941
BUSY_TIMEOUT_MS = 5000

# Each entry is one migration, applied in its own transaction; append, never edit.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE snapshots (
            resource  TEXT PRIMARY KEY,
            data      TEXT NOT NULL,
            etag      TEXT,
            synced_at TEXT NOT NULL
        )""",
        """CREATE TABLE intents (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            kind            TEXT NOT NULL,
            payload         TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at      TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            status          TEXT NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'done', 'rejected')),
            last_error      TEXT,
            result          TEXT
        )""",
        "CREATE INDEX intents_by_status ON intents (status, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
_TABLES = frozenset({"meta", "snapshots", "intents"})

# SQLite primary result codes that mean "this file is damaged or is not a database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_MAGIC = b"SQLite format 3\x00"


_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Recovery:
    """The store file could not be used and was replaced: what was kept of it."""

    aside: Path  # where the old file went
    reason: str
    readable: bool  # anything of the old file's tables could be read
    intents: int  # outbox rows copied into the fresh file
    meta: tuple[str, ...]  # meta keys copied into the fresh file


class _Unusable(Exception):
    """The file cannot be our store; the message says why."""


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _check_identity(conn: sqlite3.Connection) -> None:
    """Raises _Unusable unless the file is empty or one of our stores at a known version."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    names = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    }
    if app_id == 0 and version == 0 and not names:
        return  # a brand-new (empty) database
    if app_id != APPLICATION_ID:
        raise _Unusable(f"not a loyalty-app store (application_id {app_id:#x})")
    if version > SCHEMA_VERSION:
        raise _Unusable(
            f"written by a newer app (schema {version}, this app knows {SCHEMA_VERSION})"
        )
    if version == 0 and names:
        raise _Unusable("unversioned tables in a loyalty-app store")
    if version >= 1 and _TABLES - names:
        raise _Unusable(f"tables missing: {', '.join(sorted(_TABLES - names))}")


def migrate(conn: sqlite3.Connection) -> int:
    """Applies the migrations the file lacks (each in its own transaction); idempotent.
    Returns the schema version now in the file."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return version
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            conn.execute(f"PRAGMA user_version = {version + 1:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        log.info("offline store schema migrated to version %d", version + 1)


def _check_header(path: Path) -> None:
    """Refuses a non-empty file that is plainly not SQLite before SQLite opens it (SQLite
    would otherwise discard a -wal it cannot use when the connection closes)."""
    try:
        with open(path, "rb") as file:
            head = file.read(100)
    except FileNotFoundError:
        return
    if not head:
        return  # empty: SQLite makes it a new database
    if not head.startswith(_SQLITE_MAGIC):
        raise _Unusable("not an SQLite database")
    if len(head) < 100:
        raise _Unusable(f"truncated SQLite header ({len(head)} bytes)")


def _make_private(path: Path) -> None:
    """The store's file, its side files and the copies set aside: 0600."""
    for file in (path, *(path.with_name(path.name + s) for s in _SIDE_SUFFIXES)):
        private_file(file)
    for aside in path.parent.glob(f"{path.name}.corrupt-*"):
        private_file(aside)


def _connect(path: Path) -> sqlite3.Connection:
    _check_header(path)
    create_private_file(path)  # SQLite gives the -wal and -shm the mode of the database
    conn = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # autocommit; writes use explicit BEGIN IMMEDIATE … COMMIT
        check_same_thread=False,  # guarded by the Store's lock
    )
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        _check_identity(conn)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.info("offline store %s: WAL not available, journal_mode is %s", path, mode)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")  # wipe() leaves no readable remains
        check = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            raise _Unusable(f"integrity check failed: {'; '.join(map(str, check[:3]))}")
        migrate(conn)
        _make_private(path)
        return conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_corruption(exc):
            raise _Unusable(str(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise


def _move_aside(path: Path) -> Path:
    """Renames the file (and its -wal/-shm/-journal) to `<name>.corrupt-<UTC stamp>`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, aside)
    for suffix in _SIDE_SUFFIXES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            # A stale WAL or journal next to a new database would be replayed into it.
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def _salvage(aside: Path, known_meta_keys: tuple[str, ...]) -> Salvaged:
    try:
        return salvage(aside, known_meta_keys)
    except Exception:  # a bug here must not keep the app from starting
        log.exception("reading what was left in %s failed", aside)
        return Salvaged()


def _keep(conn: sqlite3.Connection, found: Salvaged) -> tuple[int, tuple[str, ...]]:
    """Copies the salvaged rows into the fresh file in one transaction; returns what was kept."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for key, value in found.meta.items():
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
        kept = 0
        columns = ", ".join(INTENT_COLUMNS)
        marks = ", ".join("?" for _ in INTENT_COLUMNS)
        for intent in found.intents:
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO intents ({columns}) VALUES ({marks})",
                tuple(intent[c] for c in INTENT_COLUMNS),
            )
            kept += cursor.rowcount
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return kept, tuple(found.meta)


def open_database(
    path: Path, known_meta_keys: tuple[str, ...] = ()
) -> tuple[sqlite3.Connection, Recovery | None]:
    """A connection to the store at `path`, migrated; an unusable file is moved aside first,
    and what can be read of its outbox and meta (`known_meta_keys` are asked for by name
    when a scan cannot reach them) is copied into the fresh file."""
    private_dir(path.parent)
    try:
        return _connect(path), None
    except _Unusable as problem:
        aside = _move_aside(path)
        _make_private(path)  # the files set aside keep personal data: 0600 like the store
        reason = " ".join(str(problem).split())
        found = _salvage(aside, known_meta_keys)
        conn = _connect(path)
        try:
            kept, meta = _keep(conn, found)
        except BaseException:
            conn.close()
            raise
        if found.readable:
            outcome = f"kept {kept} outbox intent(s) and {len(meta)} meta value(s) it could read"
        else:
            outcome = "nothing in it could be read"
        log.warning(
            "offline store %s could not be used (%s); moved it aside to %s and started "
            "a fresh store; %s",
            path,
            reason,
            aside,
            outcome,
        )
        return conn, Recovery(aside, reason, found.readable, kept, meta)
