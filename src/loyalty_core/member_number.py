"""Member numbers: 12 decimal digits, the last one a Luhn check digit.

New numbers start with ``8``.  People see them grouped in fours ("8123 4567 8901") and
may type them with spaces or dashes; :func:`normalise_member_number` removes those.
Only the ASCII digits 0-9 count as digits (no full-width or other Unicode digits).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

__all__ = [
    "MEMBER_NUMBER_LENGTH",
    "MEMBER_NUMBER_SEPARATORS",
    "format_member_number",
    "is_valid_member_number",
    "luhn_check_digit",
    "new_member_number",
    "normalise_member_number",
]

MEMBER_NUMBER_LENGTH = 12
_LEADING_DIGIT = "8"
_RANDOM_DIGITS = MEMBER_NUMBER_LENGTH - 2  # leading digit and check digit are fixed
_DIGITS = frozenset("0123456789")
# Separators people type or paste: spaces (incl. no-break spaces) and dashes.
MEMBER_NUMBER_SEPARATORS = frozenset(" \u00a0\u2007\u202f-\u2010\u2011\u2012\u2013\u2014\u2212")


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in _DIGITS for ch in text)


def luhn_check_digit(body: str) -> str:
    """The Luhn check digit to append to the ASCII digit string *body*."""
    if not isinstance(body, str):
        raise TypeError("body must be a str")
    if not _is_ascii_digits(body):
        raise ValueError("body must be a non-empty string of digits 0-9")
    total = 0
    # Walking from the right, the digit next to the (future) check digit is doubled.
    for position, ch in enumerate(reversed(body)):
        value = ord(ch) - 48
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_member_number(rand: Callable[[int], int] = secrets.randbelow) -> str:
    """A new member number: ``8``, ten random digits, then the Luhn check digit.

    *rand(n)* must return an int in ``range(n)``; it is called with ``10`` once per
    random digit (inject a deterministic one in tests).
    """
    digits = [_LEADING_DIGIT]
    for _ in range(_RANDOM_DIGITS):
        value = rand(10)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9:
            raise ValueError(f"rand(10) returned {value!r}, not a digit 0-9")
        digits.append(str(value))
    body = "".join(digits)
    return body + luhn_check_digit(body)


def normalise_member_number(text: str) -> str:
    """*text* without spaces and dashes (anywhere).  Does not validate."""
    if not isinstance(text, str):
        raise TypeError("member number must be a str")
    return "".join(ch for ch in text if ch not in MEMBER_NUMBER_SEPARATORS)


def is_valid_member_number(text: object) -> bool:
    """True for 12 ASCII digits (spaces and dashes ignored) with a correct check digit."""
    if not isinstance(text, str):
        return False
    number = normalise_member_number(text)
    if len(number) != MEMBER_NUMBER_LENGTH or not _is_ascii_digits(number):
        return False
    return luhn_check_digit(number[:-1]) == number[-1]


def format_member_number(number: str) -> str:
    """Group a member number in fours for display: ``"8123 4567 8901"``.

    Accepts separators in the input; raises ``ValueError`` unless it is 12 digits.  The
    check digit is not verified (use :func:`is_valid_member_number` for that).
    """
    digits = normalise_member_number(number)
    if len(digits) != MEMBER_NUMBER_LENGTH or not _is_ascii_digits(digits):
        raise ValueError("a member number has 12 digits")
    return " ".join(digits[i : i + 4] for i in range(0, MEMBER_NUMBER_LENGTH, 4))
