"""Reading what can still be read out of a damaged store file, so a corrupt store does not
take the outbox (queued redeems, a till's queued credits: money) down with it.

Works on a copy in a private folder next to the store, never on the file set aside (that is
kept untouched for inspection). A garbage header is replaced by a plain one for each likely
page size; then each table is read forwards and backwards until a damaged page stops the scan,
and the rows in between are asked for one by one by key. A row comes out only when every
column reads and has the type and form the app writes; anything else is left behind.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_MAGICS = (0x377F0682, 0x377F0683)
_PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)
INTENT_COLUMNS = (
    "id",
    "kind",
    "payload",
    "idempotency_key",
    "created_at",
    "attempts",
    "status",
    "last_error",
    "result",
)
_STATUSES = ("pending", "done", "rejected")
#: At most this many intent ids are asked for one by one (a member's outbox is short).
_MAX_PROBES = 20_000


@dataclass
class Salvaged:
    """What was read: meta values and outbox rows (column name → value), oldest first."""

    meta: dict[str, str] = field(default_factory=dict)
    intents: list[dict[str, Any]] = field(default_factory=list)
    #: The file's table of contents could be read at all.
    readable: bool = False


def salvage(aside: Path, known_meta_keys: Iterable[str] = ()) -> Salvaged:
    """Reads what it can of `aside` (and its -wal); never raises for a damaged file."""
    wal = aside.with_name(aside.name + "-wal")
    workdir = Path(tempfile.mkdtemp(prefix=".salvage-", dir=aside.parent))  # mode 0700
    try:
        for page_size in _page_sizes(aside, wal):
            copy = workdir / f"copy-{page_size}.sqlite3"
            shutil.copyfile(aside, copy)
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            if page_size is not None:
                _write_header(copy, page_size, wal_mode=wal.exists())
            found = _read_copy(copy, known_meta_keys)
            if found.readable:
                return found
        return Salvaged()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ---- the header ----------------------------------------------------------------------------


def _page_sizes(aside: Path, wal: Path) -> list[int | None]:
    """None (the header as it is, when it looks like SQLite's), then page sizes to try with a
    rebuilt header: the one the old header or the WAL names first."""
    with open(aside, "rb") as file:
        head = file.read(100)
    tries: list[int | None] = []
    named: list[int] = []
    if head.startswith(SQLITE_MAGIC) and len(head) == 100:
        tries.append(None)
        named.append(_page_size(int.from_bytes(head[16:18], "big")))
    try:
        with open(wal, "rb") as file:
            wal_head = file.read(32)
        if len(wal_head) == 32 and int.from_bytes(wal_head[:4], "big") in _WAL_MAGICS:
            named.insert(0, int.from_bytes(wal_head[8:12], "big"))
    except FileNotFoundError:
        pass
    for size in (*named, *_PAGE_SIZES):
        if size in _PAGE_SIZES and size not in tries:
            tries.append(size)
    return tries


def _page_size(field_value: int) -> int:
    return 65536 if field_value == 1 else field_value


def _write_header(copy: Path, page_size: int, *, wal_mode: bool) -> None:
    """Overwrites the first 100 bytes with a plain header for `page_size` (database size from
    the file's length, no free list, UTF-8)."""
    head = bytearray(100)
    head[0:16] = SQLITE_MAGIC
    head[16:18] = (1 if page_size == 65536 else page_size).to_bytes(2, "big")
    head[18] = head[19] = 2 if wal_mode else 1  # file format: WAL or rollback journal
    head[21], head[22], head[23] = 64, 32, 32  # payload fractions (fixed by the format)
    head[24:28] = (1).to_bytes(4, "big")  # change counter; 92..96 differ: size from the file
    head[40:44] = (1).to_bytes(4, "big")  # schema cookie
    head[44:48] = (4).to_bytes(4, "big")  # schema format
    head[56:60] = (1).to_bytes(4, "big")  # text encoding: UTF-8
    major, minor, patch = sqlite3.sqlite_version_info
    head[96:100] = (major * 1_000_000 + minor * 1_000 + patch).to_bytes(4, "big")
    with open(copy, "r+b") as file:
        file.write(bytes(head))


# ---- the rows ------------------------------------------------------------------------------


def _read_copy(copy: Path, known_meta_keys: Iterable[str]) -> Salvaged:
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
    except sqlite3.Error:
        return Salvaged()
    try:
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.Error:
            return Salvaged()
        if not tables & {"meta", "intents"}:
            return Salvaged()
        found = Salvaged(readable=True)
        if "meta" in tables:
            found.meta = _meta(conn, known_meta_keys)
        if "intents" in tables:
            found.intents = _intents(conn)
        return found
    finally:
        conn.close()


def _scan(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    """The rows a scan yields before a damaged page stops it."""
    rows: list[tuple] = []
    try:
        for row in conn.execute(sql):
            rows.append(tuple(row))
    except sqlite3.Error:
        pass
    return rows


def _one(conn: sqlite3.Connection, sql: str, args: tuple) -> tuple | None:
    try:
        row = conn.execute(sql, args).fetchone()
    except sqlite3.Error:
        return None
    return tuple(row) if row is not None else None


def _meta(conn: sqlite3.Connection, known_keys: Iterable[str]) -> dict[str, str]:
    rows = _scan(conn, "SELECT key, value FROM meta ORDER BY rowid")
    rows += _scan(conn, "SELECT key, value FROM meta ORDER BY rowid DESC")
    got = {k: v for k, v in rows if isinstance(k, str) and isinstance(v, str) and k}
    for key in known_keys:
        if key not in got:
            row = _one(conn, "SELECT key, value FROM meta WHERE key = ?", (key,))
            if row is not None and isinstance(row[1], str):
                got[key] = row[1]
    return got


def _intents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    columns = ", ".join(INTENT_COLUMNS)
    rows = _scan(conn, f"SELECT {columns} FROM intents ORDER BY id")
    rows += _scan(conn, f"SELECT {columns} FROM intents ORDER BY id DESC")
    got: dict[int, dict[str, Any]] = {}
    for row in rows:
        intent = _valid_intent(row)
        if intent is not None:
            got[intent["id"]] = intent
    # Ids the scans could not reach: what the index and the id counter know, and the gaps.
    ids = {row[0] for row in _scan(conn, "SELECT id FROM intents INDEXED BY intents_by_status")}
    seq = _one(conn, "SELECT seq FROM sqlite_sequence WHERE name = 'intents'", ())
    known = [i for i in (*ids, *(seq or ()), *got) if isinstance(i, int) and i > 0]
    top = max(known, default=0)
    for intent_id in range(max(1, top - _MAX_PROBES + 1), top + 1):
        if intent_id in got:
            continue
        row = _one(conn, f"SELECT {columns} FROM intents WHERE id = ?", (intent_id,))
        intent = _valid_intent(row) if row is not None else None
        if intent is not None:
            got[intent_id] = intent
    return [got[i] for i in sorted(got)]


def _valid_intent(row: tuple) -> dict[str, Any] | None:
    """The row as columns when every one of them is what the app writes, else None."""
    intent = dict(zip(INTENT_COLUMNS, row, strict=True))
    try:
        ok = (
            isinstance(intent["id"], int)
            and intent["id"] > 0
            and isinstance(intent["kind"], str)
            and intent["kind"].isidentifier()
            and isinstance(json.loads(intent["payload"]), dict)
            and isinstance(intent["idempotency_key"], str)
            and 0 < len(intent["idempotency_key"]) <= 200
            and isinstance(intent["created_at"], str)
            and datetime.fromisoformat(intent["created_at"]).tzinfo is not None
            and isinstance(intent["attempts"], int)
            and intent["attempts"] >= 0
            and intent["status"] in _STATUSES
            and (intent["last_error"] is None or isinstance(intent["last_error"], str))
            and (intent["result"] is None or isinstance(json.loads(intent["result"]), dict))
        )
    except (TypeError, ValueError):
        return None
    return intent if ok else None
