"""How far a member is with each challenge, and which are reached now.

A challenge is reached once: its badge and its points are awarded at the purchase (or, for
referrals, at the invited friend's first purchase) that reaches it, and stay — a later void
does not take a badge back. "N visits within D days" counts the purchases of the last D days
up to now, so it is reached by the purchase that makes the N-th in any such window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..programme import Challenge


@dataclass(frozen=True)
class ChallengeFacts:
    """What the member has done, as the challenges count it: ``visits`` per challenge id
    (purchases, within the challenge's window when it has one), distinct ``categories``
    bought, and ``referrals``: invited friends who made a first purchase."""

    visits: dict[str, int]
    categories: int = 0
    referrals: int = 0


@dataclass(frozen=True)
class ChallengeProgress:
    challenge: Challenge
    reached: int  # at most the challenge's count
    done: bool


def challenge_progress(challenge: Challenge, facts: ChallengeFacts) -> ChallengeProgress:
    if challenge.goal == "visits":
        value = facts.visits.get(challenge.id, 0)
    elif challenge.goal == "categories":
        value = facts.categories
    else:
        value = facts.referrals
    reached = min(value, challenge.count)
    return ChallengeProgress(challenge=challenge, reached=reached, done=reached >= challenge.count)


def newly_reached(
    challenges: tuple[Challenge, ...], earned: frozenset[str], facts: ChallengeFacts
) -> list[Challenge]:
    """The challenges reached now that were not earned before, in file order."""
    return [c for c in challenges if c.id not in earned and challenge_progress(c, facts).done]


def visits_needed(challenges: Sequence[Challenge]) -> int:
    """How many of the member's newest purchases are enough to count every "visits"
    challenge of these up to its goal (0: none counts visits). Those within a challenge's
    window are the newest ones, so among that many, its count up to its goal is exact."""
    return max((c.count for c in challenges if c.goal == "visits"), default=0)
