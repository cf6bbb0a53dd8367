"""The report's facts, read in a few aggregate queries that run alike on SQLite and
PostgreSQL: time buckets are CASE expressions over boundaries worked out in Python, so no
date function of either database is needed. Every function reads only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from ..models import (
    Feedback,
    LedgerEntry,
    Member,
    MemberOfferState,
    ReferralVisit,
    Staff,
    TierChange,
    Voucher,
)
from .kpis import (
    ALL_STORES,
    NO_STORE,
    PASSIVE_FROM,
    PROMOTER_FROM,
    NpsCounts,
    PointsFlow,
    PurchaseKpis,
    ReferralFunnel,
)

#: The ledger reason of an offer's bonus line (services.offers.OFFER_BONUS).
OFFER_BONUS = "offer_bonus"


def roomy(s: Session) -> None:
    """Lets this transaction's aggregates hash in memory on PostgreSQL: the default 4 MB
    made the per-member grouping sort on disk, several times slower on a big programme."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SET LOCAL work_mem = '128MB'"))


def bucket(column: ColumnElement, starts: Sequence[datetime]) -> ColumnElement:
    """Which of the consecutive slices beginning at `starts` a time falls in (0, 1, …);
    the caller keeps times before the first start and after the last slice out."""
    whens = [(column < start, index) for index, start in enumerate(starts[1:])]
    return case(*whens, else_=len(starts) - 1) if whens else case((column.is_not(None), 0))


def _count_if(condition: ColumnElement) -> ColumnElement:
    return func.count(case((condition, 1)))


def _member_counts(n0: ColumnElement, n1: ColumnElement, n2: ColumnElement) -> list:
    """Members' purchase counts (n0 this period, n1 the previous, n2 the one before) made
    into: active, active before, retained, repeaters — this period, then the previous."""
    return [
        *(_count_if(n0 > 0), _count_if(n1 > 0), _count_if(and_(n0 > 0, n1 > 0))),
        _count_if(n0 >= 2),
        *(_count_if(n1 > 0), _count_if(n2 > 0), _count_if(and_(n1 > 0, n2 > 0))),
        _count_if(n1 >= 2),
    ]


@dataclass(frozen=True)
class Activity:
    """What the ledger's purchases and points say about the period and the one before."""

    stores: dict[str | None, PurchaseKpis]
    stores_before: dict[str | None, PurchaseKpis]
    #: Per week of the period: active members, purchases, sales and the points' flow.
    weeks: list[tuple[int, int, Decimal, PointsFlow]]
    flow_before: PointsFlow


def activity(
    s: Session, starts: Sequence[datetime], week_starts: Sequence[datetime], end: datetime
) -> Activity:
    """Two passes over the ledger. `starts`: the starts of the period before the previous
    one and of the previous one; the period itself is `week_starts` up to `end`.

    Members: each member's purchases per store, counted per slice (the two periods before,
    each week of this one), then per store and, per member over all stores, overall (a
    member who bought at two stores is one active member overall). Only small counters are
    kept per member: on a big programme the per-member groups are what costs.
    Money and points: per slice and store, summed."""
    e = LedgerEntry
    names, store_key = _store_key(s)
    weeks = len(week_starts)
    bounds = [*starts, *week_starts, end]
    purchases = (
        select(e.member_id, store_key.label("store"), e.created_at)
        .where(
            e.kind == "purchase",
            e.voided_at.is_(None),
            e.created_at >= starts[0],
            e.created_at < end,
        )
        .subquery()
    )
    c = purchases.c

    def within(k: int) -> ColumnElement:
        # Plain comparisons: a CASE bucket here was evaluated again for every counter. As
        # integers: PostgreSQL sums a count (bigint) as a numeric, far bigger per group.
        inside = and_(c.created_at >= bounds[k], c.created_at < bounds[k + 1])
        return cast(_count_if(inside), Integer)

    counters = [within(0).label("n2"), within(1).label("n1")]
    counters += [within(k + 2).label(f"w{k}") for k in range(weeks)]
    per_member_store = (
        select(c.member_id, c.store, *counters)
        .group_by(c.member_id, c.store)
        .cte("per_member_store")  # read twice, computed once (PostgreSQL materialises it)
    )
    m = per_member_store.c
    names_of = ["n2", "n1", *(f"w{k}" for k in range(weeks))]
    per_member = (
        select(*(func.sum(m[name]).label(name) for name in names_of))
        .group_by(m.member_id)
        .subquery()
    )

    def counts(cols) -> list:  # noqa: ANN001
        n0 = sum((cols[f"w{k}"] for k in range(1, weeks)), cols["w0"])
        return _member_counts(n0, cols["n1"], cols["n2"]) + [
            _count_if(cols[f"w{k}"] > 0) for k in range(weeks)
        ]

    overall = select(literal(-2).label("store"), *counts(per_member.c))
    per_store = select(m.store, *counts(m)).group_by(m.store)
    members = {
        row[0]: [int(n or 0) for n in row[1:]] for row in s.execute(union_all(overall, per_store))
    }

    is_purchase = and_(e.kind == "purchase", e.voided_at.is_(None))
    moves = (
        select(
            bucket(e.created_at, [starts[1], *week_starts]).label("slice"),
            store_key.label("store"),
            case((is_purchase, 1), else_=0).label("purchase"),
            case((is_purchase, e.purchase_amount), else_=0).label("sales"),
            case((and_(e.amount > 0, e.voided_at.is_(None)), e.amount), else_=0).label("issued"),
            case((e.kind == "redeem", -e.amount), else_=0).label("redeemed"),
            case((e.kind == "expire", -e.amount), else_=0).label("expired"),
        )
        .where(e.created_at >= starts[1], e.created_at < end)
        .subquery()
    )
    f = moves.c
    sums = [func.sum(f.purchase), func.sum(f.sales), func.sum(f.issued)]
    sums += [func.sum(f.redeemed), func.sum(f.expired)]
    per_slice: dict[tuple[int, int], list] = {}
    for index, store, *figures in s.execute(
        select(f.slice, f.store, *sums).group_by(f.slice, f.store)
    ):
        for key in ((index, store), (index, -2)):
            total = per_slice.setdefault(key, [0, Decimal(0), 0, 0, 0])
            total[0] += int(figures[0] or 0)
            total[1] += Decimal(str(figures[1] or 0))
            for i in (2, 3, 4):
                total[i] += int(figures[i] or 0)

    def money(store: int, slices: range) -> tuple[int, Decimal]:
        rows = [per_slice.get((i, store), [0, Decimal(0)]) for i in slices]
        return sum(r[0] for r in rows), sum((r[1] for r in rows), Decimal(0))

    stores: dict[str | None, PurchaseKpis] = {}
    stores_before: dict[str | None, PurchaseKpis] = {}
    for key in sorted(members, key=lambda k: (k != -2, names.get(k, NO_STORE))):
        store = ALL_STORES if key == -2 else names.get(key, NO_STORE)
        n = members[key]
        stores[store] = PurchaseKpis(*n[:4], *money(key, range(1, weeks + 1)))
        stores_before[store] = PurchaseKpis(*n[4:8], *money(key, range(0, 1)))
    week_figures = []
    for k in range(weeks):
        figures = per_slice.get((k + 1, -2), [0, Decimal(0), 0, 0, 0])
        active = members[-2][8 + k]  # the overall row is always there (an aggregate)
        week_figures.append((active, figures[0], figures[1], PointsFlow(*figures[2:5])))
    before = per_slice.get((0, -2), [0, Decimal(0), 0, 0, 0])
    return Activity(stores, stores_before, week_figures, PointsFlow(*before[2:5]))


def _store_key(s: Session) -> tuple[dict[int, str], ColumnElement]:
    """A small number per store for a ledger entry (-1: no staff credential), from the
    staff table: grouping by it is much cheaper than joining staff and grouping by name."""
    ids: dict[str, list[str]] = {}
    for staff_id, store in s.execute(select(Staff.id, Staff.store)):
        ids.setdefault(store, []).append(staff_id)
    names = dict(enumerate(sorted(ids)))
    whens = [(LedgerEntry.staff_id.in_(ids[name]), number) for number, name in names.items()]
    return names, case(*whens, else_=-1) if whens else literal(-1)


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


def nps_answers(
    s: Session, starts: Sequence[datetime], end: datetime
) -> dict[tuple[int, str], NpsCounts]:
    """Answers (scored feedback) per slice (0, 1, … from `starts` up to `end`) and store."""
    f = Feedback
    slice_ = bucket(f.answered_at, starts).label("slice")
    rows = s.execute(
        select(
            slice_,
            f.store,
            _count_if(f.score >= PROMOTER_FROM),
            _count_if(and_(f.score >= PASSIVE_FROM, f.score < PROMOTER_FROM)),
            _count_if(f.score < PASSIVE_FROM),
        )
        .where(f.score.is_not(None), f.answered_at >= starts[0], f.answered_at < end)
        .group_by(slice_, f.store)
    )
    return {
        (int(i), store or NO_STORE): NpsCounts(int(p), int(m), int(d)) for i, store, p, m, d in rows
    }


def _names_offer(offer_id: str) -> ColumnElement:
    """A ledger line's details name the offer: `"offer_id": "<id>"` as json.dumps writes it
    (ids are [a-z0-9_-]: only `_` needs escaping for LIKE; the closing quote keeps one id
    from matching another that starts with it)."""
    needle = json.dumps({"offer_id": offer_id})[1:-1].replace("_", "\\_")
    return LedgerEntry.details.like(f"%{needle}%", escape="\\")


def offers_reached(
    s: Session, spans: dict[str, Sequence[tuple[datetime, datetime]]]
) -> dict[str, int]:
    """Members who bought while each offer ran (`spans`: per offer id), in one pass over the
    purchases: one row per member with a flag per offer, then the flags added up (a count of
    distinct members per offer sorted the purchases once an offer)."""
    running = {offer_id: list(ran) for offer_id, ran in spans.items() if ran}
    if not running:
        return {offer_id: 0 for offer_id in spans}
    e = LedgerEntry
    ids = list(running)
    flags = [
        func.max(
            case(
                (or_(*(and_(e.created_at >= a, e.created_at < b) for a, b in running[i])), 1),
                else_=0,
            )
        ).label(f"f{n}")
        for n, i in enumerate(ids)
    ]
    per_member = (
        select(*flags)
        .where(
            e.kind == "purchase",
            e.voided_at.is_(None),
            e.created_at >= min(a for i in ids for a, _ in running[i]),
            e.created_at < max(b for i in ids for _, b in running[i]),
        )
        .group_by(e.member_id)
        .subquery()
    )
    row = s.execute(select(*(func.sum(c) for c in per_member.c))).one()
    reached = {offer_id: int(n or 0) for offer_id, n in zip(ids, row, strict=True)}
    return {offer_id: reached.get(offer_id, 0) for offer_id in spans}


def offer_activations(s: Session, offer_id: str, end: datetime) -> int:
    """Members who added an add-to-card offer to their card before `end`."""
    return int(
        s.scalar(
            select(func.count()).where(
                MemberOfferState.offer_id == offer_id,
                MemberOfferState.activated_at.is_not(None),
                MemberOfferState.activated_at < end,
            )
        )
        or 0
    )


def offer_uptake(
    s: Session, offer_id: str, before: datetime, start: datetime, end: datetime
) -> tuple[int, int, int, int]:
    """(used, compared, visits, visits before) of one offer whose window is `start` to `end`
    and whose window before starts at `before`."""
    e = LedgerEntry
    users = (
        select(e.member_id)
        .where(
            e.reason == OFFER_BONUS,
            e.voided_at.is_(None),
            e.created_at >= start,
            e.created_at < end,
            _names_offer(offer_id),
        )
        .distinct()
        .subquery()
    )
    used = s.scalar(select(func.count()).select_from(users))
    p = aliased(LedgerEntry)
    compared, visits, visits_before = s.execute(
        select(
            func.count(func.distinct(p.member_id)),
            _count_if(p.created_at >= start),
            _count_if(p.created_at < start),
        )
        .join(users, users.c.member_id == p.member_id)
        .join(Member, Member.id == p.member_id)
        .where(
            p.kind == "purchase",
            p.voided_at.is_(None),
            p.created_at >= before,
            p.created_at < end,
            Member.joined_at < before,
        )
    ).one()
    return int(used or 0), int(compared), int(visits), int(visits_before)
