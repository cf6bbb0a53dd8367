"""Rewards for the catalogue screens: can the member redeem this, and finding rewards."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from loyalty_app.domain.models import LANGUAGES, Reward, TierLadder, resolve_language, text

__all__ = ["Affordability", "AffordStatus", "RewardIndex", "can_afford", "search_rewards"]


class AffordStatus(StrEnum):
    """Why a reward can or cannot be redeemed now; compares equal to its string value."""

    YES = "yes"
    SHORT = "short"  # not enough points
    TIER = "tier"  # the member's tier is below the reward's min_tier
    EXPIRED = "expired"  # past valid_until, or withdrawn from the catalogue
    SOLD_OUT = "sold_out"


@dataclass(frozen=True)
class Affordability:
    """The answer of :func:`can_afford`.

    ``points_short`` is how many more points the reward needs (0 when the balance covers
    it), whatever the status: a screen can say "Gold only · 1,200 points to go".
    ``min_tier`` is the reward's tier requirement, for the "tier" message.
    """

    status: AffordStatus
    points_short: int = 0
    min_tier: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is AffordStatus.YES


def can_afford(
    reward: Reward, balance: int, tier_code: str, ladder: TierLadder, today: date
) -> Affordability:
    """Whether the member can redeem *reward* now, checked in the server's order.

    Expired (inactive, or *today* after ``valid_until``) → tier too low → sold out →
    points short → yes.  *today* should be the UTC date: the server compares
    ``valid_until`` with its UTC date.  A member tier the ladder does not know counts as
    the base tier; a ``min_tier`` it does not know cannot be reached.
    """
    short = max(0, reward.cost - balance)
    min_tier = reward.min_tier

    def answer(status: AffordStatus) -> Affordability:
        return Affordability(status, short, min_tier)

    if not reward.active or (reward.valid_until is not None and today > reward.valid_until):
        return answer(AffordStatus.EXPIRED)
    if min_tier is not None:
        needed = ladder.rank(min_tier)
        have = ladder.rank(tier_code) or 0
        if needed is None or have < needed:
            return answer(AffordStatus.TIER)
    if reward.stock is not None and reward.stock <= 0:
        return answer(AffordStatus.SOLD_OUT)
    if short > 0:
        return answer(AffordStatus.SHORT)
    return answer(AffordStatus.YES)


# --------------------------------------------------------------------------- search


def _fold(value: str) -> str:
    """Text as searched: NFKC (full-width letters become ASCII) then case-folded."""
    return unicodedata.normalize("NFKC", value).casefold()


@dataclass(frozen=True, slots=True)
class _Entry:
    reward: Reward
    names: str  # every language's name, folded, joined by "\n"
    everything: str  # names and descriptions
    name_by_lang: dict[str, str]  # folded text(reward.name, lang) for each of LANGUAGES


class RewardIndex:
    """The catalogue prepared for searching; build it once per catalogue version.

    Each reward's names and descriptions in all languages are folded into one lower-case
    haystack up front, so a search is a substring test per reward.
    """

    __slots__ = ("_entries",)

    def __init__(self, rewards: Iterable[Reward]) -> None:
        entries = []
        for reward in rewards:
            names = "\n".join(_fold(value) for value in reward.name.values())
            descriptions = "\n".join(_fold(value) for value in reward.description.values())
            entries.append(
                _Entry(
                    reward=reward,
                    names=names,
                    everything=names + "\n" + descriptions,
                    name_by_lang={lang: _fold(text(reward.name, lang)) for lang in LANGUAGES},
                )
            )
        self._entries: tuple[_Entry, ...] = tuple(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def rewards(self) -> tuple[Reward, ...]:
        return tuple(entry.reward for entry in self._entries)

    def search(
        self,
        query: str,
        lang: str,
        category: str | None = None,
        affordable_balance: int | None = None,
    ) -> list[Reward]:
        """See :func:`search_rewards`."""
        terms = _fold(query).split()
        wanted_lang = resolve_language(lang)
        ranked: list[tuple[int, int, Reward]] = []
        for position, entry in enumerate(self._entries):
            reward = entry.reward
            if not reward.active:
                continue
            if category is not None and reward.category != category:
                continue
            if affordable_balance is not None and reward.cost > affordable_balance:
                continue
            if not terms:
                ranked.append((0, position, reward))
                continue
            everything = entry.everything
            if not all(term in everything for term in terms):
                continue
            own_name = entry.name_by_lang[wanted_lang]
            if all(term in own_name for term in terms):
                rank = 0
            elif all(term in entry.names for term in terms):
                rank = 1
            else:
                rank = 2
            ranked.append((rank, position, reward))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return [reward for _, _, reward in ranked]


def search_rewards(
    rewards: RewardIndex | Iterable[Reward],
    query: str,
    lang: str,
    category: str | None = None,
    affordable_balance: int | None = None,
) -> list[Reward]:
    """Active rewards matching *query*, best first.

    Every whitespace-separated word of *query* must occur, ignoring case and full-width
    forms, in the reward's names or descriptions in any language ("latte", "拿铁" and
    "拿鐵" all find the handcrafted drink).  Matches in the name in *lang* come first,
    then matches in a name in another language, then matches in a description only;
    within each group the catalogue order is kept.  An empty query lists every reward.
    *category* keeps one category; *affordable_balance* keeps rewards costing at most
    that many points.

    Pass a :class:`RewardIndex` when searching the same catalogue repeatedly (as you
    type): a plain list is indexed anew on each call.
    """
    index = rewards if isinstance(rewards, RewardIndex) else RewardIndex(rewards)
    return index.search(query, lang, category, affordable_balance)
