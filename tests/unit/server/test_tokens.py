"""Bearer tokens: random ones, and the successor pair derived for the refresh grace window."""

from __future__ import annotations

import re

from loyalty_server.services.tokens import new_seed, new_token, successor_pair

TOKEN = re.compile(r"l(at|rt)_[A-Za-z0-9_-]{43}")


def test_a_successor_pair_looks_like_any_token_pair():
    access, refresh = successor_pair(new_token("lrt"), new_seed())
    assert TOKEN.fullmatch(access) and access.startswith("lat_")
    assert TOKEN.fullmatch(refresh) and refresh.startswith("lrt_")
    assert TOKEN.fullmatch(new_token("lat"))


def test_the_same_token_and_seed_give_the_same_pair_and_anything_else_another():
    token, seed = new_token("lrt"), new_seed()
    pair = successor_pair(token, seed)
    assert successor_pair(token, seed) == pair
    assert successor_pair(token, new_seed()) != pair
    assert successor_pair(new_token("lrt"), seed) != pair
    assert len(set(pair)) == 2
