"""Idempotency-Key records, and `run_once`: the one transaction every keyed write runs in."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from ..context import ServerContext
from ..models import IdempotencyRecord
from ..problems import Problem

Locked = TypeVar("Locked")


def check_key(key: str | None) -> str:
    """The Idempotency-Key header if usable; 400 idempotency-key-required otherwise."""
    if not key or not (8 <= len(key) <= 128) or not key.isprintable():
        raise Problem(
            400,
            "idempotency-key-required",
            "Idempotency-Key needed",
            "Send an Idempotency-Key header of 8 to 128 printable characters.",
        )
    return key


def run_once(
    ctx: ServerContext,
    *,
    scope: str,
    key: str,
    path: str,
    body: Any,
    status: int,
    lock: Callable[[Session], Locked],
    work: Callable[[Session, Locked, datetime], BaseModel],
) -> tuple[int, Any]:
    """Do `work` at most once per (`scope`, `key`); returns the (status, JSON body) to send.

    In one write transaction, always in this order:

    0. The key is looked up: a retry of a request already done gets its stored answer at
       once, before `lock` checks anything that may have changed since (a card code expires).
    1. `lock(s)` finds and locks the rows the work depends on, usually the member's
       (`points.lock_member`). It may refuse (404, 422) a request not done before.
       What it returns is handed to `work`.
    2. The key is looked up again. Because the lock is held, a concurrent request with the same
       key has either committed its answer or is still waiting for the lock: a stored answer
       is returned as it was first sent (same status, same body); the same key with a
       different `path` or `body` is 422 idempotency-key-reused. (A `lock` that locks
       nothing, as for joining, leaves twins on PostgreSQL to the unique index on the key.)
       On SQLite, whose write transactions exclude each other from their first statement,
       the lookup of step 0 already is this one.
    3. `work(s, locked, now)` does the change and returns the answer as a schema model.
       A Problem it raises rolls everything back, and the key stays unused.
    4. The answer is stored under the key, and commits together with the work.

    `scope` keeps one caller's keys apart from another's ("member:<id>", "staff:<id>").
    `now` is read once, before waiting for the transaction, and is the time of the work and
    of the stored answer.

    A function taking the work, rather than a `with` block, because a block cannot skip its
    own body on a replay: each caller would again have to check for a stored answer between
    locking and working, which is the order this exists to keep.
    """
    fingerprint = _fingerprint(path, body)
    now = ctx.now()
    with ctx.db.write() as s:
        # A retry is answered before anything that depends on the clock (a card code that
        # has since expired) can refuse it: a booked credit must never read as refused.
        stored = _replay(s, scope, key, fingerprint)
        if stored is not None:
            return stored
        locked = lock(s)
        # On SQLite the transaction has been exclusive since its first statement (BEGIN
        # IMMEDIATE, before the lookup above): no twin can have committed since, so step 2
        # would read the same thing again.
        if not ctx.db.is_sqlite:
            stored = _replay(s, scope, key, fingerprint)
            if stored is not None:
                return stored
        answer = work(s, locked, now).model_dump(mode="json")
        _remember(s, scope, key, fingerprint, status, answer, now)
        return status, answer


def _fingerprint(path: str, payload: Any) -> str:
    text = json.dumps({"path": path, "body": payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# Statements built once per process; each request binds its values.
_STORED = select(
    IdempotencyRecord.request_hash, IdempotencyRecord.status_code, IdempotencyRecord.body
).where(IdempotencyRecord.scope == bindparam("scope"), IdempotencyRecord.key == bindparam("key"))
_REMEMBER = insert(IdempotencyRecord)


def _replay(s: Session, scope: str, key: str, fingerprint: str) -> tuple[int, Any] | None:
    # Core statements on the session's connection (same transaction): no ORM object is needed,
    # and nothing the work has pending can change the answer (no autoflush needed).
    record = s.connection().execute(_STORED, {"scope": scope, "key": key}).first()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was already used for a different request.",
        )
    return record.status_code, json.loads(record.body)


def _remember(
    s: Session, scope: str, key: str, fingerprint: str, status: int, body: Any, now: datetime
) -> None:
    s.flush()  # the work's pending ORM changes go first, as before
    s.connection().execute(
        _REMEMBER,
        {
            "scope": scope,
            "key": key,
            "request_hash": fingerprint,
            "status_code": status,
            "body": json.dumps(body, default=str),
            "created_at": now,
        },
    )
