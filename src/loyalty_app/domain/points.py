"""Point summaries the home screen shows."""

from __future__ import annotations

from datetime import date, timedelta

from loyalty_app.domain.models import Member

__all__ = ["expiring_soon_summary"]


def expiring_soon_summary(
    member: Member, today: date, within_days: int = 30
) -> tuple[int, date] | None:
    """``(points, earliest day)`` of the member's points expiring from *today* to
    *today* + *within_days* (both inclusive); None when there are none.

    Days before *today* are left out: those points have already expired.
    """
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    horizon = today + timedelta(days=within_days)
    due = [e for e in member.expiring if e.points > 0 and today <= e.on <= horizon]
    if not due:
        return None
    return sum(e.points for e in due), min(e.on for e in due)
