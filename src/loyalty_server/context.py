"""What every request handler shares: settings, database, programme, mailer, the clock and
the programme's pictures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .db import Database
from .mailer import Mailer
from .media import MediaLibrary
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
    #: The pictures the programme names (none: the API gives no logo or reward images).
    media: MediaLibrary = field(default_factory=lambda: MediaLibrary({}))

    def now(self) -> datetime:
        return self.clock()
