"""Feedback: whether to ask the member now (after a recent purchase, at most once in 30 days)
and their answer (0-10 and a comment) or dismissal, kept with the purchase's store and time."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import schemas
from ..context import ServerContext
from ..models import Feedback, LedgerEntry, Member, Staff
from ..rules.feedback import feedback_due
from . import idempotency, points


def _last_purchase(s: Session, member_id: str) -> LedgerEntry | None:
    return s.scalar(
        select(LedgerEntry)
        .where(
            LedgerEntry.member_id == member_id,
            LedgerEntry.kind == "purchase",
            LedgerEntry.voided_at.is_(None),
        )
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
        .limit(1)
    )


def _store(s: Session, entry: LedgerEntry) -> str:
    """The store that booked the purchase: its staff credential's, else what the entry says."""
    if entry.staff_id is not None:
        store = s.scalar(select(Staff.store).where(Staff.id == entry.staff_id))
        if store:
            return store
    return str(json.loads(entry.details or "{}").get("store") or "")


def ask(s: Session, member: Member, now: datetime) -> schemas.FeedbackAsk | None:
    """The question to put to the member now, about their last purchase, or None."""
    purchase = _last_purchase(s, member.id)
    last_asked = s.scalar(
        select(func.max(Feedback.answered_at)).where(Feedback.member_id == member.id)
    )
    if purchase is None or not feedback_due(purchase.created_at, last_asked, now):
        return None
    return schemas.FeedbackAsk(
        purchase_id=purchase.id, store=_store(s, purchase), purchase_at=purchase.created_at
    )


def answer(
    ctx: ServerContext, member_id: str, body: schemas.FeedbackIn, key: str
) -> tuple[int, dict]:
    """Keep the answer (or the dismissal) once per key; one asked about a purchase that is not
    the one due any more (answered on another device meanwhile) is not kept: recorded false."""
    return idempotency.run_once(
        ctx,
        scope=f"member:{member_id}",
        key=key,
        path="feedback",
        body=body.model_dump(mode="json"),
        status=200,
        lock=lambda s: points.lock_member(s, member_id),
        work=lambda s, member, now: _answer(s, member, body, now),
    )


def _answer(
    s: Session, member: Member, body: schemas.FeedbackIn, now: datetime
) -> schemas.FeedbackResult:
    due = ask(s, member, now)
    if due is None or due.purchase_id != body.purchase_id:
        return schemas.FeedbackResult(recorded=False)
    s.add(
        Feedback(
            member_id=member.id,
            purchase_id=due.purchase_id,
            store=due.store,
            answered_at=now,
            score=body.score,
            comment=(body.comment or "").strip() or None,
        )
    )
    s.flush()
    return schemas.FeedbackResult(recorded=True)
