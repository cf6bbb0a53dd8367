"""The offline store: the last copy of each server resource, the outbox of member intents, and
a little non-secret metadata, in one SQLite file (stdlib sqlite3, WAL).

Rules it keeps:
- every write is its own committed transaction (synchronous=FULL), so an intent that
  `add_intent` returned survives a kill -9 or a power cut;
- the schema moves forward by `PRAGMA user_version`, one transaction per migration;
- a file that is not ours (not SQLite, truncated, corrupt, another app's database, or written
  by a newer app) is moved aside to `<name>.corrupt-<UTC timestamp>` with its -wal/-shm and a
  fresh store is built; one WARNING names both paths.  Opening never fails for that reason.

Datetimes go in and come out timezone-aware (stored as UTC ISO 8601); naive ones are refused.
Secrets (tokens) do not belong here: use the keyring.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..domain.models import PayloadError

__all__ = [
    "APPLICATION_ID",
    "INTENT_STATUSES",
    "SCHEMA_VERSION",
    "Intent",
    "Snapshot",
    "Store",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# PRAGMA application_id marks the file as ours: "LOYA" in ASCII.
APPLICATION_ID = 0x4C4F5941
BUSY_TIMEOUT_MS = 5000
INTENT_STATUSES = ("pending", "done", "rejected")

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


@dataclass
class Snapshot:
    resource: str
    data: dict
    etag: str | None
    synced_at: datetime


@dataclass
class Intent:
    id: int
    kind: str
    payload: dict
    idempotency_key: str
    created_at: datetime
    attempts: int
    status: str  # "pending" | "done" | "rejected"
    last_error: str | None
    result: dict | None

    @property
    def problem_type(self) -> str | None:
        """For a rejected intent: the server's problem `type`."""
        if self.status == "rejected" and self.result:
            return self.result.get("type")
        return None


# ---- conversions ---------------------------------------------------------------------------


def _ts(moment: datetime) -> str:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"a timezone-aware datetime is needed (e.g. datetime.now(UTC)): {moment!r}"
        )
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _intent(row: sqlite3.Row) -> Intent:
    return Intent(
        id=row["id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        idempotency_key=row["idempotency_key"],
        created_at=_dt(row["created_at"]),
        attempts=row["attempts"],
        status=row["status"],
        last_error=row["last_error"],
        result=json.loads(row["result"]) if row["result"] is not None else None,
    )


# ---- opening, checking, migrating ----------------------------------------------------------


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


# ---- the store -----------------------------------------------------------------------------


class Store:
    """The app's offline store; one per data directory.  Thread-safe; methods are blocking
    and fast (call them from async code directly, or via asyncio.to_thread if you prefer)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = _connect(path)
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
            conn = _connect(path)
        return cls(conn, path)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> int:
        """Applies any missing migrations (already done by `open`); idempotent."""
        with self._lock:
            return migrate(self._db)

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the offline store {self.path} is closed")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction."""
        with self._lock:
            conn = self._db
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # ---- snapshots -------------------------------------------------------------------------

    def put_snapshot(
        self, resource: str, data: dict, etag: str | None, synced_at: datetime
    ) -> None:
        text, when = _dumps(data), _ts(synced_at)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO snapshots (resource, data, etag, synced_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (resource) DO UPDATE SET data = excluded.data, "
                "etag = excluded.etag, synced_at = excluded.synced_at",
                (resource, text, etag, when),
            )

    def get_snapshot(self, resource: str) -> Snapshot | None:
        rows = self._read(
            "SELECT resource, data, etag, synced_at FROM snapshots WHERE resource = ?",
            (resource,),
        )
        if not rows:
            return None
        row = rows[0]
        return Snapshot(
            row["resource"], json.loads(row["data"]), row["etag"], _dt(row["synced_at"])
        )

    def read(self, resource: str, model: type[T]) -> T | None:
        """The stored copy as the contract's type (`model.from_json`); None when there is
        none, or when it cannot be read as that type (logged once, the copy is kept)."""
        snap = self.get_snapshot(resource)
        if snap is None:
            return None
        try:
            return model.from_json(snap.data)  # type: ignore[attr-defined]
        except PayloadError as exc:
            log.warning("ignoring the stored %s the app cannot read: %s", resource, exc)
            return None

    def get_etag(self, resource: str) -> str | None:
        """The stored ETag alone: a conditional request need not parse the whole copy."""
        rows = self._read("SELECT etag FROM snapshots WHERE resource = ?", (resource,))
        return rows[0]["etag"] if rows else None

    def touch_snapshot(self, resource: str, synced_at: datetime) -> bool:
        """A 304 confirmed the copy: only the sync time changes.  False when there is none."""
        when = _ts(synced_at)
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE snapshots SET synced_at = ? WHERE resource = ?", (when, resource)
            )
            return cursor.rowcount > 0

    def snapshots_synced(self) -> dict[str, datetime]:
        rows = self._read("SELECT resource, synced_at FROM snapshots ORDER BY resource")
        return {row["resource"]: _dt(row["synced_at"]) for row in rows}

    # ---- outbox ----------------------------------------------------------------------------

    def add_intent(self, kind: str, payload: dict, now: datetime) -> Intent:
        """Queues an intent with a fresh Idempotency-Key, committed before this returns."""
        key = str(uuid.uuid4())
        text, when = _dumps(payload), _ts(now)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO intents (kind, payload, idempotency_key, created_at) "
                "VALUES (?, ?, ?, ?)",
                (kind, text, key, when),
            )
            intent_id = cursor.lastrowid
        return Intent(
            id=intent_id,
            kind=kind,
            payload=json.loads(text),
            idempotency_key=key,
            created_at=_dt(when),
            attempts=0,
            status="pending",
            last_error=None,
            result=None,
        )

    def get_intent(self, intent_id: int) -> Intent | None:
        rows = self._read("SELECT * FROM intents WHERE id = ?", (intent_id,))
        return _intent(rows[0]) if rows else None

    def pending_intents(self) -> list[Intent]:
        return self.intents("pending")

    def intents(self, status: str | None = None) -> list[Intent]:
        """All intents (or those with `status`), oldest first."""
        if status is None:
            rows = self._read("SELECT * FROM intents ORDER BY id")
        else:
            if status not in INTENT_STATUSES:
                raise ValueError(f"unknown intent status {status!r}; one of {INTENT_STATUSES}")
            rows = self._read("SELECT * FROM intents WHERE status = ? ORDER BY id", (status,))
        return [_intent(row) for row in rows]

    def _update_intent(self, intent_id: int, sql: str, args: tuple) -> None:
        with self._write() as conn:
            if conn.execute(f"UPDATE intents SET {sql} WHERE id = ?", (*args, intent_id)).rowcount:
                return
        raise KeyError(f"no intent {intent_id} in the offline store")

    def record_attempt(self, intent_id: int, error: str) -> None:
        """A try that did not settle the intent (unreachable, 5xx): it stays pending."""
        self._update_intent(intent_id, "attempts = attempts + 1, last_error = ?", (error,))

    def mark_done(self, intent_id: int, result: dict) -> None:
        """The server accepted it; `result` is its reply.  Counts as an attempt."""
        self._update_intent(
            intent_id,
            "status = 'done', attempts = attempts + 1, result = ?",
            (_dumps(result),),
        )

    def mark_rejected(self, intent_id: int, problem_type: str, message: str) -> None:
        """The server refused it for good (a 4xx); kept until the member has seen it.
        `result` becomes {"type": problem_type, "detail": message}.  Counts as an attempt."""
        self._update_intent(
            intent_id,
            "status = 'rejected', attempts = attempts + 1, last_error = ?, result = ?",
            (message, _dumps({"type": problem_type, "detail": message})),
        )

    def dismiss(self, intent_id: int) -> bool:
        """Deletes a settled (rejected or done) intent; a pending one is never dropped.
        True when something was deleted."""
        with self._write() as conn:
            cursor = conn.execute(
                "DELETE FROM intents WHERE id = ? AND status != 'pending'", (intent_id,)
            )
            return cursor.rowcount > 0

    # ---- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"meta values are strings, got {type(value).__name__} for {key!r}")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def delete_meta(self, key: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    # ---- sign-out --------------------------------------------------------------------------

    def wipe(self) -> None:
        """Deletes everything (snapshots, every intent, pending ones too, and meta)."""
        with self._write() as conn:
            for table in ("snapshots", "intents", "meta"):
                conn.execute(f"DELETE FROM {table}")  # fixed table names, not input
        with self._lock:
            # Move the (zeroed, secure_delete) pages from the WAL into the file now.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
