"""`programme check`: what a new programme file would change for existing members."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loyalty_server.admin.programme_check import Standing, changes
from loyalty_server.programme import demo_programme_path, load_programme


@pytest.fixture(scope="module")
def old():
    return load_programme(demo_programme_path())


def _texts(findings) -> list[tuple[bool, str]]:
    return [(f.blocker, f.text) for f in findings]


def test_the_same_file_changes_nothing(old):
    assert changes(old, old, [Standing("green", 10), Standing("gold", 5000)], {"pastry": 3}) == []


def test_lowering_a_threshold_moves_members_up_at_their_next_purchase(old):
    green, gold, reserve = old.tiers
    new = replace(old, tiers=(green, replace(gold, qualifying_points=1000), reserve))
    standings = [
        Standing("green", 1200),  # reaches the new gold: up at the next purchase
        Standing("green", 999),  # stays
        Standing("gold", 900),  # below gold under either file: not this file's doing
        Standing("gold", 3000),  # stays
    ]
    assert _texts(changes(old, new, standings, {})) == [
        (False, "1 member(s) would move up green → gold at their next purchase"),
        (False, "tier 'gold': threshold 3000 → 1000 qualifying points"),
    ]


def test_raising_a_threshold_moves_members_down_at_requalification(old):
    green, gold, reserve = old.tiers
    new = replace(old, tiers=(green, replace(gold, qualifying_points=4000), reserve))
    standings = [Standing("gold", 3500), Standing("gold", 4500), Standing("green", 3200)]
    assert _texts(changes(old, new, standings, {}))[0] == (
        False,
        "1 member(s) in gold are below its new threshold: they keep gold until they "
        "requalify, then move down to green",
    )


def test_removing_a_tier_with_members_in_it_is_a_blocker(old):
    green, gold, _ = old.tiers
    new = replace(old, tiers=(green, gold))
    found = _texts(changes(old, new, [Standing("reserve", 9000), Standing("green", 0)], {}))
    assert (True, "tier 'reserve' is removed, but 1 member(s) are in it") in found


def test_removing_a_reward_members_hold_vouchers_for_is_a_blocker(old):
    new = replace(old, rewards=tuple(r for r in old.rewards if r.id not in ("pastry", "oat-milk")))
    found = _texts(changes(old, new, [], {"pastry": 2}))
    (blocker, text) = next(f for f in found if "'pastry'" in f[1])
    assert blocker is True and "reward 'pastry' is removed" in text
    assert "2 unused voucher(s)" in text
    assert (False, "reward 'oat-milk' is removed") in found  # nobody holds one


def test_rule_and_cost_changes_are_listed(old):
    shot = old.reward("extra-shot")
    new = replace(
        old,
        earn_points_per_unit=old.earn_points_per_unit * 2,
        card_prefix="HBX",
        rewards=tuple(replace(r, cost=300) if r is shot else r for r in old.rewards),
    )
    found = _texts(changes(old, new, [], {}))
    assert (False, "reward 'extra-shot': cost 250 → 300 points") in found
    assert (False, "points per currency unit: 10 → 20") in found
    assert any(blocker and text.startswith("card prefix HBR → HBX") for blocker, text in found)
