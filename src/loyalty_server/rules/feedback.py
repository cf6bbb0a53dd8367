"""Feedback (how likely a member is to recommend the shop, 0-10): when to ask."""

from __future__ import annotations

from datetime import datetime, timedelta

#: Asked at most once in this many days; an answer and a dismissal both count as asked.
ASK_EVERY_DAYS = 30
#: Only about a recent purchase: one older than this is not asked about.
PURCHASE_RECENT_DAYS = 7


def feedback_due(
    last_purchase_at: datetime | None, last_asked_at: datetime | None, now: datetime
) -> bool:
    """Whether to ask now: a purchase within `PURCHASE_RECENT_DAYS`, made after the last
    time the member was asked, which is at least `ASK_EVERY_DAYS` ago (or never)."""
    if last_purchase_at is None or now - last_purchase_at > timedelta(days=PURCHASE_RECENT_DAYS):
        return False
    if last_asked_at is None:
        return True
    return last_purchase_at > last_asked_at and now - last_asked_at >= timedelta(
        days=ASK_EVERY_DAYS
    )
