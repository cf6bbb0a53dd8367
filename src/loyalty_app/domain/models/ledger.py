"""The points history, a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from ._json import _bool, _datetime, _int, _list, _object, _opt_datetime, _opt_str, _str


@dataclass(frozen=True)
class LedgerEntry:
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

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> LedgerEntry:
        return cls(
            id=_int(d, "id"),
            at=_datetime(d, "at"),
            amount=_int(d, "amount"),
            kind=_str(d, "kind"),
            reason=_str(d, "reason"),
            details=_object(d, "details"),
            expires_at=_opt_datetime(d, "expires_at"),
            available_at=_opt_datetime(d, "available_at"),
            voided=_bool(d, "voided"),
        )


@dataclass(frozen=True)
class LedgerPage:
    """A page of the history, newest first; ``next_cursor`` fetches the next page."""

    SCHEMA: ClassVar[str] = "LedgerPage"

    items: tuple[LedgerEntry, ...]
    next_cursor: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> LedgerPage:
        return cls(
            items=tuple(LedgerEntry.from_json(e) for e in _list(d, "items")),
            next_cursor=_opt_str(d, "next_cursor"),
        )
