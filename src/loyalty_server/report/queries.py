"""The report's facts, read in a few aggregate queries that run alike on SQLite and
PostgreSQL: time buckets are CASE expressions over boundaries worked out in Python, so no
date function of either database is needed. Every function reads only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, literal, null, or_, select, text, union_all
from sqlalchemy.orm import Session

from ..models import LedgerEntry, Member, ReferralVisit, Staff, TierChange, Voucher
from .kpis import ALL_STORES, NO_STORE, PointsFlow, PurchaseKpis, ReferralFunnel


def roomy(s: Session) -> None:
    """Lets this transaction's aggregates hash in memory on PostgreSQL: the default 4 MB
    made the per-member grouping sort on disk, several times slower on a big programme."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SET LOCAL work_mem = '64MB'"))


def bucket(column: ColumnElement, starts: Sequence[datetime]) -> ColumnElement:
    """Which of the consecutive slices beginning at `starts` a time falls in (0, 1, …);
    the caller keeps times before the first start and after the last slice out."""
    whens = [(column < start, index) for index, start in enumerate(starts[1:])]
    return case(*whens, else_=len(starts) - 1) if whens else case((column.is_not(None), 0))


def _one_if(condition: ColumnElement) -> ColumnElement:
    return func.sum(case((condition, 1), else_=0))


def _totals(c) -> list[ColumnElement]:  # noqa: ANN001
    """Per-member purchase counts (n0 this period, n1 the previous, n2 the one before) and
    sales (s0, s1) summed into the KPIs' counts, this period then the previous one."""
    return [
        *(_one_if(c.n0 > 0), _one_if(c.n1 > 0), _one_if(and_(c.n0 > 0, c.n1 > 0))),
        *(_one_if(c.n0 >= 2), func.sum(c.n0), func.sum(c.s0)),
        *(_one_if(c.n1 > 0), _one_if(c.n2 > 0), _one_if(and_(c.n1 > 0, c.n2 > 0))),
        *(_one_if(c.n1 >= 2), func.sum(c.n1), func.sum(c.s1)),
    ]


def _kpis(row: Sequence) -> tuple[PurchaseKpis, PurchaseKpis]:
    def one(values: Sequence) -> PurchaseKpis:
        ints = [int(v or 0) for v in values[:5]]
        return PurchaseKpis(*ints, sales=Decimal(str(values[5] or 0)))

    return one(row[:6]), one(row[6:12])


def purchase_totals(
    s: Session, starts: Sequence[datetime], end: datetime
) -> tuple[dict[str | None, PurchaseKpis], dict[str | None, PurchaseKpis]]:
    """The purchase KPIs' counts of the last period and of the one before, over all stores
    (key `ALL_STORES`, first) and per store. `starts`: the three periods' starts, oldest
    first. Counted in the database: per member and store, then per store, and per member
    then over all (a member who bought at two stores is one active member overall)."""
    e = LedgerEntry
    slices = (
        select(
            e.member_id,
            Staff.store,
            bucket(e.created_at, starts).label("slice"),
            e.purchase_amount,
        )
        .outerjoin(Staff, Staff.id == e.staff_id)
        .where(
            e.kind == "purchase",
            e.voided_at.is_(None),
            e.created_at >= starts[0],
            e.created_at < end,
        )
        .subquery()
    )
    c = slices.c
    per_member_store = (
        select(
            c.member_id,
            c.store,
            _one_if(c.slice == 2).label("n0"),
            _one_if(c.slice == 1).label("n1"),
            _one_if(c.slice == 0).label("n2"),
            func.sum(case((c.slice == 2, c.purchase_amount), else_=0)).label("s0"),
            func.sum(case((c.slice == 1, c.purchase_amount), else_=0)).label("s1"),
        )
        .group_by(c.member_id, c.store)
        .cte("per_member_store")  # read twice, computed once (PostgreSQL materialises it)
    )
    m = per_member_store.c
    per_member = (
        select(*(func.sum(col).label(col.name) for col in (m.n0, m.n1, m.n2, m.s0, m.s1)))
        .group_by(m.member_id)
        .subquery()
    )
    overall = select(literal(0).label("scope"), null().label("store"), *_totals(per_member.c))
    per_store = select(literal(1), m.store, *_totals(m)).group_by(m.store)
    current: dict[str | None, PurchaseKpis] = {}
    previous: dict[str | None, PurchaseKpis] = {}
    rows = s.execute(union_all(overall, per_store)).all()
    for row in sorted(rows, key=lambda r: (r[0], r[1] or NO_STORE)):
        store = ALL_STORES if row[0] == 0 else row[1] or NO_STORE
        current[store], previous[store] = _kpis(row[2:])
    return current, previous


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
