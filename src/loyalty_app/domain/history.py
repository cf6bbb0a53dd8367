"""What a line of the points history says besides its reason and amount: its date, the store
of a purchase, and for expired points the day they expired and when they were earned.

The server's `details` are free-form by contract (keys by `reason`, unknown keys ignored), so
everything here reads them defensively: a value of the wrong shape is left out, never shown
raw and never an exception on the history screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from loyalty_app.domain.models import LedgerEntry

__all__ = ["HistoryFacts", "history_facts", "relative_day"]


@dataclass(frozen=True)
class HistoryFacts:
    """``day``: the date the line shows (for an expiry, the day the points expired, not the
    day the server booked it). ``store``: where a purchase was made. ``earned``: for an
    expiry, the first and last day the expired points were earned (the same day twice when
    they were earned on one day), or None when the server did not say. ``expires_on``: the
    (UTC) day points gained by this line expire."""

    day: date
    store: str | None = None
    earned: tuple[date, date] | None = None
    expires_on: date | None = None


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def history_facts(entry: LedgerEntry, tz: tzinfo | None = None) -> HistoryFacts:
    """The facts of one history line; dates of moments in *tz* (the device's zone if None)."""
    details = entry.details if isinstance(entry.details, Mapping) else {}
    day = entry.at.astimezone(tz).date()
    if entry.reason == "points_expired":
        # `expired_on` is the day the server grouped the lots by; it wins over `at`, which
        # older servers set to the day they booked the expiry.
        days = details.get("earned_on")
        earned = sorted(d for d in map(_day, days) if d) if isinstance(days, list) else []
        return HistoryFacts(
            day=_day(details.get("expired_on")) or day,
            earned=(earned[0], earned[-1]) if earned else None,
        )
    store = details.get("store") if entry.reason == "purchase" else None
    store = store.strip() if isinstance(store, str) and store.strip() else None
    # The day as the server says it (UTC), like the "points expire on" summary of /v1/me.
    expires_on = entry.expires_at.date() if entry.expires_at and entry.amount > 0 else None
    return HistoryFacts(day=day, store=store, expires_on=expires_on)


def relative_day(day: date, today: date) -> str | None:
    """ "today" or "tomorrow" when *day* is one of them (the catalogues have words for those),
    else None (say the date)."""
    delta = (day - today).days
    return {0: "today", 1: "tomorrow"}.get(delta)
