"""Idempotency-Key records: the same key with the same body returns the first answer."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import IdempotencyRecord
from ..problems import Problem


def request_fingerprint(path: str, payload: Any) -> str:
    text = json.dumps({"path": path, "body": payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str | None) -> str:
    if not key or not (8 <= len(key) <= 128) or not key.isprintable():
        raise Problem(
            400,
            "idempotency-key-required",
            "Idempotency-Key needed",
            "Send an Idempotency-Key header of 8 to 128 printable characters.",
        )
    return key


def replay(s: Session, scope: str, key: str, fingerprint: str) -> tuple[int, Any] | None:
    """The stored (status, body) for this key, or None when the key is new.
    Call it after taking the member's lock, so a concurrent twin is already committed."""
    record = s.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
        )
    )
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


def remember(
    s: Session, scope: str, key: str, fingerprint: str, status: int, body: Any, now: datetime
) -> None:
    s.add(
        IdempotencyRecord(
            scope=scope,
            key=key,
            request_hash=fingerprint,
            status_code=status,
            body=json.dumps(body, default=str),
            created_at=now,
        )
    )
    s.flush()
