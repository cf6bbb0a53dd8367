"""What the stamp card on the card screen says."""

from __future__ import annotations

from loyalty_app.domain.models import PunchCard
from loyalty_app.ui.screens.stamps import stamps_left_text


def test_the_stamp_card_says_how_many_more_for_which_reward():
    card = PunchCard(stamps=7, of=9, reward_id="handcrafted-drink")
    assert stamps_left_text("en", card, "Handcrafted drink") == (
        "2 more stamps for: Handcrafted drink"
    )
    assert stamps_left_text("zh-Hans", card, "手作饮品一杯") == "再集 2 枚章即可获得：手作饮品一杯"
    assert stamps_left_text("zh-Hant", card, "手作飲品一杯") == "再集 2 枚章即可獲得：手作飲品一杯"


def test_one_stamp_short_is_said_in_the_singular():
    card = PunchCard(stamps=8, of=9, reward_id="handcrafted-drink")
    assert (
        stamps_left_text("en", card, "Handcrafted drink") == "1 more stamp for: Handcrafted drink"
    )
