"""Server settings: one frozen object built by the CLI (or tests) and handed to the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from loyalty_core.card.format import CARD_FUTURE_STEPS, CARD_PAST_STEPS

APP_NAME = "loyalty-server"


def default_database_url() -> str:
    """SQLite in the platform's user-data directory (created on demand)."""
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'loyalty.db'}"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "loyalty@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    programme_path: Path | None = None
    demo: bool = False
    smtp: SmtpSettings | None = None
    public_url: str = ""
    # Web origins (scheme://host[:port]) whose pages may call this API from the browser: the
    # static member app hosted elsewhere. Empty: no CORS headers at all.
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 64 * 1024
    access_ttl_seconds: int = 15 * 60
    refresh_ttl_seconds: int = 90 * 24 * 3600
    # A device's session ends this long after sign-in, however often it refreshed: then the
    # refresh is refused (401 session-expired), its card stops, and the member signs in again.
    session_max_age_seconds: int = 90 * 24 * 3600
    # A refresh token repeated this soon after it was rotated gets the same new pair again
    # (its reply may have been lost); later, a repeat ends the device's session. At most 60.
    refresh_grace_seconds: int = 30
    code_ttl_seconds: int = 10 * 60
    code_max_attempts: int = 5
    # The sign-in limiter (services/sign_in_limits.py; the README works out the budget).
    # Codes for one e-mail or phone: this many a day at once, then a growing wait between
    # codes (1, 2, 4 ... minutes, at most an hour). Codes already sent keep working.
    codes_per_identity_free: int = 5
    # One requester network (an IPv4 address or an IPv6 /64): this many code requests and
    # code checks a day at once, then the same growing wait.
    code_requests_per_address_free: int = 20
    verifies_per_address_free: int = 30
    limit_window_seconds: int = 24 * 3600
    backoff_first_seconds: int = 60
    backoff_max_seconds: int = 3600
    # Overall ceilings an hour, across every address (a distributed attack).
    code_requests_per_hour_overall: int = 1000
    verifies_per_hour_overall: int = 2000
    card_past_steps: int = CARD_PAST_STEPS
    card_future_steps: int = CARD_FUTURE_STEPS
    offline_scan_max_age_seconds: int = 7 * 24 * 3600
    scan_to_credit_seconds: int = 15 * 60
