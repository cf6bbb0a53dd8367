"""Purchase amounts as a cashier types them: one check shared by the kiosk and the server."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


class AmountError(ValueError):
    """`kind` is one of: not_a_number, not_positive, too_large, too_many_decimals."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def parse_amount(text: str, *, decimals: int, maximum: Decimal, currency: str) -> Decimal:
    """A positive amount with at most `decimals` decimals, no more than `maximum`."""
    cleaned = (text or "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not cleaned or not amount.is_finite():
        raise AmountError("not_a_number", "Enter the purchase amount as a number, like 12.50.")
    if amount <= 0:
        raise AmountError("not_positive", "The purchase amount must be more than zero.")
    if amount > maximum:
        raise AmountError("too_large", f"The most one purchase can be is {maximum} {currency}.")
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        raise AmountError(
            "too_many_decimals", f"{currency} amounts have at most {decimals} decimals."
        )
    return amount.quantize(Decimal(1).scaleb(-decimals))
