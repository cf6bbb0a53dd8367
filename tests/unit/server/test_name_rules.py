"""What a cashier sees of a member's name (rules.cashier_name)."""

from __future__ import annotations

import pytest

from loyalty_server.rules import cashier_name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Mei Lin", "Mei L."),
        ("Ana Maria Souza", "Ana S."),
        ("  Lin   Wei ", "Lin W."),
        ("Cher", "Cher"),
        ("林曉晴", "林*晴"),
        ("王晓明", "王*明"),
        ("王明", "王*"),
        ("歐陽娜娜", "歐**娜"),
        ("林", "林"),
        ("Mei 林", "Mei 林."),
    ],
)
def test_a_cashier_sees_enough_of_the_name_to_greet_and_no_more(name, shown):
    assert cashier_name(name, "81154686187") == shown


def test_no_name_shows_the_member_numbers_last_four_digits():
    assert cashier_name("   ", "81154686187") == "Member …6187"
