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
    code_requests_per_window: int = 5
    code_window_seconds: int = 15 * 60
    card_past_steps: int = CARD_PAST_STEPS
    card_future_steps: int = CARD_FUTURE_STEPS
    offline_scan_max_age_seconds: int = 7 * 24 * 3600
    scan_to_credit_seconds: int = 15 * 60
