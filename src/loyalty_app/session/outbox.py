"""What the screens see of the outbox: an intent, its state and (when refused) why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from loyalty_core.problems import TYPE_PREFIX, slug_of

from ..store.store import Intent


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str  # redeem | credit | redeem_voucher | claim_referral
    payload: Mapping[str, Any]
    status: str  # pending | done | rejected | dismissed
    attempts: int
    created_at: datetime
    #: For a rejected intent: the registered problem slug the screens translate.
    problem: str | None
    #: The server's answer for a delivered intent, as received.
    result: Mapping[str, Any] | None
    idempotency_key: str
    #: The last failure in English (the server's words), for logs and the CLI only.
    detail: str | None

    @property
    def problem_type(self) -> str | None:
        """The problem `type` (``/problems/<slug>``) of a rejected intent."""
        return TYPE_PREFIX + self.problem if self.problem else None

    @classmethod
    def of(cls, intent: Intent) -> OutboxItem:
        problem_type = intent.problem_type
        return cls(
            id=intent.id,
            kind=intent.kind,
            payload=dict(intent.payload),
            status=intent.status,
            attempts=intent.attempts,
            created_at=intent.created_at,
            problem=slug_of(problem_type) if problem_type else None,
            result=intent.result if intent.status == "done" else None,
            idempotency_key=intent.idempotency_key,
            detail=intent.last_error,
        )
