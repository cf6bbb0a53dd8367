"""Visits challenges counted by the credit path's one statement (the member's newest
purchases, as many as the largest goal, each window counted up to its goal) against a count
of the whole history, on the run's database (SQLite, then PostgreSQL)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from loyalty_server.app import build_context
from loyalty_server.db import Database
from loyalty_server.migrate import upgrade
from loyalty_server.models import LedgerEntry
from loyalty_server.programme import Challenge
from loyalty_server.services import challenges
from loyalty_server.services.members import create_member
from loyalty_server.settings import Settings

TEXT = {"en": "x", "zh-Hans": "x", "zh-Hant": "x"}


def visits(id: str, count: int, within_days: int | None = None) -> Challenge:
    return Challenge(
        id=id, name=TEXT, description=TEXT, goal="visits", count=count, within_days=within_days
    )


SETS = (
    [visits("week", 3, 7), visits("regular", 12)],
    [visits("regular", 12)],
    [visits("week", 3, 7)],
    [visits("fortnight", 5, 14), visits("week", 3, 7), visits("month", 9, 30)],
)


@pytest.fixture
def ctx(database_url):
    db = Database(database_url)
    upgrade(db)
    db.dispose()
    context = build_context(Settings(database_url=database_url))
    yield context
    context.db.dispose()


def test_each_window_counts_the_purchases_in_it_up_to_its_goal(ctx):
    """Thirty members' random histories: purchases over 60 days (some voided), bonus lines
    and a purchase booked at this very moment; every set of challenges agrees with counting
    all of them."""
    chance = random.Random(20261201)
    now = ctx.now()
    histories = []
    with ctx.db.write() as s:
        for n in range(30):
            member = create_member(
                s, ctx.programme, now - timedelta(days=90), kind="email", value=f"v{n}@harbor.test"
            )
            lines = []
            for _ in range(chance.randrange(0, 25)):
                at = now - timedelta(minutes=chance.randrange(0, 60 * 24 * 60))
                kind = chance.choice(("purchase", "purchase", "purchase", "bonus"))
                voided = kind == "purchase" and chance.random() < 0.15
                lines.append((at, kind, voided))
            if chance.random() < 0.5:
                lines.append((now, "purchase", False))
            for at, kind, voided in lines:
                s.add(
                    LedgerEntry(
                        member_id=member.id,
                        created_at=at,
                        amount=10,
                        kind=kind,
                        reason=kind,
                        qualifying=kind == "purchase",
                        remaining=10,
                        voided_at=at if voided else None,
                    )
                )
            histories.append((member, lines))
        s.flush()
        for member, lines in histories:
            purchases = [at for at, kind, voided in lines if kind == "purchase" and not voided]
            for pending in SETS:
                facts = challenges._facts(s, member, pending, ctx.programme, now)
                expected = {
                    c.id: min(
                        c.count,
                        sum(
                            1
                            for at in purchases
                            if c.within_days is None or at > now - timedelta(days=c.within_days)
                        ),
                    )
                    for c in pending
                }
                assert facts.visits == expected, (member.id, [c.id for c in pending])
