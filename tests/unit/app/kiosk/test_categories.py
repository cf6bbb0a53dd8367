"""The purchase's categories at the till: what the cashier taps is what is sent, in the
programme's order, and only codes the programme has."""

from __future__ import annotations

import pytest

from loyalty_app.kiosk.categories import CategoryError, for_credit, toggle

KNOWN = ("drinks", "food", "merchandise", "experiences")


def test_a_tap_adds_a_category_and_a_second_tap_removes_it():
    chosen = toggle((), "food", KNOWN)
    assert chosen == ("food",)
    chosen = toggle(chosen, "drinks", KNOWN)
    assert chosen == ("drinks", "food")  # the programme's order, not the tapping order
    assert toggle(chosen, "food", KNOWN) == ("drinks",)
    assert toggle(("drinks",), "drinks", KNOWN) == ()


def test_a_code_the_programme_does_not_have_changes_nothing():
    assert toggle(("food",), "pastries", KNOWN) == ("food",)
    assert toggle((), "", KNOWN) == ()


def test_a_choice_the_programme_no_longer_has_is_dropped_at_the_next_tap():
    assert toggle(("food", "gone"), "drinks", KNOWN) == ("drinks", "food")


def test_a_credit_sends_each_code_once_in_the_programmes_order():
    assert for_credit(["merchandise", "drinks", "drinks"], KNOWN) == ["drinks", "merchandise"]
    assert for_credit((), KNOWN) == []


def test_a_credit_refuses_a_code_the_programme_does_not_have():
    with pytest.raises(CategoryError) as bad:
        for_credit(["drinks", "pastries"], KNOWN)
    assert bad.value.code == "pastries"
    with pytest.raises(CategoryError):
        for_credit(["drinks"], ())
