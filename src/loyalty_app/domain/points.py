"""Point summaries the home screen shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from loyalty_app.domain.models import Member

__all__ = ["ExpiringSoon", "expiring_soon", "expiring_soon_summary"]


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


@dataclass(frozen=True)
class ExpiringSoon:
    """What the Points screen says about points about to expire: the first day some do
    (``day``, ``points`` of that day) and all that do within the window (``total``)."""

    day: date
    points: int
    total: int


def expiring_soon(member: Member, today: date, within_days: int = 30) -> ExpiringSoon | None:
    """Like :func:`expiring_soon_summary`, with the first day's own points apart: "327 points
    expire today" must not count the 120 that expire in two weeks."""
    summary = expiring_soon_summary(member, today, within_days)
    if summary is None:
        return None
    total, first = summary
    points = sum(e.points for e in member.expiring if e.points > 0 and e.on == first)
    return ExpiringSoon(day=first, points=points, total=total)
