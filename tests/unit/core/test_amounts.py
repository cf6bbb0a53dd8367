"""Purchase amounts as typed at the till."""

from decimal import Decimal

import pytest

from loyalty_core.amounts import AmountError, parse_amount

USD = dict(decimals=2, maximum=Decimal("1000"), currency="USD")


def test_a_normal_amount_is_quantised():
    assert parse_amount("12.5", **USD) == Decimal("12.50")
    assert parse_amount(" 4.75 ", **USD) == Decimal("4.75")


@pytest.mark.parametrize(
    "text,kind",
    [
        ("", "not_a_number"),
        ("abc", "not_a_number"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("1,000", "not_a_number"),
        ("0", "not_positive"),
        ("-1", "not_positive"),
        ("-0.01", "not_positive"),
        ("1000.01", "too_large"),
        ("1e9", "too_large"),
        ("12.505", "too_many_decimals"),
        ("0.001", "too_many_decimals"),
    ],
)
def test_bad_amounts_say_what_is_wrong(text, kind):
    with pytest.raises(AmountError) as err:
        parse_amount(text, **USD)
    assert err.value.kind == kind and err.value.message


def test_trailing_zeros_are_not_extra_decimals():
    assert parse_amount("12.500", **USD) == Decimal("12.50")


@pytest.mark.parametrize(
    "text,kind",
    [
        # An exponent so small that normalising it underflows to 0: once booked as 0.00.
        ("1E-999999999999999999", "too_many_decimals"),
        ("1e-40", "too_many_decimals"),
        ("1E+999999999999999999", "too_large"),
        # Digits of other scripts: a till types ASCII digits only.
        ("١٢", "not_a_number"),
        ("５", "not_a_number"),
        ("１２.５０", "not_a_number"),
        ("12\u00a0", "not_a_number"),
        ("4\u200b.75", "not_a_number"),
    ],
)
def test_amounts_that_once_booked_wrong_are_refused(text, kind):
    with pytest.raises(AmountError) as err:
        parse_amount(text, **USD)
    assert err.value.kind == kind


def test_no_accepted_amount_is_zero_or_below():
    for text in ("0.001", "1E-3", "0e5", "-0", "+0.00"):
        with pytest.raises(AmountError):
            parse_amount(text, **USD)
    assert parse_amount("+5", **USD) == Decimal("5.00")
