"""The report's facts, read in a few aggregate queries that run alike on SQLite and
PostgreSQL: time buckets are CASE expressions over boundaries worked out in Python, so no
date function of either database is needed. Every function reads only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..models import LedgerEntry, Member, ReferralVisit, Staff, TierChange, Voucher
from .kpis import NO_STORE, MemberPurchases, PointsFlow, ReferralFunnel


def bucket(column: ColumnElement, starts: Sequence[datetime]) -> ColumnElement:
    """Which of the consecutive slices beginning at `starts` a time falls in (0, 1, …);
    the caller keeps times before the first start and after the last slice out."""
    whens = [(column < start, index) for index, start in enumerate(starts[1:])]
    return case(*whens, else_=len(starts) - 1) if whens else case((column.is_not(None), 0))


def member_purchases(
    s: Session, starts: Sequence[datetime], end: datetime
) -> list[MemberPurchases]:
    """Each member's purchases per store per period; `starts` are the periods' starts, oldest
    first, and the result numbers periods newest first (0: the last one)."""
    last = len(starts) - 1
    inner = (
        select(
            LedgerEntry.member_id.label("member_id"),
            func.coalesce(Staff.store, NO_STORE).label("store"),
            bucket(LedgerEntry.created_at, starts).label("slice"),
            LedgerEntry.purchase_amount.label("amount"),
        )
        .outerjoin(Staff, Staff.id == LedgerEntry.staff_id)
        .where(
            LedgerEntry.kind == "purchase",
            LedgerEntry.voided_at.is_(None),
            LedgerEntry.created_at >= starts[0],
            LedgerEntry.created_at < end,
        )
        .subquery()
    )
    rows = s.execute(
        select(
            inner.c.member_id,
            inner.c.store,
            inner.c.slice,
            func.count(),
            func.coalesce(func.sum(inner.c.amount), 0),
        ).group_by(inner.c.member_id, inner.c.store, inner.c.slice)
    )
    return [
        MemberPurchases(member, store, last - index, count, Decimal(str(sales)))
        for member, store, index, count, sales in rows
    ]


def slices(s: Session, starts: Sequence[datetime], end: datetime) -> list[dict]:
    """Per slice: active members, purchases, sales, points issued, redeemed and expired."""
    e = LedgerEntry
    is_purchase = and_(e.kind == "purchase", e.voided_at.is_(None))
    inner = (
        select(
            bucket(e.created_at, starts).label("slice"),
            case((is_purchase, e.member_id)).label("buyer"),
            case((is_purchase, 1), else_=0).label("purchase"),
            case((is_purchase, e.purchase_amount), else_=0).label("sales"),
            case((and_(e.amount > 0, e.voided_at.is_(None)), e.amount), else_=0).label("issued"),
            case((e.kind == "redeem", -e.amount), else_=0).label("redeemed"),
            case((e.kind == "expire", -e.amount), else_=0).label("expired"),
        )
        .where(e.created_at >= starts[0], e.created_at < end)
        .subquery()
    )
    c = inner.c
    rows = s.execute(
        select(
            c.slice,
            func.count(func.distinct(c.buyer)),
            func.sum(c.purchase),
            func.sum(c.sales),
            func.sum(c.issued),
            func.sum(c.redeemed),
            func.sum(c.expired),
        ).group_by(c.slice)
    )
    found = {
        row[0]: {
            "active": int(row[1]),
            "purchases": int(row[2] or 0),
            "sales": Decimal(str(row[3] or 0)),
            "flow": PointsFlow(int(row[4] or 0), int(row[5] or 0), int(row[6] or 0)),
        }
        for row in rows
    }
    empty = {"active": 0, "purchases": 0, "sales": Decimal(0), "flow": PointsFlow(0, 0, 0)}
    return [found.get(index, empty) for index in range(len(starts))]


def outstanding_points(s: Session, now: datetime) -> int:
    """Points members hold at `now`: what unexpired lots still hold, pending ones too."""
    e = LedgerEntry
    total = s.scalar(
        select(func.coalesce(func.sum(e.remaining), 0)).where(
            e.remaining > 0, or_(e.expires_at.is_(None), e.expires_at > now)
        )
    )
    return int(total or 0)


def members_per_tier(s: Session) -> dict[str, int]:
    rows = s.execute(select(Member.tier_code, func.count()).group_by(Member.tier_code))
    return {code: int(n) for code, n in rows}


def tier_moves(s: Session, start: datetime, end: datetime) -> dict[tuple[str, str], int]:
    t = TierChange
    rows = s.execute(
        select(t.from_code, t.to_code, func.count())
        .where(t.changed_at >= start, t.changed_at < end)
        .group_by(t.from_code, t.to_code)
    )
    return {(a, b): int(n) for a, b, n in rows}


def referral_funnel(s: Session, start: datetime, end: datetime) -> ReferralFunnel:
    invited = s.scalar(
        select(func.count()).where(
            ReferralVisit.visited_at >= start, ReferralVisit.visited_at < end
        )
    )
    joined_in_period = and_(
        Member.joined_at >= start, Member.joined_at < end, Member.referred_by_id.is_not(None)
    )
    joined, bought = s.execute(
        select(
            func.count(),
            func.count(case((Member.first_purchase_at < end, 1))),
        ).where(joined_in_period)
    ).one()
    return ReferralFunnel(int(invited or 0), int(joined or 0), int(bought or 0))


def redeemed_rewards(s: Session, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
    """(reward id, vouchers bought with points, points spent), most redeemed first."""
    rows = s.execute(
        select(
            Voucher.reward_id,
            func.count(),
            func.coalesce(func.sum(-LedgerEntry.amount), 0),
        )
        .outerjoin(LedgerEntry, LedgerEntry.id == Voucher.ledger_entry_id)
        .where(Voucher.source == "redeem", Voucher.created_at >= start, Voucher.created_at < end)
        .group_by(Voucher.reward_id)
    )
    return sorted(((r, int(n), int(p)) for r, n, p in rows), key=lambda x: (-x[1], x[0]))


def known_stores(s: Session) -> list[str]:
    """Every store a staff credential was ever issued for."""
    return sorted(s.scalars(select(Staff.store).distinct()))
