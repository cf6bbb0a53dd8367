"""Schema migrations with Alembic, safe to call from several processes at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from .db import Database

SCRIPTS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(db: Database) -> None:
    """Bring the schema to head. Concurrent starts wait for each other: on PostgreSQL an
    advisory lock, on SQLite a write transaction begun IMMEDIATE (a deferred one failed at
    once with "database is locked" when two processes started on a new file together)."""
    config = alembic_config(db.url)
    with db.engine.execution_options(sqlite_immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7420117)"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
