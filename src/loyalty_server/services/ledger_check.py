"""`loyalty-server check-ledger`: every member's running totals (rules.totals, kept on the
member row) against a full recomputation from the ledger; with `fix`, the totals are set to
the recomputed values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from .. import rules
from ..db import Database
from ..models import LedgerEntry, Member


@dataclass(frozen=True)
class Mismatch:
    member_id: str
    number: str
    stored: rules.LedgerTotals
    recomputed: rules.LedgerTotals


def recomputed_totals(
    s: Session, member_ids: list[str] | None = None
) -> dict[str, rules.LedgerTotals]:
    """The totals of each member (with a ledger) as a full recomputation, in one query."""
    counts_qualifying = LedgerEntry.qualifying.is_(True) & LedgerEntry.voided_at.is_(None)
    query = select(
        LedgerEntry.member_id,
        func.coalesce(func.sum(LedgerEntry.remaining), 0),
        func.coalesce(func.sum(case((counts_qualifying, LedgerEntry.amount), else_=0)), 0),
    ).group_by(LedgerEntry.member_id)
    if member_ids is not None:
        query = query.where(LedgerEntry.member_id.in_(member_ids))
    return {
        member_id: rules.LedgerTotals(points_open=int(open_), qualifying_total=int(qualifying))
        for member_id, open_, qualifying in s.execute(query)
    }


def mismatches(s: Session) -> list[Mismatch]:
    """Every member whose stored totals differ from the recomputed ones, by member number."""
    recomputed = recomputed_totals(s)
    empty = rules.LedgerTotals(points_open=0, qualifying_total=0)
    found = []
    rows = s.execute(
        select(Member.id, Member.number, Member.points_open, Member.qualifying_total).order_by(
            Member.number
        )
    )
    for member_id, number, points_open, qualifying_total in rows:
        stored = rules.LedgerTotals(points_open=points_open, qualifying_total=qualifying_total)
        expected = recomputed.get(member_id, empty)
        if stored != expected:
            found.append(Mismatch(member_id, number, stored, expected))
    return found


def check_ledger(db: Database, *, fix: bool = False) -> list[Mismatch]:
    """The members whose totals were wrong; with `fix`, they are corrected (each under its
    row lock, recomputed again inside the lock so a concurrent write is not overwritten)."""
    with db.read() as s:
        found = mismatches(s)
    if not fix:
        return found
    for mismatch in found:
        with db.write() as s:
            s.execute(select(Member.id).where(Member.id == mismatch.member_id).with_for_update())
            totals = recomputed_totals(s, [mismatch.member_id]).get(
                mismatch.member_id, rules.LedgerTotals(points_open=0, qualifying_total=0)
            )
            s.execute(
                update(Member)
                .where(Member.id == mismatch.member_id)
                .values(
                    points_open=totals.points_open,
                    qualifying_total=totals.qualifying_total,
                    version=Member.version + 1,
                )
            )
    return found
