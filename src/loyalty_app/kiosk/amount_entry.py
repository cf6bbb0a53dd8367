"""The amount at the till, built key by key.

The amount is not typed into a text field: a field only receives keys while it has the focus,
and a key pressed before the browser moved the focus to it (a busy till, a slow network) is lost
without a trace — the cashier types 4.75 and 0.75 is booked. Instead every key pressed while the
member screen is up is applied here, whatever has the focus, and the result is drawn large next
to the member's name before it is booked. Letters and other stray characters are kept (a card
scanned by mistake shows up on screen and is refused as an amount), never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CHARS = 12  # "99999.99" fits many times over; a scanner burst stops here, visibly

SUBMIT_KEYS = frozenset({"Enter", "Numpad Enter"})
ERASE_KEY = "Backspace"
CLEAR_KEYS = frozenset({"Escape", "Delete"})
# Flutter names the number pad's keys; everything else that types is named by its character.
NUMPAD = {f"Numpad {d}": str(d) for d in range(10)} | {
    "Numpad Decimal": ".",
    "Numpad Comma": ",",
}


@dataclass(frozen=True)
class Edit:
    text: str
    submit: bool = False
    changed: bool = False


def typed_char(key: str) -> str | None:
    """The character a key types, or None for keys that type nothing (arrows, F-keys…)."""
    if key in NUMPAD:
        return NUMPAD[key]
    if len(key) == 1 and key.isprintable():
        return key
    return None


def apply_key(text: str, key: str) -> Edit:
    """The amount after one key press."""
    if key in SUBMIT_KEYS:
        return Edit(text, submit=True)
    if key == ERASE_KEY:
        return Edit(text[:-1], changed=bool(text))
    if key in CLEAR_KEYS:
        return Edit("", changed=bool(text))
    char = typed_char(key)
    if char is None or len(text) >= MAX_CHARS:
        return Edit(text)
    return Edit(text + char, changed=True)
