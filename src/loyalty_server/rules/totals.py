"""The running totals kept on a member's row, and what they must equal: a full recomputation
from the member's ledger. The credit path reads the totals instead of the ledger."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LedgerLine:
    """What the totals count of one ledger entry."""

    amount: int
    remaining: int
    qualifying: bool
    voided: bool


@dataclass(frozen=True)
class LedgerTotals:
    """``points_open``: unspent points in the member's lots (pending and not yet settled
    expired points included). ``qualifying_total``: qualifying points ever booked and not
    voided, with no window: never less than the points of any qualifying window."""

    points_open: int
    qualifying_total: int


def totals_of(lines: Iterable[LedgerLine]) -> LedgerTotals:
    """The totals as a full recomputation from every entry of one member's ledger."""
    open_points = qualifying = 0
    for line in lines:
        open_points += line.remaining
        if line.qualifying and not line.voided:
            qualifying += line.amount
    return LedgerTotals(points_open=open_points, qualifying_total=qualifying)
