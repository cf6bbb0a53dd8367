"""The application layer: what a member or a kiosk does, as intents in and typed results or
`SessionError`s (each with a registered problem slug) out. The only part of the client the
screens and their observable state may talk to; it owns the API client, the store and sync."""

from .errors import NotSignedIn, Offline, Refused, ServerFailed, SessionError
from .kiosk import CreditOutcome, KioskError, KioskSession, KioskStatus, MemberRef
from .member import MemberSession, MemberView, SyncReport
from .outbox import OutboxItem
from .pictures import Pictures
from .prefs import Prefs

__all__ = [
    "CreditOutcome",
    "KioskError",
    "KioskSession",
    "KioskStatus",
    "MemberRef",
    "MemberSession",
    "MemberView",
    "NotSignedIn",
    "Offline",
    "OutboxItem",
    "Pictures",
    "Prefs",
    "Refused",
    "ServerFailed",
    "SessionError",
    "SyncReport",
]
