"""The formats of the contract's strings, declared once: each is a pattern the OpenAPI document
publishes and the check the server runs, so what the document says is exactly what is refused.

A value that does not match answers 422 with the problem slug named here (the request
validation handler uses the error's type as the slug when it is a registered one), so the apps
keep their specific messages ("not an e-mail address") and API users see the rule up front.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

__all__ = [
    "CURSOR",
    "EMAIL",
    "IDEMPOTENCY_KEY",
    "MEMBER_NUMBER",
    "PHONE",
    "REWARD_ID",
    "SIGN_IN_CODE",
    "CalendarDate",
    "Timestamp",
    "AMOUNT",
    "CARD_TOKEN",
    "PLAIN_TEXT",
    "REFERRAL_CODE",
    "SCANNED",
    "VOUCHER_CODE",
    "checked",
    "documented",
    "timestamp",
    "one_of_identity",
]

# Visible ASCII only (no spaces: HTTP trims them off header values), 8 to 128 characters.
IDEMPOTENCY_KEY = r"^[!-~]{8,128}$"
# Exactly what services/identity.py accepts (it lower-cases the address and strips the
# separators off the phone number).
# Written without `\s` (whose meaning differs between regex dialects): no @, control or
# space characters.
_NOT_IN_ADDRESS = r"@\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL = rf"^[^{_NOT_IN_ADDRESS}]{{1,64}}@[^{_NOT_IN_ADDRESS}]+\.[^{_NOT_IN_ADDRESS}]{{2,}}$"
PHONE = r"^[ ().-]*\+?(?:[ ().-]*[0-9]){6,15}[ ().-]*$"
SIGN_IN_CODE = r"^[0-9]{6}$"
# 12 digits with optional spaces or dashes between them; the last digit is a Luhn check digit
# (a wrong one is 422 bad-check-digit: a JSON Schema cannot say that).
MEMBER_NUMBER = r"^[ -]*(?:[0-9][ -]*){12}$"
# Referral codes are 8 letters and digits (typed in any case); one nobody has is 422
# unknown-referral-code.
_CODE_LETTERS = "A-HJ-NP-Za-hj-np-z2-9"  # no I, O, 0 or 1 (read as each other)
REFERRAL_CODE = r"^[A-Za-z0-9]{4,16}$"
# A voucher: the bare code (letters and digits, dashes or spaces between groups, any case) or the
# QR payload `<card prefix>-V:<code>`.
VOUCHER_CODE = rf"^(?:[!-9;-~]{{1,40}}-V:)?[{_CODE_LETTERS}](?:[ -]?[{_CODE_LETTERS}]){{5,15}}$"
# A card code is `<prefix>:<card id>:<step start, unix seconds>:<TOTP digits>`; the till may
# also send a typed member number. Whether the code is this programme's and current is checked
# against the card (422 not-our-code, unknown-card, token-*): a JSON Schema cannot say that.
CARD_TOKEN = r"^[!-9;-~]{1,64}:c[0-9a-f]{12}:[0-9]{1,12}:[0-9]{6,10}$"
SCANNED = rf"{CARD_TOKEN}|{MEMBER_NUMBER}|^[!-9;-~]{{1,40}}-V:[{_CODE_LETTERS} -]{{6,31}}$"
# A positive amount in plain decimal notation; the programme's maximum and its currency's
# decimals are checked against the programme (422 invalid-amount).
AMOUNT = r"^[0-9]{1,15}(?:\.[0-9]{1,15})?$"
# The ledger's page cursor: unpadded base64url as the server hands it out; empty (what a
# client that sends `cursor=` for "none" sends) is the first page.
CURSOR = r"^[A-Za-z0-9_-]{0,64}$"
REWARD_ID = r"^[a-z0-9][a-z0-9_-]{0,39}$"
#: An inbox message's id: its kind, then what names the event (a date, a voucher id...).
INBOX_MESSAGE_ID = r"^[a-z][a-z-]{0,30}:[A-Za-z0-9:._-]{1,68}$"
# Free text stored and shown to people: no control (Cc) or text-direction characters.
PLAIN_TEXT = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"


def documented(pattern: str, **field: Any) -> Any:
    """A string type whose pattern is in the schema but checked by the service that reads it,
    which tells more precise problems apart (a scanned code that is another programme's, a
    damaged one, a voucher)."""
    return Annotated[str, Field(json_schema_extra={"pattern": pattern}, **field)]


def checked(pattern: str, slug: str, message: str, **field: Any) -> Any:
    """A string type whose pattern is in the schema and checked with Python's `re`; a value
    that does not match is refused as `slug` (a registered 422 problem)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(slug, message)
        return value

    return Annotated[
        str, Field(json_schema_extra={"pattern": pattern}, **field), AfterValidator(check)
    ]


# RFC 3339 `date-time` with a mandatory offset (a naive time is ambiguous; a bare number is
# not a time); the seconds' fraction is optional.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def timestamp(slug: str) -> Any:
    """An RFC 3339 date-time with its offset; anything else (a naive time, a number) is 422
    `slug`."""

    def check(value: object) -> object:
        if isinstance(value, datetime):  # built in Python, not read off the wire
            return value
        if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
            raise PydanticCustomError(
                slug,
                "must be an RFC 3339 date-time with a UTC offset, e.g. 2026-11-01T00:00:00Z",
            )
        return value

    return Annotated[datetime, BeforeValidator(check)]


def _calendar_date(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("validation", "must be a date written YYYY-MM-DD")
    return value


Timestamp = timestamp("invalid-timestamp")
CalendarDate = Annotated[date, BeforeValidator(_calendar_date)]


def one_of_identity(email: str | None, phone: str | None) -> None:
    """Exactly one of an e-mail address and a phone number (422 identity-required)."""
    if (email is None) == (phone is None):
        raise PydanticCustomError(
            "identity-required", "give exactly one of an e-mail address or a phone number"
        )


# How the "exactly one of" rule reads in the document (an absent and a null field are alike).
ONE_OF_IDENTITY: dict[str, Any] = {
    "oneOf": [
        {
            "required": ["email"],
            "properties": {"email": {"type": "string"}, "phone": {"type": "null"}},
        },
        {
            "required": ["phone"],
            "properties": {"phone": {"type": "string"}, "email": {"type": "null"}},
        },
    ]
}


def one_of_card(token: str | None, member_number: str | None) -> None:
    """A credit names its member by exactly one of a card code and a member number."""
    if (token is None) == (member_number is None):
        raise PydanticCustomError(
            "card-required", "give exactly one of the scanned card code or the member number"
        )
