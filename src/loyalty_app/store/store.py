"""The offline store: the last copy of each server resource, the outbox of member intents, and
a little non-secret metadata, in one SQLite file (stdlib sqlite3, WAL).

Every write is its own committed transaction (synchronous=FULL), so an intent that
`add_intent` returned survives a kill -9 or a power cut. The file itself (schema, migrations,
moving a file that is not ours aside) is `file.py`'s job.

Datetimes go in and come out timezone-aware (stored as UTC ISO 8601); naive ones are refused.
Secrets (tokens) do not belong here: use the keyring.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..domain.models import PayloadError
from .file import APPLICATION_ID, SCHEMA_VERSION, Recovery, migrate, open_database

__all__ = [
    "APPLICATION_ID",
    "INTENT_STATUSES",
    "SCHEMA_VERSION",
    "Intent",
    "Recovery",
    "Snapshot",
    "Store",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

INTENT_STATUSES = ("pending", "done", "rejected")


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


# ---- the store -----------------------------------------------------------------------------


class Store:
    """The app's offline store; one per data directory.  Thread-safe; methods are blocking
    and fast (call them from async code directly, or via asyncio.to_thread if you prefer)."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, recovery: Recovery | None = None
    ) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._lock = threading.RLock()
        #: Set when the file could not be used and was replaced: what was kept of it.
        self.recovery = recovery
        #: Called after every committed write (the browser build saves its files then).
        self.on_commit: Callable[[], None] | None = None

    @classmethod
    def open(cls, path: Path | str, known_meta_keys: tuple[str, ...] = ()) -> Store:
        """Opens (or creates) the store; a damaged file is replaced, keeping what can be read
        of its outbox and meta (`known_meta_keys` are asked for by name if need be)."""
        path = Path(path)
        conn, recovery = open_database(path, known_meta_keys)
        return cls(conn, path, recovery)

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
        if self.on_commit is not None:
            self.on_commit()

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

    def etags(self) -> dict[str, str | None]:
        """Every stored resource's ETag, in one query (what changed since a copy was parsed)."""
        rows = self._read("SELECT resource, etag FROM snapshots")
        return {row["resource"]: row["etag"] for row in rows}

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

    def discard_outbox(self) -> int:
        """Deletes every intent, pending ones too (only for an outbox whose owner is unknown).
        Returns how many were deleted."""
        with self._write() as conn:
            return conn.execute("DELETE FROM intents").rowcount

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
        """Deletes everything (snapshots, every intent, pending ones too, and meta), and the
        damaged copies of this store that were set aside (they hold the same personal data)."""
        with self._write() as conn:
            for table in ("snapshots", "intents", "meta"):
                conn.execute(f"DELETE FROM {table}")  # fixed table names, not input
        with self._lock:
            # Move the (zeroed, secure_delete) pages from the WAL into the file now.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        for aside in self.path.parent.glob(f"{self.path.name}.corrupt-*"):
            aside.unlink(missing_ok=True)
