"""Scanner bursts versus typing, and the staff PIN hash."""

from __future__ import annotations

import pytest

from loyalty_app.kiosk.pin import PinError, check_pin_format, hash_pin, verify_pin
from loyalty_app.kiosk.scan_input import EntryTimer, classify


def feed(timer: EntryTimer, text: str, start: float, per_char: float) -> float:
    at = start
    for i in range(1, len(text) + 1):
        timer.changed(text[:i], at)
        at += per_char
    return at


def test_a_scanner_burst_is_recognised():
    timer = EntryTimer()
    end = feed(timer, "HBR:c0123456789ab:1795460220:80309806", 100.0, 0.005)
    assert timer.source(end) == "scanner"


def test_a_person_typing_a_member_number_is_recognised():
    timer = EntryTimer()
    end = feed(timer, "8123 4567 8901", 100.0, 0.18)
    assert timer.source(end) == "typed"


def test_short_input_counts_as_typed_even_when_fast():
    assert classify(100.0, 100.01, 3) == "typed"
    assert classify(None, 100.0, 40) == "typed"


def test_clearing_the_field_starts_a_new_entry():
    timer = EntryTimer()
    feed(timer, "81234", 100.0, 0.2)
    timer.changed("", 102.0)
    end = feed(timer, "HBR-V:ABCD2345EF", 200.0, 0.004)
    assert timer.source(end) == "scanner"


def test_pin_round_trip_and_wrong_pin():
    stored = hash_pin("2468")
    assert stored.startswith("pbkdf2-sha256$") and "2468" not in stored
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("2468", None)
    assert not verify_pin("2468", "garbage")
    assert not verify_pin("2468", "md5$1$00$00")


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "١٢٣٤"])
def test_pin_format_is_4_to_8_ascii_digits(pin):
    with pytest.raises(PinError):
        check_pin_format(pin)


def test_a_burst_stretched_by_a_busy_machine_is_still_a_scanner():
    # Timed where the keys reach Python: 70 ms a character on a loaded till.
    timer = EntryTimer()
    end = feed(timer, "HBR:c0123456789ab:1795460220:80309806", 100.0, 0.07)
    assert timer.source(end) == "scanner"


def test_a_person_typing_a_card_code_off_a_screen_is_still_typing():
    timer = EntryTimer()
    end = feed(timer, "HBR:c0123456789ab:1795460220:80309806", 100.0, 0.15)
    assert timer.source(end) == "typed"
