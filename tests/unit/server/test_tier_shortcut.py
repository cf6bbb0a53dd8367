"""rules.tier_unchanged_below: when it says the tier stays, evaluate_tier agrees for every
qualifying total up to the ceiling (so the credit path may skip summing the window)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from loyalty_server.rules import evaluate_tier, tier_unchanged_below

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@dataclass(frozen=True)
class T:
    code: str
    qualifying_points: int


TIERS = (T("bronze", 0), T("silver", 3000), T("gold", 8000))
requalify = st.one_of(st.none(), st.integers(-400, 400).map(lambda d: NOW + timedelta(days=d)))


@given(
    code=st.sampled_from(["bronze", "silver", "gold", "gone"]),
    requalify_at=requalify,
    ceiling=st.integers(0, 10_000),
    below=st.integers(0, 10_000),
)
def test_unchanged_means_evaluate_tier_keeps_tier_and_date(code, requalify_at, ceiling, below):
    if not tier_unchanged_below(TIERS, code, requalify_at, ceiling, NOW):
        return
    points = min(below, ceiling)
    decision = evaluate_tier(TIERS, code, requalify_at, points, NOW, 12)
    assert (decision.code, decision.requalify_at, decision.change) == (code, requalify_at, "none")


def test_within_reach_of_the_next_tier_or_due_to_requalify_it_must_be_summed():
    later, earlier = NOW + timedelta(days=30), NOW - timedelta(days=1)
    assert tier_unchanged_below(TIERS, "bronze", None, 2999, NOW)
    assert not tier_unchanged_below(TIERS, "bronze", None, 3000, NOW)
    assert tier_unchanged_below(TIERS, "silver", later, 7999, NOW)
    assert not tier_unchanged_below(TIERS, "silver", earlier, 10, NOW)
    assert not tier_unchanged_below(TIERS, "silver", None, 10, NOW)
    assert tier_unchanged_below(TIERS, "gold", later, 10**9, NOW)
    assert not tier_unchanged_below(TIERS, "gone", None, 0, NOW)
    assert not tier_unchanged_below(TIERS, "bronze", later, 0, NOW)  # its date must go
