"""A fresh, empty database per test: SQLite by default, PostgreSQL when the env says so."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ENV_VAR = "LOYALTY_TEST_DATABASE_URL"


def postgres_server_url() -> str | None:
    """The PostgreSQL server the tests should use (a SQLAlchemy URL), or None for SQLite."""
    return os.environ.get(ENV_VAR) or None


def fresh_database_url(tmp_path: Path) -> str:
    server_url = postgres_server_url()
    if server_url is None:
        return f"sqlite:///{tmp_path}/loyalty.db"
    import psycopg  # only needed for the PostgreSQL run

    name = f"loyalty_test_{uuid.uuid4().hex[:16]}"
    conninfo = server_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))
