"""Who is signing in: an e-mail address or a phone number, normalised and checked."""

from __future__ import annotations

import re

from ..formats import EMAIL
from ..problems import Problem

_EMAIL = re.compile(EMAIL)  # the contract's pattern (no NUL: PostgreSQL)
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


def normalise_identity(email: str | None, phone: str | None) -> tuple[str, str]:
    """Return (kind, value) with kind "email" or "phone"; a 422 problem when neither is valid."""
    if bool(email) == bool(phone):
        raise Problem(
            422,
            "identity-required",
            "E-mail or phone needed",
            "Give exactly one of an e-mail address or a phone number.",
        )
    if email:
        value = email.strip().lower()
        if not _EMAIL.fullmatch(value):
            raise Problem(
                422,
                "invalid-email",
                "Invalid e-mail address",
                "That does not look like an e-mail address.",
            )
        return "email", value
    value = re.sub(r"[\s\-().]", "", phone or "")
    if not _PHONE.match(value):
        raise Problem(
            422,
            "invalid-phone",
            "Invalid phone number",
            "A phone number has 6 to 15 digits, optionally starting with +.",
        )
    return "phone", value
