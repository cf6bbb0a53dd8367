"""The rotating card token shown as a QR code on the member's card.

Payload: ``<prefix>:<card id>:<unix seconds of the step start>:<TOTP value>``, for
example ``ACME:c0123456789ab:1700000010:12345678``.

The app builds tokens with :func:`make_token`; the server checks the code and the time
window with :func:`verify_code` (replay tracking, i.e. accepting each step once per card,
is the server's job).  Kiosks parse tokens with :func:`loyalty_core.card.scan.parse_scan`.
"""

from __future__ import annotations

import hmac
import math
import re
import secrets
from dataclasses import dataclass, field

from loyalty_core.card.format import (
    CARD_ALGORITHM,
    CARD_DIGITS,
    CARD_FUTURE_STEPS,
    CARD_PAST_STEPS,
    CARD_PERIOD,
)
from loyalty_core.card.totp import (
    MAX_COUNTER,
    MAX_DIGITS,
    MIN_DIGITS,
    decode_secret,
    normalise_algorithm,
    totp,
    totp_counter,
)

__all__ = [
    "MAX_PREFIX_LENGTH",
    "CardCredential",
    "CardToken",
    "is_valid_card_id",
    "is_valid_prefix",
    "make_token",
    "new_card_id",
    "seconds_to_next",
    "verify_code",
]

MAX_PREFIX_LENGTH = 64

_CARD_ID_RE = re.compile(r"c[0-9a-f]{12}")
# Printable ASCII without space and without ":" (the field separator).
_PREFIX_RE = re.compile(r"[!-9;-~]+")


def new_card_id() -> str:
    """A new random card id: ``"c"`` followed by 12 lower-case hex characters."""
    return "c" + secrets.token_hex(6)


def is_valid_card_id(card_id: object) -> bool:
    """True when *card_id* has the :func:`new_card_id` shape."""
    return isinstance(card_id, str) and _CARD_ID_RE.fullmatch(card_id) is not None


def is_valid_prefix(prefix: object) -> bool:
    """True for 1-64 printable ASCII characters without spaces or ``:``."""
    return (
        isinstance(prefix, str)
        and 0 < len(prefix) <= MAX_PREFIX_LENGTH
        and _PREFIX_RE.fullmatch(prefix) is not None
    )


def _check_non_negative_int(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int")
    if value < 0:
        raise ValueError(f"{name} must not be negative")


@dataclass(frozen=True)
class CardCredential:
    """What a device needs to draw a member's rotating card QR.

    Validated on construction (``ValueError``), so a credential that could only produce
    unparseable tokens is refused early.  The secret is kept out of ``repr``.
    """

    card_id: str
    secret: str = field(repr=False)  # base32, per device
    prefix: str
    period: int = CARD_PERIOD
    digits: int = CARD_DIGITS
    algorithm: str = CARD_ALGORITHM

    def __post_init__(self) -> None:
        if not is_valid_card_id(self.card_id):
            raise ValueError("card_id must be 'c' followed by 12 lower-case hex characters")
        if not is_valid_prefix(self.prefix):
            raise ValueError("prefix must be 1-64 printable ASCII characters without spaces or ':'")
        if isinstance(self.period, bool) or not isinstance(self.period, int):
            raise TypeError("period must be an int")
        if self.period <= 0:
            raise ValueError("period must be positive")
        if isinstance(self.digits, bool) or not isinstance(self.digits, int):
            raise TypeError("digits must be an int")
        if not MIN_DIGITS <= self.digits <= MAX_DIGITS:
            raise ValueError(f"digits must be between {MIN_DIGITS} and {MAX_DIGITS}")
        normalise_algorithm(self.algorithm)
        decode_secret(self.secret)


@dataclass(frozen=True)
class CardToken:
    """The fields of a scanned card token (see :func:`loyalty_core.card.scan.parse_scan`)."""

    prefix: str
    card_id: str
    step_start: int
    code: str

    def payload(self) -> str:
        """The QR payload text for this token."""
        return f"{self.prefix}:{self.card_id}:{self.step_start}:{self.code}"


def make_token(cred: CardCredential, now: float) -> str:
    """The QR payload of *cred*'s card for the time step containing *now*."""
    step = totp_counter(now, cred.period)
    step_start = step * cred.period
    code = totp(
        decode_secret(cred.secret),
        step_start,
        period=cred.period,
        digits=cred.digits,
        algorithm=cred.algorithm,
    )
    return CardToken(cred.prefix, cred.card_id, step_start, code).payload()


def seconds_to_next(cred: CardCredential, now: float) -> float:
    """Seconds until the token changes; in ``(0, period]``."""
    if isinstance(now, bool) or not isinstance(now, int | float):
        raise TypeError("now must be a number")
    if not math.isfinite(now):
        raise ValueError("now must be finite")
    left = float(cred.period - now % cred.period)
    # Float rounding can make ``now % period`` equal to period for tiny negative times.
    return left if left > 0 else float(cred.period)


def verify_code(
    token: CardToken,
    secret: str,
    at: float,
    *,
    period: int = 30,
    digits: int = 8,
    algorithm: str = "sha1",
    past_steps: int = CARD_PAST_STEPS,
    future_steps: int = CARD_FUTURE_STEPS,
) -> bool:
    """Check *token*'s code and time step against the server clock *at*.

    True when ``step_start`` is a non-negative multiple of *period*, its step lies in
    ``[step(at) - past_steps, step(at) + future_steps]`` and the code equals the TOTP at
    ``step_start`` (compared in constant time).  Prefix and card id are not checked here,
    nor is replay.  Bad arguments (not the token) raise ``ValueError``/``TypeError``: an
    undecodable *secret* is a server problem, not a wrong code.
    """
    key = decode_secret(secret)
    algorithm = normalise_algorithm(algorithm)
    _check_non_negative_int("past_steps", past_steps)
    _check_non_negative_int("future_steps", future_steps)
    current = totp_counter(at, period)
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError("digits must be an int")
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must be between {MIN_DIGITS} and {MAX_DIGITS}")

    step_start = token.step_start
    if isinstance(step_start, bool) or not isinstance(step_start, int):
        return False
    if step_start < 0 or step_start % period:
        return False
    step = step_start // period
    if step >= MAX_COUNTER:  # no TOTP exists for it (and an absurd time anyway)
        return False
    if not current - past_steps <= step <= current + future_steps:
        return False

    code = token.code
    # compare_digest refuses non-ASCII str, so check the shape first.
    if not isinstance(code, str) or len(code) != digits or not (code.isascii() and code.isdigit()):
        return False
    expected = totp(key, step_start, period=period, digits=digits, algorithm=algorithm)
    return hmac.compare_digest(expected.encode("ascii"), code.encode("ascii"))
