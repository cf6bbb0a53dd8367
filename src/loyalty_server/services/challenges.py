"""Challenges: counting what a member has done, awarding each reached one's badge (and
points) once, and the member's badges. Runs inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from .. import rules, schemas
from ..models import LedgerEntry, Member, MemberBadge, MemberCategory
from ..programme import Challenge, Programme
from . import points

#: The ledger reason of a reached challenge's points.
CHALLENGE_COMPLETED = "challenge_completed"


def record_categories(s: Session, member: Member, categories: list[str], now: datetime) -> None:
    """Remember which of the programme's categories the member has bought from."""
    if not categories:
        return
    known = set(
        s.scalars(select(MemberCategory.category).where(MemberCategory.member_id == member.id))
    )
    for category in sorted(set(categories) - known):
        s.add(MemberCategory(member_id=member.id, category=category, first_at=now))
    s.flush()


# Built once per process; each call binds the member.
_EARNED = select(MemberBadge.challenge_id, MemberBadge.earned_at).where(
    MemberBadge.member_id == bindparam("member_id")
)


# The member's newest purchases along the (member, date) index, as many as the largest
# visits goal; each visits challenge counts those in its window (the newest ones) up to its
# goal. One statement per shape (which challenges have a window: their days are bound),
# built once per process.
_VISITS: dict[tuple[bool, ...], Select] = {}


def _visits_statement(windowed: tuple[bool, ...]) -> Select:
    if (statement := _VISITS.get(windowed)) is None:
        newest = (
            select(LedgerEntry.created_at.label("at"))
            .where(
                LedgerEntry.member_id == bindparam("member_id"),
                LedgerEntry.kind == "purchase",
                LedgerEntry.voided_at.is_(None),
            )
            .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
            .limit(bindparam("needed"))
            .subquery()
        )
        counts = [
            func.count(case((newest.c.at > bindparam(f"since{i}"), 1))) if window else func.count()
            for i, window in enumerate(windowed)
        ]
        statement = _VISITS[windowed] = select(*counts).select_from(newest)
    return statement


def _earned(s: Session, member_id: str) -> dict[str, datetime]:
    rows = s.execute(_EARNED, {"member_id": member_id})
    return {challenge_id: earned_at for challenge_id, earned_at in rows}


def _facts(
    s: Session, member: Member, challenges: list[Challenge], programme: Programme, now: datetime
) -> rules.ChallengeFacts:
    """Only what these challenges count is read; every visits challenge in one statement,
    counted up to the largest goal (a regular's long history costs nothing more)."""
    visits = {}
    counted = [c for c in challenges if c.goal == "visits"]
    if counted:
        params: dict[str, object] = {"member_id": member.id, "needed": rules.visits_needed(counted)}
        for i, c in enumerate(counted):
            if c.within_days is not None:
                params[f"since{i}"] = now - timedelta(days=c.within_days)
        windowed = tuple(c.within_days is not None for c in counted)
        # Ledger lines are written at once (points.post), never left waiting in the session:
        # the connection sees the purchase just booked without a flush.
        row = s.connection().execute(_visits_statement(windowed), params).one()
        visits = {c.id: min(n, c.count) for c, n in zip(counted, row, strict=True)}
    categories = referrals = 0
    if any(c.goal == "categories" for c in challenges):
        categories = s.scalar(
            select(func.count()).where(
                MemberCategory.member_id == member.id,
                MemberCategory.category.in_(list(programme.categories)),
            )
        )
    if any(c.goal == "referrals" for c in challenges):
        referrals = s.scalar(
            select(func.count()).where(
                Member.referred_by_id == member.id, Member.referral_rewarded_at.is_not(None)
            )
        )
    return rules.ChallengeFacts(visits=visits, categories=categories or 0, referrals=referrals or 0)


def award(
    s: Session, member: Member, programme: Programme, now: datetime, goals: set[str]
) -> list[Challenge]:
    """Award every challenge of these ``goals`` (what the event at hand can move) that the
    member reaches now and had not: its badge, and its points as a ledger line of their own.
    Returns them (nothing is read when the programme has no such challenge)."""
    if not any(c.goal in goals for c in programme.challenges):
        return []
    earned = _earned(s, member.id)
    pending = [c for c in programme.challenges if c.goal in goals and c.id not in earned]
    if not pending:
        return []
    facts = _facts(s, member, pending, programme, now)
    reached = rules.newly_reached(tuple(pending), frozenset(), facts)
    for challenge in reached:
        s.add(MemberBadge(member_id=member.id, challenge_id=challenge.id, earned_at=now))
        member.version += 1
        if challenge.points:
            points.post(
                s,
                member,
                now,
                amount=challenge.points,
                kind="bonus",
                reason=CHALLENGE_COMPLETED,
                details={"challenge_id": challenge.id, "name": dict(challenge.name)},
                programme=programme,
            )
    s.flush()
    return reached


def badge_list(
    s: Session, member: Member, programme: Programme, now: datetime
) -> schemas.BadgeList:
    """Every challenge: earned (when) or how far the member is."""
    earned = _earned(s, member.id)
    pending = [c for c in programme.challenges if c.id not in earned]
    facts = _facts(s, member, pending, programme, now) if pending else rules.ChallengeFacts({})
    items = []
    for challenge in programme.challenges:
        progress = rules.challenge_progress(challenge, facts)
        items.append(
            schemas.BadgeOut(
                id=challenge.id,
                name=dict(challenge.name),
                description=dict(challenge.description),
                goal=challenge.goal,
                count=challenge.count,
                within_days=challenge.within_days,
                points=challenge.points,
                reached=challenge.count if challenge.id in earned else progress.reached,
                earned_at=earned.get(challenge.id),
            )
        )
    return schemas.BadgeList(items=items)
