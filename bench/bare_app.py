"""The baseline for bench_credit.py: a bare FastAPI endpoint that inserts one row per request.

bench_credit.py runs it with uvicorn in a subprocess, the same way the loyalty server runs:

    python -m uvicorn bare_app:app --app-dir bench --port PORT --log-level warning --no-access-log

with BARE_DATABASE_URL naming the database: ``sqlite:///PATH`` (WAL, synchronous=NORMAL,
busy_timeout, like the loyalty server) or ``postgresql://...`` (psycopg). Like the server's
routes, the endpoint is a sync function (FastAPI runs it in its thread pool), validates a JSON
body and an Idempotency-Key header, and commits one transaction; it does nothing else.

Running this file directly does nothing (``python3 dev.py bench`` runs every bench/*.py).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from typing import Annotated

from fastapi import FastAPI, Header
from pydantic import BaseModel, Field

DATABASE_URL = os.environ.get("BARE_DATABASE_URL", "")
IS_SQLITE = DATABASE_URL.startswith("sqlite:///")

_local = threading.local()


def _connect():  # noqa: ANN202
    if IS_SQLITE:
        conn = sqlite3.connect(
            DATABASE_URL.removeprefix("sqlite:///"), timeout=30, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn
    import psycopg

    url = DATABASE_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    return psycopg.connect(url, autocommit=True)


def connection():  # noqa: ANN201
    """One connection per worker thread, kept for the life of the process."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = _connect()
    return conn


def _create_table() -> None:
    if not DATABASE_URL:
        return
    key = "INTEGER PRIMARY KEY AUTOINCREMENT" if IS_SQLITE else "BIGSERIAL PRIMARY KEY"
    conn = _connect()
    with conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS credits (id {key}, member_number VARCHAR(32) NOT NULL,"
            " amount VARCHAR(32) NOT NULL, idempotency_key VARCHAR(128) NOT NULL UNIQUE,"
            " created_at VARCHAR(40) NOT NULL)"
        )
    conn.close()


_create_table()
app = FastAPI(title="bare insert baseline")


class CreditIn(BaseModel):
    member_number: str = Field(max_length=32)
    amount: str = Field(max_length=32)


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@app.post("/credit", status_code=201)
def credit(
    body: CreditIn, key: Annotated[str, Header(alias="Idempotency-Key", max_length=128)]
) -> dict:
    conn = connection()
    row = (body.member_number, body.amount, key, datetime.now(UTC).isoformat())
    if IS_SQLITE:
        with conn:  # one transaction, committed on leaving
            credit_id = conn.execute(
                "INSERT INTO credits (member_number, amount, idempotency_key, created_at)"
                " VALUES (?, ?, ?, ?)",
                row,
            ).lastrowid
    else:
        with conn.transaction():
            credit_id = conn.execute(
                "INSERT INTO credits (member_number, amount, idempotency_key, created_at)"
                " VALUES (%s, %s, %s, %s) RETURNING id",
                row,
            ).fetchone()[0]
    return {"credit_id": credit_id, "member_number": body.member_number, "amount": body.amount}


if __name__ == "__main__":
    print("bare_app.py is the baseline server that bench_credit.py starts; run bench_credit.py.")
