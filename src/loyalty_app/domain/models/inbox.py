"""The member's inbox (``GET /v1/me/inbox``): messages the programme sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from .texts import Texts
from .wire import Wire


@dataclass(frozen=True)
class InboxMessage(Wire):
    """One message: its ``kind`` says which of the optional values it carries. The id names
    the event, so marks (read, dismissed) are kept per id."""

    SCHEMA: ClassVar[str] = "InboxMessage"

    id: str
    kind: str
    at: datetime
    read: bool
    points: int | None = None
    on: date | None = None
    voucher_code: str | None = None
    reward_name: Texts | None = None
    tier_name: Texts | None = None
    stamps_left: int | None = None
    offer_id: str | None = None
    offer_name: Texts | None = None


@dataclass(frozen=True)
class FeedbackAsk(Wire):
    """Ask how likely the member is to recommend the shop, about this purchase."""

    SCHEMA: ClassVar[str] = "FeedbackAsk"

    purchase_id: int
    store: str
    purchase_at: datetime


@dataclass(frozen=True)
class FeedbackResult(Wire):
    """Whether the server kept the answer (not when the question was no longer due)."""

    SCHEMA: ClassVar[str] = "FeedbackResult"

    recorded: bool


@dataclass(frozen=True)
class Inbox(Wire):
    """The messages due now, newest first, without the dismissed ones."""

    SCHEMA: ClassVar[str] = "Inbox"

    items: tuple[InboxMessage, ...]
    unread: int
    feedback: FeedbackAsk | None = None
