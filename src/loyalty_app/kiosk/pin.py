"""The kiosk's staff PIN: only a salted PBKDF2 hash is kept (in the OS keyring)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ITERATIONS = 200_000


class PinError(ValueError):
    pass


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    if not (4 <= len(pin) <= 8) or not pin.isascii() or not pin.isdigit():
        raise PinError("The staff PIN is 4 to 8 digits.")
    return pin


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", check_pin_format(pin).encode(), salt, ITERATIONS)
    return f"pbkdf2-sha256${ITERATIONS}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2-sha256":
            return False
        candidate = hashlib.pbkdf2_hmac(
            "sha256", pin.strip().encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)
