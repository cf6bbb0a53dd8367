"""The till's amount, key by key: what the cashier presses is what is shown and booked."""

from __future__ import annotations

from loyalty_app.kiosk.amount_entry import MAX_CHARS, apply_key


def press(keys: list[str], text: str = "") -> tuple[str, bool]:
    submitted = False
    for key in keys:
        edit = apply_key(text, key)
        text, submitted = edit.text, edit.submit
    return text, submitted


def test_digits_and_the_point_build_the_amount():
    assert press(["4", ".", "7", "5"]) == ("4.75", False)
    assert press(["1", "2", ".", "5", "0", "Enter"]) == ("12.50", True)


def test_the_number_pad_types_the_same_amount():
    keys = ["Numpad 4", "Numpad Decimal", "Numpad 7", "Numpad 5", "Numpad Enter"]
    assert press(keys) == ("4.75", True)


def test_backspace_erases_one_character_and_escape_clears():
    assert press(["1", "2", "3", "Backspace"]) == ("12", False)
    assert press(["Backspace"]) == ("", False)
    assert press(["9", "9", "Escape"]) == ("", False)
    assert press(["9", "Delete"]) == ("", False)


def test_keys_that_type_nothing_change_nothing():
    for key in ("Arrow Left", "F5", "Tab", "Shift Left", "Page Down"):
        edit = apply_key("7", key)
        assert (edit.text, edit.submit, edit.changed) == ("7", False, False)


def test_stray_characters_are_kept_so_the_amount_is_refused_not_misread():
    # A card scanned by mistake: its letters stay on screen, so "HBR:123" is refused as an
    # amount rather than booked as 123.
    assert press(list("HBR:123")) == ("HBR:123", False)


def test_a_long_burst_stops_at_the_limit_visibly():
    text, _ = press(list("HBR:c0123456789ab:1795460220"))
    assert len(text) == MAX_CHARS and text.startswith("HBR:")
