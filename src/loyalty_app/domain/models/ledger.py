"""The points history, a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from .wire import Wire


@dataclass(frozen=True)
class LedgerEntry(Wire):
    """One line of the points history (``LedgerItem``); ``amount`` < 0 for spending."""

    SCHEMA: ClassVar[str] = "LedgerItem"

    id: int
    at: datetime
    amount: int
    kind: str  # purchase, bonus, redeem, expire, void, ...
    reason: str
    details: Mapping[str, Any]
    expires_at: datetime | None
    available_at: datetime | None
    voided: bool


@dataclass(frozen=True)
class LedgerPage(Wire):
    """A page of the history, newest first; ``next_cursor`` fetches the next page."""

    SCHEMA: ClassVar[str] = "LedgerPage"

    items: tuple[LedgerEntry, ...]
    next_cursor: str | None
