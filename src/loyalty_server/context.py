"""What every request handler shares: settings, database, programme, mailer and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .db import Database
from .mailer import Mailer
from .programme import Programme
from .settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServerContext:
    settings: Settings
    db: Database
    programme: Programme
    mailer: Mailer
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()
