"""What signing in returns: tokens and the device's card credential."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from loyalty_core.card.token import CardCredential

from ._json import PayloadError, _bool, _int, _object, _str


def card_credential_from_json(d: Mapping[str, Any]) -> CardCredential:
    """A :class:`CardCredential` from ``CardCredentialOut`` (validated by its constructor)."""
    try:
        return CardCredential(
            card_id=_str(d, "card_id"),
            secret=_str(d, "secret"),
            prefix=_str(d, "prefix"),
            period=_int(d, "period"),
            digits=_int(d, "digits"),
            algorithm=_str(d, "algorithm"),
        )
    except PayloadError:
        raise
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"unusable card credential: {exc}") from None


@dataclass(frozen=True)
class Session:
    """What signing in returns.  Tokens and the card secret stay out of ``repr``."""

    SCHEMA: ClassVar[str] = "Session"

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    member_id: str
    new_member: bool
    card: CardCredential
    token_type: str = "Bearer"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Session:
        token_type = d.get("token_type", "Bearer") if isinstance(d, Mapping) else "Bearer"
        if not isinstance(token_type, str):
            raise PayloadError("'token_type' must be a string")
        return cls(
            access_token=_str(d, "access_token"),
            refresh_token=_str(d, "refresh_token"),
            expires_in=_int(d, "expires_in"),
            member_id=_str(d, "member_id"),
            new_member=_bool(d, "new_member"),
            card=card_credential_from_json(_object(d, "card")),
            token_type=token_type,
        )


@dataclass(frozen=True)
class CodeSent:
    """A one-time code is on its way; it expires after ``expires_in`` seconds."""

    SCHEMA: ClassVar[str] = "CodeSent"

    sent: bool
    expires_in: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> CodeSent:
        return cls(sent=_bool(d, "sent"), expires_in=_int(d, "expires_in"))


@dataclass(frozen=True)
class Health:
    """``GET /healthz``: is the server up, and is its database."""

    SCHEMA: ClassVar[str] = "Health"

    status: str
    database: str
    demo: bool
    version: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Health:
        return cls(
            status=_str(d, "status"),
            database=_str(d, "database"),
            demo=_bool(d, "demo"),
            version=_str(d, "version"),
        )
