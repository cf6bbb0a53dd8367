"""The punch card's stamps, plausible birthdays and the birthday bonus."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ..programme import PunchCard

#: No member was born before this year.
EARLIEST_BIRTH_YEAR = 1900
#: The furthest ahead of UTC any place's calendar is (Kiribati, UTC+14): "today" somewhere.
_LATEST_ZONE = timedelta(hours=14)


def punch(stamps: int, punch_card: PunchCard | None) -> tuple[int, bool]:
    """Add one stamp.  Returns ``(new stamps, reward due)``; a full card restarts at 0.

    Without a punch card in the programme nothing changes: ``(stamps, False)``.
    """
    if punch_card is None:
        return stamps, False
    stamps += 1
    if stamps >= punch_card.visits:
        return 0, True
    return stamps, False


def plausible_birthday(birthday: date, now: datetime) -> bool:
    """Whether someone could have been born on ``birthday``: in or after
    :data:`EARLIEST_BIRTH_YEAR` and not after today in any time zone."""
    return birthday.year >= EARLIEST_BIRTH_YEAR and birthday <= (now + _LATEST_ZONE).date()


def birthday_bonus_due(
    birthday: date | None,
    last_awarded_year: int | None,
    now: datetime,
    *,
    set_at: datetime | None = None,
    notice_days: int = 0,
) -> bool:
    """Whether the birthday bonus should be given at ``now``.

    Due at any time during the member's birthday month (UTC), once per calendar year.
    A 29 February birthday falls in February every year.

    A birthday is the member's own word, so it pays only when it was given (``set_at``) at
    least ``notice_days`` days before the birthday month began: one set later waits for next
    year, and setting a birthday never pays at once. ``notice_days=0`` switches the wait off;
    ``set_at=None`` is a birthday given before anyone recorded when (it pays).
    """
    if birthday is None or now.month != birthday.month:
        return False
    if last_awarded_year is not None and last_awarded_year >= now.year:
        return False
    if set_at is None or notice_days == 0:
        return True
    month_begins = datetime(now.year, birthday.month, 1, tzinfo=UTC)
    return set_at <= month_begins - timedelta(days=notice_days)
