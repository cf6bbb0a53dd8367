"""HOTP (RFC 4226) and TOTP (RFC 6238) one-time passwords.

Pure functions used both by the member app (to draw the rotating card QR) and by the
server (to verify it).  Secrets travel as unpadded base32 text; :func:`decode_secret`
turns that text back into the raw key bytes.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import math
import secrets

__all__ = [
    "ALGORITHMS",
    "MAX_COUNTER",
    "MAX_DIGITS",
    "MIN_DIGITS",
    "decode_secret",
    "hotp",
    "new_secret",
    "normalise_algorithm",
    "totp",
    "totp_counter",
]

#: Hash functions allowed by RFC 6238 (HMAC-SHA1 is the default).
ALGORITHMS: dict[str, str] = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512"}

#: RFC 4226 requires at least six digits; the truncated value has 31 bits, so more than
#: ten digits would only add leading zeros.
MIN_DIGITS = 6
MAX_DIGITS = 10

_SECRET_BYTES = 20  # 160 bits, the RFC 4226 recommendation for HMAC-SHA1.
#: Counters are 8-byte big-endian unsigned integers: ``0 <= counter < MAX_COUNTER``.
MAX_COUNTER = 2**64


def normalise_algorithm(algorithm: str) -> str:
    """Return the canonical name ("sha1", "sha256", "sha512") of *algorithm*.

    Case and a dash are ignored, so "SHA-256" is accepted.  Anything else raises
    :class:`ValueError`.
    """
    if not isinstance(algorithm, str):
        raise TypeError("algorithm must be a str")
    name = ALGORITHMS.get(algorithm.strip().lower().replace("-", ""))
    if name is None:
        raise ValueError(f"unsupported TOTP algorithm {algorithm!r}; use sha1, sha256 or sha512")
    return name


def _check_digits(digits: int) -> None:
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError("digits must be an int")
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must be between {MIN_DIGITS} and {MAX_DIGITS}")


def _check_period(period: int) -> None:
    if isinstance(period, bool) or not isinstance(period, int):
        raise TypeError("period must be an int")
    if period <= 0:
        raise ValueError("period must be positive")


def hotp(secret: bytes, counter: int, digits: int = 8, algorithm: str = "sha1") -> str:
    """HOTP value (RFC 4226) of *counter* under *secret*, as a zero-padded decimal string."""
    if not isinstance(secret, bytes | bytearray | memoryview):
        raise TypeError("secret must be bytes (use decode_secret for base32 text)")
    if isinstance(counter, bool) or not isinstance(counter, int):
        raise TypeError("counter must be an int")
    if not 0 <= counter < MAX_COUNTER:
        raise ValueError("counter must fit in an unsigned 64-bit integer")
    _check_digits(digits)
    digest = hmac.new(
        bytes(secret), counter.to_bytes(8, "big"), normalise_algorithm(algorithm)
    ).digest()
    # Dynamic truncation (RFC 4226 section 5.3).
    offset = digest[-1] & 0x0F
    binary = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def totp_counter(unix_time: float, period: int = 30, t0: int = 0) -> int:
    """The RFC 6238 time step ``T = floor((unix_time - t0) / period)``.

    Floor division is exact for ints and correctly rounded for floats, so a time just
    before a step boundary never lands in the next step.
    """
    _check_period(period)
    if isinstance(unix_time, bool) or not isinstance(unix_time, int | float):
        raise TypeError("unix_time must be a number")
    if isinstance(t0, bool) or not isinstance(t0, int):
        raise TypeError("t0 must be an int")
    if isinstance(unix_time, float) and not math.isfinite(unix_time):
        raise ValueError("unix_time must be finite")
    if unix_time < t0:
        raise ValueError("unix_time is before t0")
    return int((unix_time - t0) // period)


def totp(
    secret: bytes,
    unix_time: float,
    period: int = 30,
    digits: int = 8,
    algorithm: str = "sha1",
    t0: int = 0,
) -> str:
    """TOTP value (RFC 6238) at *unix_time* (seconds since the epoch)."""
    return hotp(secret, totp_counter(unix_time, period, t0), digits, algorithm)


def new_secret() -> str:
    """A fresh 160-bit secret from :mod:`secrets`, as upper-case base32 without padding."""
    return base64.b32encode(secrets.token_bytes(_SECRET_BYTES)).decode("ascii").rstrip("=")


def decode_secret(b32: str) -> bytes:
    """Decode base32 secret text into key bytes.

    Accepts lower case, missing ``=`` padding and spaces (authenticator apps show secrets
    in groups of four).  Raises :class:`ValueError` for empty or invalid text.
    """
    if not isinstance(b32, str):
        raise TypeError("secret must be base32 text")
    text = "".join(b32.split()).upper().rstrip("=")
    if not text:
        raise ValueError("secret is empty")
    if len(text) % 8 in (1, 3, 6):
        # No number of whole bytes encodes to this many base32 characters.
        raise ValueError("secret is not valid base32 (bad length)")
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("secret is not valid base32") from exc
