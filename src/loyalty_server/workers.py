"""`serve --workers N`: the app factory each uvicorn worker process calls.

The parent process migrates the database, brings the catalogue in line with the programme and
seeds the demo once; it hands its settings to the workers through one environment variable
(`SETTINGS_ENV`, JSON without the SMTP password, which every process reads from
`LOYALTY_SMTP_PASSWORD` itself). Workers share nothing but the database: sign-in limits,
idempotency keys, staff credentials and every lock live there (see the README's "Many
processes")."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields, replace
from pathlib import Path

from fastapi import FastAPI

from .settings import Settings, SmtpSettings

SETTINGS_ENV = "LOYALTY_SERVER_SETTINGS"


def settings_to_json(settings: Settings) -> str:
    values = asdict(settings)
    if values["programme_path"] is not None:
        values["programme_path"] = str(values["programme_path"])
    if values["smtp"] is not None:
        values["smtp"].pop("password", None)
    return json.dumps(values)


def settings_from_json(text: str) -> Settings:
    values = json.loads(text)
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown server settings: {', '.join(sorted(unknown))}")
    if values.get("programme_path") is not None:
        values["programme_path"] = Path(values["programme_path"])
    for name, value in values.items():
        if isinstance(value, list):  # JSON has no tuples; the settings hold tuples
            values[name] = tuple(value)
    if values.get("smtp") is not None:
        values["smtp"] = SmtpSettings(
            **values["smtp"], password=os.environ.get("LOYALTY_SMTP_PASSWORD")
        )
    return replace(Settings(database_url=values["database_url"]), **values)


def app() -> FastAPI:
    """Called once in each worker process (uvicorn's `factory=True`)."""
    from .app import build_context, create_app

    text = os.environ.get(SETTINGS_ENV)
    if not text:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start workers with `loyalty-server serve`")
    return create_app(build_context(settings_from_json(text), sync_catalogue=False))
