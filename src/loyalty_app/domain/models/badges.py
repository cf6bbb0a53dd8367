"""The programme's challenges and the member's badges (``GET /v1/me/badges``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from .texts import Texts
from .wire import Wire


@dataclass(frozen=True)
class Badge(Wire):
    """A challenge: earned (``earned_at``) or how far the member is (``reached`` of
    ``count``)."""

    SCHEMA: ClassVar[str] = "BadgeOut"

    id: str
    name: Texts
    description: Texts
    goal: str
    count: int
    within_days: int | None
    points: int
    reached: int
    earned_at: datetime | None

    @property
    def earned(self) -> bool:
        return self.earned_at is not None


@dataclass(frozen=True)
class BadgeList(Wire):
    SCHEMA: ClassVar[str] = "BadgeList"

    items: tuple[Badge, ...]
