"""Challenges in the programme file: goals a member reaches by visiting, trying categories or
inviting friends, each awarding a badge (and optional points) once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, with_config

from .constraints import Ident, Texts, Whole, expect, fail_at

_Goal = Literal["visits", "categories", "referrals"]
#: What a challenge counts: purchases, distinct categories bought, friends who joined and bought.
GOALS: tuple[str, ...] = get_args(_Goal)


def _window_for_visits(challenge: Challenge) -> Challenge:
    if challenge.within_days is not None and challenge.goal != "visits":
        fail_at(("within_days",), 'is only for goal = "visits"', challenge.within_days)
    return challenge


@with_config(extra="forbid")
@dataclass(frozen=True, kw_only=True)
class Challenge:
    """Reach ``count`` of ``goal`` (visits within ``within_days`` when given) for a badge and
    ``points`` once."""

    id: Ident
    name: Texts
    description: Texts
    goal: Annotated[_Goal, expect("must be one of " + ", ".join(f'"{g}"' for g in GOALS))]
    count: Annotated[int, Whole(1, 1000)]
    within_days: Annotated[int, Whole(1, 365)] | None = None
    points: Annotated[int, Whole(0)] = 0


#: One [[challenges]] table, with its own keys in agreement.
ChallengeTable = Annotated[Challenge, AfterValidator(_window_for_visits)]
