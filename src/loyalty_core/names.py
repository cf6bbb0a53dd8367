"""Members' names, as both the app and the server must read them."""

from __future__ import annotations

# From the CJK radicals on: Chinese, Japanese and Korean scripts (and the rest of the BMP's
# upper planes, which a name does not use otherwise).
CJK_START = 0x2E80


def written_in_cjk(text: str | None) -> bool:
    """True when a name has characters of the CJK scripts (林曉晴): written without spaces,
    surname first, and drawn only by a font that has them."""
    return any(ord(char) >= CJK_START for char in text or "")
