"""The admin audit trail: one row per change made from the command line."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..models import AdminAction


def record(
    s: Session, now: datetime, actor: str, action: str, target: str, **detail: Any
) -> AdminAction:
    """Adds the audit line to the caller's transaction, so it commits with the change."""
    row = AdminAction(
        at=now, actor=actor, action=action, target=target, detail=json.dumps(detail, default=str)
    )
    s.add(row)
    s.flush()
    return row


def line(row: AdminAction) -> str:
    """The audit line as printed."""
    when = f"{row.at:%Y-%m-%d %H:%M:%S} UTC"
    return f"audit #{row.id} {when} {row.actor}: {row.action} {row.target} {row.detail}"
