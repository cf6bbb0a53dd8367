"""How much of a member's name a cashier sees."""

from __future__ import annotations

from loyalty_core.names import written_in_cjk

MASK = "*"


def cashier_name(name: str, number: str) -> str:
    """All a cashier needs to greet the member, and no more: the first name and the last
    initial (Mei Lin: "Mei L."); a name in Chinese keeps its surname and last character and
    hides the rest, as receipts there do (林曉晴: "林*晴", 王明: "王*"). No name at all:
    the member number's last four digits."""
    parts = name.split()
    if not parts:
        return f"Member …{number[-4:]}"
    if len(parts) > 1:
        return f"{parts[0]} {parts[-1][0]}."
    word = parts[0]
    if not written_in_cjk(word) or len(word) < 2:
        return word
    if len(word) == 2:
        return word[0] + MASK
    return word[0] + MASK * (len(word) - 2) + word[-1]
