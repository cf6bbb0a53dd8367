"""What signing in returns (tokens and the device's card credential), and the server's health."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from loyalty_core.card.token import CardCredential

from .wire import Wire


@dataclass(frozen=True)
class Session(Wire):
    """What signing in returns.  Tokens and the card secret stay out of ``repr``."""

    SCHEMA: ClassVar[str] = "Session"

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    member_id: str
    new_member: bool
    card: CardCredential
    token_type: str = "Bearer"


@dataclass(frozen=True)
class CodeSent(Wire):
    """A one-time code is on its way; it expires after ``expires_in`` seconds."""

    SCHEMA: ClassVar[str] = "CodeSent"

    sent: bool
    expires_in: int


@dataclass(frozen=True)
class Health(Wire):
    """``GET /healthz``: is the server up, and is its database."""

    SCHEMA: ClassVar[str] = "Health"

    status: str
    database: str
    demo: bool
    version: str
