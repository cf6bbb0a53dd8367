"""Telling a scanner's burst from a person typing. USB and Bluetooth scanners type a whole
code in a few milliseconds per character and press Enter; people take 100 ms or more."""

from __future__ import annotations

from dataclasses import dataclass, field

# Keystrokes are timed as they reach Python over the page's websocket, so a busy machine
# stretches a scanner's 2-5 ms a character: a till under load (two busy processes on two cores
# and more) measured bursts above 50 ms a character and refused real scans as "typed". People
# typing a card code (random letters, digits and colons) take 150 ms a character and more.
SCANNER_MAX_MS_PER_CHAR = 100.0
MIN_SCANNER_CHARS = 6


@dataclass
class EntryTimer:
    """Fed with the field's text on every change, and the time; says how it was entered."""

    first_at: float | None = None
    last_at: float | None = None
    chars: int = 0
    changes: list[tuple[float, int]] = field(default_factory=list)

    def changed(self, text: str, at: float) -> None:
        if not text:
            self.reset()
            return
        if self.first_at is None:
            self.first_at = at
        self.last_at, self.chars = at, len(text)
        self.changes.append((at, len(text)))

    def reset(self) -> None:
        self.first_at = self.last_at = None
        self.chars = 0
        self.changes.clear()

    def source(self, submitted_at: float) -> str:
        """ "scanner" or "typed"."""
        return classify(self.first_at, submitted_at, self.chars)

    def ms_per_char(self, submitted_at: float) -> float | None:
        """How fast the entry came, for the log."""
        if self.first_at is None or not self.chars:
            return None
        return (submitted_at - self.first_at) * 1000 / self.chars


def classify(first_at: float | None, submitted_at: float, chars: int) -> str:
    if first_at is None or chars < MIN_SCANNER_CHARS:
        return "typed"
    # The first character's own time is unknown: spread the burst over chars - 1 gaps + Enter.
    per_char_ms = (submitted_at - first_at) * 1000 / max(chars, 1)
    return "scanner" if per_char_ms <= SCANNER_MAX_MS_PER_CHAR else "typed"
