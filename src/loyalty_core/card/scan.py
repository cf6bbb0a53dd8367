"""The kiosk's parser of scanned or typed text.

A kiosk scanner (usually a keyboard-wedge device that ends each scan with Enter) reads
one of:

* a rotating card token ``<prefix>:<card id>:<step start>:<code>``  -> :class:`CardScan`
* a voucher QR ``<prefix>-V:<code>``                                  -> :class:`VoucherScan`
* a typed member number such as ``8123 4567 8901``                    -> :class:`MemberNumberScan`

:func:`parse_scan` checks only the shape of the text and, when given ``now``, the card
token's time step.  It does not check the TOTP code, the card, the voucher or replay:
the server does.  Problems with the scanned text are reported as :class:`ScanError`, and
nothing else is raised for any text.  Bad *settings* (prefix, period, ...) are programming
errors and raise ``ValueError``/``TypeError`` before the text is looked at.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Literal, get_args

from loyalty_core.card.token import CardToken, is_valid_card_id, is_valid_prefix
from loyalty_core.card.totp import MAX_COUNTER, MAX_DIGITS, MIN_DIGITS
from loyalty_core.member_number import (
    MEMBER_NUMBER_LENGTH,
    MEMBER_NUMBER_SEPARATORS,
    is_valid_member_number,
    normalise_member_number,
)

__all__ = [
    "MAX_SCAN_LENGTH",
    "SCAN_ERROR_KINDS",
    "VOUCHER_ALPHABET",
    "CardScan",
    "MemberNumberScan",
    "ScanError",
    "ScanErrorKind",
    "ScanResult",
    "VoucherScan",
    "parse_scan",
]

ScanErrorKind = Literal[
    "empty", "too_long", "not_ours", "malformed", "bad_check_digit", "expired", "future"
]
SCAN_ERROR_KINDS: frozenset[str] = frozenset(get_args(ScanErrorKind))

#: Longest accepted text, after surrounding whitespace is removed.
MAX_SCAN_LENGTH = 256

#: Voucher code characters: A-Z and 2-9 without the look-alikes I, O, 0 and 1.
VOUCHER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VOUCHER_MIN_LENGTH = 8
VOUCHER_MAX_LENGTH = 12

_VOUCHER_CHARS = frozenset(VOUCHER_ALPHABET)
_ASCII_DIGITS = frozenset("0123456789")
# Control, format, surrogate, private-use, unassigned, line and paragraph separators.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

_DEFAULT_MESSAGES: dict[str, str] = {
    "empty": "Nothing was scanned.",
    "too_long": "The scanned text is too long to be a card, voucher or member number.",
    "not_ours": "This code does not belong to this loyalty programme.",
    "malformed": "This code looks like one of ours but is damaged or incomplete.",
    "bad_check_digit": "This member number contains a typing error (the check digit is wrong).",
    "expired": "This card code has expired. Ask the member to refresh the card in the app.",
    "future": "This card code is not valid yet. Check the clock of the kiosk and the phone.",
}


class ScanError(ValueError):
    """Scanned text that is not a usable card token, voucher or member number.

    ``kind`` is one of :data:`SCAN_ERROR_KINDS` (UIs translate by kind); ``message`` is
    a readable English explanation.
    """

    def __init__(self, kind: ScanErrorKind, message: str | None = None) -> None:
        if kind not in SCAN_ERROR_KINDS:
            raise ValueError(f"unknown scan error kind {kind!r}")
        self.kind: ScanErrorKind = kind
        self.message: str = message if message else _DEFAULT_MESSAGES[kind]
        super().__init__(self.message)

    def __reduce__(self):  # keep kind and message when pickled
        return (type(self), (self.kind, self.message))

    def __repr__(self) -> str:
        return f"ScanError({self.kind!r}, {self.message!r})"


@dataclass(frozen=True)
class CardScan:
    """A card token.  ``raw`` is the scanned text without surrounding whitespace."""

    token: CardToken
    raw: str


@dataclass(frozen=True)
class VoucherScan:
    """A voucher QR.  ``raw`` is the scanned text without surrounding whitespace."""

    code: str
    raw: str


@dataclass(frozen=True)
class MemberNumberScan:
    """A member number, normalised to 12 digits (Luhn verified)."""

    number: str


ScanResult = CardScan | VoucherScan | MemberNumberScan


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def _check_settings(
    prefix: str,
    now: float | None,
    period: int,
    digits: int,
    past_steps: int,
    future_steps: int,
    max_age: float | None,
) -> None:
    if not is_valid_prefix(prefix):
        raise ValueError("prefix must be 1-64 printable ASCII characters without spaces or ':'")
    for name, value, low in (
        ("period", period, 1),
        ("digits", digits, MIN_DIGITS),
        ("past_steps", past_steps, 0),
        ("future_steps", future_steps, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int")
        if value < low:
            raise ValueError(f"{name} must be at least {low}")
    if digits > MAX_DIGITS:
        raise ValueError(f"digits must be at most {MAX_DIGITS}")
    if now is not None and not (_is_number(now) and math.isfinite(now)):
        raise ValueError("now must be a finite number of unix seconds or None")
    if max_age is not None and not (_is_number(max_age) and math.isfinite(max_age)):
        raise ValueError("max_age must be a finite number of seconds or None")
    if max_age is not None and max_age < 0:
        raise ValueError("max_age must not be negative")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in _CONTROL_CATEGORIES for ch in text)


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in _ASCII_DIGITS for ch in text)


def _parse_voucher(text: str, head: str) -> VoucherScan:
    code = text[len(head) :]
    if not code:
        raise ScanError("malformed", "This voucher code is incomplete.")
    if not VOUCHER_MIN_LENGTH <= len(code) <= VOUCHER_MAX_LENGTH or not all(
        ch in _VOUCHER_CHARS for ch in code
    ):
        raise ScanError("malformed", "This voucher code is damaged or incomplete.")
    return VoucherScan(code=code, raw=text)


def _parse_card(text: str, prefix: str, period: int, digits: int) -> CardToken:
    fields = text[len(prefix) + 1 :].split(":")
    if len(fields) != 3:
        raise ScanError("malformed", "This card code is damaged or incomplete.")
    card_id, step_text, code = fields
    if not is_valid_card_id(card_id):
        raise ScanError("malformed", "This card code has an invalid card number.")
    # Canonical decimal only: ASCII digits, no sign, no leading zeros.
    if not _is_ascii_digits(step_text) or (len(step_text) > 1 and step_text[0] == "0"):
        raise ScanError("malformed", "This card code has an invalid time.")
    step_start = int(step_text)
    if step_start % period or step_start // period >= MAX_COUNTER:
        raise ScanError("malformed", "This card code has an invalid time.")
    if len(code) != digits or not _is_ascii_digits(code):
        raise ScanError("malformed", "This card code has an invalid security code.")
    return CardToken(prefix=prefix, card_id=card_id, step_start=step_start, code=code)


def _check_window(
    token: CardToken,
    now: float,
    period: int,
    past_steps: int,
    future_steps: int,
    max_age: float | None,
) -> None:
    current = int(now // period)
    step = token.step_start // period
    if step > current + future_steps:
        raise ScanError("future")
    if max_age is None:
        if step < current - past_steps:
            raise ScanError("expired")
    elif now - token.step_start > max_age:
        raise ScanError("expired")


def _looks_like_member_number(text: str) -> bool:
    return any(ch in _ASCII_DIGITS for ch in text) and all(
        ch in _ASCII_DIGITS or ch in MEMBER_NUMBER_SEPARATORS for ch in text
    )


def parse_scan(
    text: str,
    prefix: str,
    now: float | None = None,
    *,
    period: int = 30,
    digits: int = 8,
    past_steps: int = 2,
    future_steps: int = 1,
    max_age: float | None = None,
) -> ScanResult:
    """Classify and parse scanned or typed *text* for the programme with *prefix*.

    Surrounding whitespace (including the CR/LF a scanner sends as Enter) is removed
    first; more than :data:`MAX_SCAN_LENGTH` characters remain -> ``too_long``.

    A card token needs a ``c`` + 12 hex card id, a canonical decimal step start that is a
    multiple of *period*, and a code of *digits* ASCII digits.  When *now* is given its
    step must not be more than *future_steps* ahead (``future``) nor more than
    *past_steps* behind (``expired``); when *max_age* is also given it replaces the
    *past_steps* rule: the token is ``expired`` when ``now - step_start > max_age``
    (an offline kiosk may keep tokens longer and let the server judge).

    Text that starts with ``<prefix>:`` or ``<prefix>-V:`` is ours, so any problem in it
    is ``malformed``; other text is ``not_ours`` unless it is made only of digits, spaces
    and dashes with 12 digits, which is a member number (``bad_check_digit`` when the
    Luhn check fails).  Control characters make text ``malformed`` (ours) or
    ``not_ours``.
    """
    _check_settings(prefix, now, period, digits, past_steps, future_steps, max_age)
    if not isinstance(text, str):
        raise ScanError("malformed", "The scanned data is not text.")
    cleaned = text.strip()
    if not cleaned:
        raise ScanError("empty")
    if len(cleaned) > MAX_SCAN_LENGTH:
        raise ScanError("too_long")

    card_head = prefix + ":"
    voucher_head = prefix + "-V:"
    ours = (
        cleaned.startswith((card_head, voucher_head))
        or cleaned == prefix
        or cleaned == prefix + "-V"
    )
    if _has_control(cleaned):
        if ours:
            raise ScanError("malformed", "This code contains unexpected control characters.")
        raise ScanError("not_ours", "This code contains unexpected control characters.")

    if ours:
        if cleaned.startswith(voucher_head) or cleaned == prefix + "-V":
            return _parse_voucher(cleaned, voucher_head)
        token = _parse_card(cleaned, prefix, period, digits)
        if now is not None:
            _check_window(token, now, period, past_steps, future_steps, max_age)
        return CardScan(token=token, raw=cleaned)

    if _looks_like_member_number(cleaned):
        number = normalise_member_number(cleaned)
        if len(number) != MEMBER_NUMBER_LENGTH:
            raise ScanError(
                "not_ours",
                f"Not a member number: member numbers have {MEMBER_NUMBER_LENGTH} digits.",
            )
        if not is_valid_member_number(number):
            raise ScanError("bad_check_digit")
        return MemberNumberScan(number=number)

    raise ScanError("not_ours")
