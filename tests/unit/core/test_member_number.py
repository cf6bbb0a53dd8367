"""Member numbers: 12 digits with a Luhn check digit."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_core.member_number import (
    format_member_number,
    is_valid_member_number,
    luhn_check_digit,
    new_member_number,
    normalise_member_number,
)


def luhn_ok(number: str) -> bool:
    """Independent reference: the Luhn sum of the whole number is a multiple of 10."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("7992739871", "3"),  # the classic Wikipedia example
        ("0", "0"),
        ("1", "8"),
        ("4539578763621486"[:-1], "6"),
        ("81234567890", "6"),
    ],
)
def test_luhn_check_digit_known_values(body, check):
    assert luhn_check_digit(body) == check


@pytest.mark.parametrize("bad", ["", "12a", "12 3", "１２３", "\u0661\u0662"])
def test_luhn_check_digit_rejects_non_digits(bad):
    with pytest.raises(ValueError):
        luhn_check_digit(bad)


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_luhn_check_digit_agrees_with_reference(body):
    check = luhn_check_digit(body)
    assert luhn_ok(body + check)
    assert sum(luhn_ok(body + d) for d in "0123456789") == 1


def test_new_member_number_with_injected_randomness():
    calls = []

    def rand(n: int) -> int:
        calls.append(n)
        return len(calls) % 10

    number = new_member_number(rand)
    assert calls == [10] * 10
    assert number == "81234567890" + luhn_check_digit("81234567890")
    assert number == "812345678906"
    assert is_valid_member_number(number)


def test_new_member_number_default_randomness():
    numbers = {new_member_number() for _ in range(100)}
    assert len(numbers) > 90
    for number in numbers:
        assert len(number) == 12 and number.isascii() and number.isdigit()
        assert number[0] == "8"
        assert is_valid_member_number(number)


@given(st.randoms(use_true_random=False))
def test_new_member_number_is_always_valid(rng: random.Random):
    number = new_member_number(rng.randrange)
    assert number[0] == "8" and is_valid_member_number(number)


@pytest.mark.parametrize("bad_rand", [lambda n: n, lambda n: -1, lambda n: "3"])
def test_new_member_number_rejects_a_broken_rand(bad_rand):
    with pytest.raises(ValueError):
        new_member_number(bad_rand)


@pytest.mark.parametrize(
    "text",
    [
        "812345678906",
        "8123 4567 8906",
        "8123-4567-8906",
        " 8123 - 4567 - 8906 ",
        "8-1-2-3456789 06",
    ],
)
def test_valid_member_numbers(text):
    assert is_valid_member_number(text)
    assert normalise_member_number(text) == "812345678906"


@pytest.mark.parametrize(
    "text",
    [
        "812345678907",  # wrong check digit
        "812345678960",  # transposed last two digits
        "81234567890",  # 11 digits
        "8123456789063",  # 13 digits
        "",
        "8123 4567 890X",
        "８１２３４５６７８９０３",  # full-width digits are not accepted
        "8123_4567_8906",
    ],
)
def test_invalid_member_numbers(text):
    assert not is_valid_member_number(text)


def test_is_valid_member_number_is_false_for_non_strings():
    assert not is_valid_member_number(None)
    assert not is_valid_member_number(812345678906)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 11))
def test_every_single_digit_error_is_caught(body, position):
    number = body + luhn_check_digit(body)
    assert is_valid_member_number(number)
    for d in "0123456789":
        if d != number[position]:
            changed = number[:position] + d + number[position + 1 :]
            assert not is_valid_member_number(changed)


def test_normalise_member_number():
    assert normalise_member_number("8123 4567\u00a08906") == "812345678906"
    assert normalise_member_number("8123\u20134567\u20148906") == "812345678906"
    assert normalise_member_number("abc") == "abc"  # does not validate


def test_format_member_number():
    assert format_member_number("812345678906") == "8123 4567 8906"
    assert format_member_number("8123-4567-8906") == "8123 4567 8906"
    for bad in ["81234567890", "8123456789063", "8123 4567 890X"]:
        with pytest.raises(ValueError):
            format_member_number(bad)


@given(st.integers(min_value=0, max_value=10**11 - 1))
def test_format_round_trip(n):
    body = f"{n:011d}"
    number = body + luhn_check_digit(body)
    shown = format_member_number(number)
    assert len(shown) == 14
    assert normalise_member_number(shown) == number
    assert is_valid_member_number(shown)
