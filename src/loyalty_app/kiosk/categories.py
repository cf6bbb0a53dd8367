"""What the purchase at the till included: the programme's categories the cashier taps.

The server books the category codes a credit names: an offer for one category pays only
when the purchase is marked with it, and the "try three categories" challenge counts the
programme's categories a member has bought from. The till therefore sends only codes the
programme has, each once, and in the programme's order — so the same choice always makes
the same request, however the chips were tapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class CategoryError(ValueError):
    """A category the programme does not have (it changed since the chip was drawn)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"not one of the programme's categories: {code!r}")
        self.code = code


def toggle(chosen: Iterable[str], code: str, known: Sequence[str]) -> tuple[str, ...]:
    """The choice after a tap on `code`: added, or removed when it was chosen; in the
    programme's order. A code the programme does not have changes nothing."""
    picked = set(chosen)
    if code in known:
        picked ^= {code}
    return tuple(c for c in known if c in picked)


def for_credit(chosen: Iterable[str], known: Sequence[str]) -> list[str]:
    """The codes a credit sends: each once, in the programme's order. Raises
    `CategoryError` for a code the programme does not have."""
    picked = set(chosen)
    for code in sorted(picked):
        if code not in known:
            raise CategoryError(code)
    return [c for c in known if c in picked]
