"""Purchase amounts as a cashier types them: one check shared by the kiosk and the server."""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation


class AmountError(ValueError):
    """`kind` is one of: not_a_number, not_positive, too_large, too_many_decimals."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


# What a till may type: ASCII digits, a point, a sign, an exponent. Digits of other scripts
# ("١٢", full-width "５") are numbers to Python's Decimal but not to a cashier's receipt.
_ALLOWED = frozenset("0123456789.+-eE")
# Amounts are checked on their exponent before anything normalises them: normalising a tiny
# value (1E-999999999999999999) underflows to 0 and would pass every later check.
_MIN_EXPONENT = -40
_MAX_ADJUSTED = 30


def parse_amount(text: str, *, decimals: int, maximum: Decimal, currency: str) -> Decimal:
    """A positive amount with at most `decimals` decimals, no more than `maximum`."""
    cleaned = (text or "").strip(" \t\r\n")
    amount = Decimal("NaN")
    if cleaned and all(ch in _ALLOWED for ch in cleaned):
        with contextlib.suppress(InvalidOperation):
            amount = Decimal(cleaned)
    if not amount.is_finite():
        raise AmountError("not_a_number", "Enter the purchase amount as a number, like 12.50.")
    if amount <= 0:
        raise AmountError("not_positive", "The purchase amount must be more than zero.")
    if amount.adjusted() > _MAX_ADJUSTED or amount > maximum:
        raise AmountError("too_large", f"The most one purchase can be is {maximum} {currency}.")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < _MIN_EXPONENT:
        raise AmountError(
            "too_many_decimals", f"{currency} amounts have at most {decimals} decimals."
        )
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        raise AmountError(
            "too_many_decimals", f"{currency} amounts have at most {decimals} decimals."
        )
    amount = amount.quantize(Decimal(1).scaleb(-decimals))
    if amount <= 0:  # cannot happen after the checks above; a purchase of 0 is never booked
        raise AmountError("not_positive", "The purchase amount must be more than zero.")
    return amount
