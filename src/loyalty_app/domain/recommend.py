"""Recommended for you: a few rewards chosen from what the member has had (the categories and
the points of the vouchers they got) and what they can spend, each with a one-line reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from .models import Reward, TierLadder, Voucher
from .rewards import can_afford

#: A category is the member's habit from this many vouchers in it.
OFTEN = 2
#: "Priced like what you choose": within this factor of the member's usual reward's points.
BAND = 2.0


@dataclass(frozen=True)
class Recommendation:
    reward: Reward
    #: Why, as a catalogue key: ``recommend.because_category`` (with ``category``, the code),
    #: ``recommend.because_price`` or ``recommend.because_balance``.
    reason: str
    category: str | None = None


def recommend(
    rewards: Sequence[Reward],
    vouchers: Iterable[Voucher],
    *,
    balance: int,
    tier_code: str,
    ladder: TierLadder | None,
    today: date,
    limit: int = 3,
) -> list[Recommendation]:
    """Up to ``limit`` rewards the member can redeem now (tier, stock, dates), none they hold
    a usable voucher for: first in the category they get most often (two vouchers or more),
    then priced like the rewards they usually get (within a factor of two of the median),
    then the dearest they have points enough for."""
    by_id = {r.id: r for r in rewards}
    had = [by_id[v.reward_id] for v in vouchers if v.reward_id in by_id]
    holding = {v.reward_id for v in vouchers if v.status == "usable"}

    def open_to_member(r: Reward) -> bool:
        if r.id in holding or not r.active:
            return False
        if ladder is None:
            return r.cost <= balance
        return can_afford(r, balance, tier_code, ladder, today).ok

    candidates = [r for r in rewards if open_to_member(r)]
    chosen: list[Recommendation] = []

    def take(found: Iterable[Reward], reason: str, category: str | None = None) -> None:
        for reward in found:
            if len(chosen) >= limit:
                return
            if all(c.reward.id != reward.id for c in chosen):
                chosen.append(Recommendation(reward, reason, category))

    counts = Counter(r.category for r in had)
    habit = next(
        (cat for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= OFTEN),
        None,
    )
    usual = median(r.cost for r in had) if had else None

    def closeness(r: Reward) -> tuple[float, str]:
        return (abs(r.cost - usual) if usual is not None else -r.cost, r.id)

    if habit is not None:
        take(
            sorted((r for r in candidates if r.category == habit), key=closeness),
            "recommend.because_category",
            habit,
        )
    if usual is not None:
        band = [r for r in candidates if usual / BAND <= r.cost <= usual * BAND]
        take(sorted(band, key=closeness), "recommend.because_price")
    take(sorted(candidates, key=lambda r: (-r.cost, r.id)), "recommend.because_balance")
    return chosen
