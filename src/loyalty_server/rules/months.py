"""Month arithmetic and when earned points expire."""

from __future__ import annotations

import calendar
from datetime import datetime

from ..programme import Programme


def add_months(dt: datetime, months: int) -> datetime:
    """``dt`` moved by ``months`` calendar months (may be negative).

    The day is clamped to the end of the target month: Jan 31 + 1 month is Feb 28
    (Feb 29 in leap years).  Time of day and timezone are kept.
    """
    index = dt.year * 12 + (dt.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    day = min(dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day)


def earn_expiry(earned_at: datetime, programme: Programme) -> datetime | None:
    """When points earned at ``earned_at`` expire; ``None`` if points never expire."""
    if programme.expiry_months is None:
        return None
    return add_months(earned_at, programme.expiry_months)
