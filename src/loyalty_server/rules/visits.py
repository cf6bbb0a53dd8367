"""The punch card's stamps and the birthday bonus."""

from __future__ import annotations

from datetime import date, datetime

from ..programme import PunchCard


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


def birthday_bonus_due(birthday: date | None, last_awarded_year: int | None, now: datetime) -> bool:
    """Whether the birthday bonus should be given at ``now``.

    Due at any time during the member's birthday month (UTC), once per calendar year.
    A 29 February birthday falls in February every year.
    """
    if birthday is None or now.month != birthday.month:
        return False
    return last_awarded_year is None or last_awarded_year < now.year
