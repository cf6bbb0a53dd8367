"""Challenges: how far a member is, and which are reached now (once)."""

from __future__ import annotations

from loyalty_server.programme import Challenge
from loyalty_server.rules import (
    ChallengeFacts,
    challenge_progress,
    newly_reached,
    visits_needed,
)

TEXT = {"en": "x", "zh-Hans": "x", "zh-Hant": "x"}


def challenge(id: str, goal: str, count: int, **fields: object) -> Challenge:
    return Challenge(id=id, name=TEXT, description=TEXT, goal=goal, count=count, **fields)


WEEK = challenge("week", "visits", 3, within_days=7, points=100)
EXPLORER = challenge("explorer", "categories", 3)
FRIEND = challenge("friend", "referrals", 1, points=200)


def test_progress_counts_what_each_goal_counts_and_stops_at_the_goal():
    facts = ChallengeFacts(visits={"week": 2}, categories=5, referrals=0)
    progress = [challenge_progress(c, facts) for c in (WEEK, EXPLORER, FRIEND)]
    assert [(p.reached, p.done) for p in progress] == [(2, False), (3, True), (0, False)]


def test_a_challenge_is_reached_once_not_again_once_earned():
    facts = ChallengeFacts(visits={"week": 3}, categories=1, referrals=1)
    challenges = (WEEK, EXPLORER, FRIEND)
    assert [c.id for c in newly_reached(challenges, frozenset(), facts)] == ["week", "friend"]
    assert [c.id for c in newly_reached(challenges, frozenset({"week"}), facts)] == ["friend"]


def test_visits_are_counted_per_challenge_so_each_window_is_its_own():
    ever = challenge("ever", "visits", 10)
    facts = ChallengeFacts(visits={"week": 1, "ever": 10})
    assert [c.id for c in newly_reached((WEEK, ever), frozenset(), facts)] == ["ever"]


REGULAR = challenge("regular", "visits", 50)


def test_visits_needed_is_the_largest_visits_goal():
    assert visits_needed([WEEK, EXPLORER, REGULAR, FRIEND]) == 50
    assert visits_needed([EXPLORER, FRIEND]) == 0
