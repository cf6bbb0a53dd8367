"""Report periods: whole days in the programme's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    """The days `first` to `last`, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def start(self, zone: str) -> datetime:
        """The first moment of the period, in UTC."""
        return _midnight(self.first, zone)

    def end(self, zone: str) -> datetime:
        """The first moment after the period, in UTC."""
        return _midnight(self.last + timedelta(days=1), zone)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def weeks(self) -> list[Period]:
        """Seven-day slices from the first day; the last one may be shorter."""
        slices, day = [], self.first
        while day <= self.last:
            slices.append(Period(day, min(day + timedelta(days=6), self.last)))
            day += timedelta(days=7)
        return slices

    def __str__(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def period_for(first: date | None, last: date | None, today: date) -> Period:
    """The period asked for: by default the last 90 days up to today; with one end given,
    90 days from or up to it."""
    span = timedelta(days=DEFAULT_DAYS - 1)
    if first is None and last is None:
        last = today
    if first is None:
        assert last is not None
        first = last - span
    if last is None:
        last = first + span
    return Period(first, last)
