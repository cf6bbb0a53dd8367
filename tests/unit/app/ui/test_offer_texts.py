"""How the Offers screen words an offer, in each language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loyalty_app.domain.models import Offer
from loyalty_app.ui.screens.offers import offer_gift, offer_terms

NAME = {"en": "x", "zh-Hans": "x", "zh-Hant": "x"}


def offer(**fields: object) -> Offer:
    values: dict = dict(
        id="o", name=NAME, description=NAME, multiplier=None, points=None,
        starts=date(2026, 11, 1), ends=date(2026, 12, 31), days=(), from_hour=None,
        until_hour=None, category=None, min_spend=None, tiers=(), welcome=False,
        win_back=False, needs_activation=False, activated=False, upcoming=False, uses_left=None,
    )  # fmt: skip
    values.update(fields)
    return Offer(**values)


def test_an_offer_says_what_it_gives():
    assert offer_gift("en", offer(multiplier=Decimal("2"))) == "2× points"
    assert offer_gift("en", offer(multiplier=Decimal("1.5"))) == "1.5× points"
    assert offer_gift("en", offer(points=150)) == "+150 bonus points"
    assert offer_gift("zh-Hans", offer(multiplier=Decimal("3"))) == "3 倍积分"
    assert offer_gift("zh-Hant", offer(points=1500)) == "額外 1,500 積分"


def test_a_running_offer_says_until_when_and_an_upcoming_one_from_when():
    assert offer_terms("en", offer()) == ["Until Dec 31, 2026"]
    upcoming = offer(upcoming=True, starts=date(2026, 12, 20), ends=date(2026, 12, 26))
    assert offer_terms("en", upcoming) == ["From Dec 20, 2026 to Dec 26, 2026"]


def test_an_offer_names_its_days_hours_spend_category_tiers_and_uses_left():
    rich = offer(
        days=("sat", "sun"),
        from_hour=6,
        until_hour=11,
        min_spend=Decimal("8"),
        category="food",
        tiers=("gold", "reserve"),
        uses_left=2,
    )
    words = {
        "categories": {"food": {"en": "Food", "zh-Hans": "轻食", "zh-Hant": "輕食"}},
        "tier_names": {
            "gold": {"en": "Harbor Gold", "zh-Hans": "港湾金卡", "zh-Hant": "港灣金卡"},
            "reserve": {"en": "Lighthouse Reserve", "zh-Hans": "灯塔臻选", "zh-Hant": "燈塔臻選"},
        },
    }
    assert offer_terms("en", rich, **words) == [
        "Until Dec 31, 2026",
        "Every Saturday, Sunday",
        "6:00–11:00",
        "When you spend $8.00 or more",
        "On Food",
        "For Harbor Gold, Lighthouse Reserve",
        "2 more times",
    ]
    assert offer_terms("zh-Hans", rich, **words)[1:] == [
        "每星期六、星期日",
        "6:00–11:00",
        "消费满 US$8.00",
        "限轻食",
        "限港湾金卡、灯塔臻选会员",
        "还可使用 2 次",
    ]
