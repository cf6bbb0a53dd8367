"""The offline store's file: one SQLite database (stdlib sqlite3, WAL) that is ours, at the
schema this app knows.

- the schema moves forward by `PRAGMA user_version`, one transaction per migration;
- a file that is not ours (not SQLite, truncated, corrupt, another app's database, or written
  by a newer app) is moved aside to `<name>.corrupt-<UTC timestamp>` with its -wal/-shm and a
  fresh file is built; one WARNING names both paths.  Opening never fails for that reason.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

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


def _connect(path: Path) -> sqlite3.Connection:
    _check_header(path)
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
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            # A stale WAL or journal next to a new database would be replayed into it.
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the store at `path`, migrated; an unusable file is moved aside first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _connect(path)
    except _Unusable as problem:
        aside = _move_aside(path)
        reason = " ".join(str(problem).split())
        log.warning(
            "offline store %s could not be used (%s); moved it aside to %s and started "
            "a fresh store",
            path,
            reason,
            aside,
        )
        return _connect(path)
