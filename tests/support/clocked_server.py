"""The real server app in-process, on a real database, with a clock the test moves.

For rules that depend on time passing (a card code expiring, a scan-to-credit window), where
waiting for the wall clock would make a test slow or flaky. Everything else is the served app:
routes, services, the database (SQLite or the PostgreSQL of the run) and the migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from loyalty_server.app import build_context, create_app
from loyalty_server.context import ServerContext
from loyalty_server.db import Database
from loyalty_server.demo import seed
from loyalty_server.migrate import upgrade
from loyalty_server.programme.load import load_programme
from loyalty_server.services.staff import add_staff
from loyalty_server.settings import Settings, SmtpSettings

from .programmes import DEMO_PROGRAMME, steady_programme


def shop_noon() -> datetime:
    """Noon today in the demo shop's time zone: "today" is then the same day in every zone
    that matters. A test that seeds the demo members should start its clock here too
    (``clocked_server(start=shop_noon())``): seeded at the real now, an afternoon run finds
    the demo's birthday bonus booked after the till's purchase."""
    zone = ZoneInfo(load_programme(DEMO_PROGRAMME).time_zone)
    return datetime.now(zone).replace(hour=12, minute=0, second=0, microsecond=0)


class Clock:
    """Stands still until moved."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = (start or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class ClockedServer:
    client: TestClient
    clock: Clock
    ctx: ServerContext

    def staff(self, name: str, store: str) -> dict[str, str]:
        """Headers for a new staff credential."""
        return {"Authorization": f"Bearer {add_staff(self.ctx, name, store)}"}


@contextmanager
def clocked_server(
    database_url: str, smtp_port: int | None = None, start: datetime | None = None, **settings
) -> Iterator[ClockedServer]:
    """The demo programme (without its offers unless `programme_path` names another) and
    members, served in-process; the clock starts at `start` (the real now by default) and the
    demo members are seeded then, so their history is never later than the clock.
    With `smtp_port` it mails sign-in codes there (a `MailCatcher`), so anyone can sign in.
    Other keyword arguments are `Settings` fields. Requests come from 127.0.0.1 unless an
    X-Forwarded-For header names another client (as behind a trusted reverse proxy)."""
    db = Database(database_url)
    upgrade(db)
    db.dispose()
    smtp = SmtpSettings(host="127.0.0.1", port=smtp_port) if smtp_port else None
    settings.setdefault("programme_path", steady_programme())
    ctx = build_context(Settings(database_url=database_url, demo=True, smtp=smtp, **settings))
    clock = Clock(start)
    ctx.clock = clock
    seed(ctx)
    app = ProxyHeadersMiddleware(create_app(ctx), trusted_hosts="*")
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as client:
        yield ClockedServer(client, clock, ctx)
    ctx.db.dispose()
