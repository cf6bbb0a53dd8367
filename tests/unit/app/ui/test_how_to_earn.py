"""How to earn: every way the programme has, worded from its numbers, in each language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loyalty_app.domain.models import (
    Offer,
    Programme,
    PunchCard,
    Referral,
    ReferralStats,
    Tier,
    TierLadder,
)
from loyalty_app.ui.screens.how_to_earn import earn_sections


def _texts(en: str, hans: str, hant: str) -> dict[str, str]:
    return {"en": en, "zh-Hans": hans, "zh-Hant": hant}


PROGRAMME = Programme(
    id="harbor", name=_texts("Harbor", "港湾", "港灣"), primary_colour="#0B4F6C", logo=None,
    currency="USD", currency_decimals=2, earn_points_per_unit=Decimal("10"), card_prefix="HBR",
    card_period=30, card_digits=8, expiry_months=12, max_purchase_amount=Decimal("1000"),
    demo=True, birthday_points=300,
)  # fmt: skip
LADDER = TierLadder(
    window_months=12,
    tiers=(
        Tier("green", _texts("Green", "绿卡", "綠卡"), 0, Decimal("1.0"), (), "#1E7B5A"),
        Tier("gold", _texts("Gold", "金卡", "金卡"), 3000, Decimal("1.25"), (), "#C9A227"),
    ),
)
DOUBLE = Offer(
    id="double", name=_texts("Double Tuesdays", "周二双倍", "週二雙倍"),
    description=_texts("", "", ""), multiplier=Decimal("2"), points=None,
    starts=date(2026, 1, 1), ends=date(2027, 1, 1), days=("tue",),
    from_hour=None, until_hour=None, category=None, min_spend=None, tiers=(), welcome=False,
    win_back=False, needs_activation=False, activated=False, upcoming=False, uses_left=None,
)  # fmt: skip
PUNCH = PunchCard(stamps=4, of=9, reward_id="handcrafted-drink")
REFERRAL = Referral(
    code="ABCD2345", link="https://x/r/ABCD2345", referrer_points=500, referee_points=250,
    stats=ReferralStats(invited=0, joined=0, rewarded=0), referred_by=None,
)  # fmt: skip


def test_every_way_to_earn_is_explained_from_the_programme():
    sections = earn_sections(
        "en", PROGRAMME, LADDER, [DOUBLE], PUNCH, "Handcrafted drink", REFERRAL
    )
    assert sections == [
        ("earn.rate_title", ["10 points for every $1.00 you spend."]),
        ("earn.tiers_title", ["Green: ×1 points", "Gold: ×1.25 points"]),
        ("earn.offers_title", ["Double Tuesdays: 2× points"]),
        (
            "earn.stamps_title",
            ["Every visit with a purchase adds a stamp; 9 stamps bring: Handcrafted drink."],
        ),
        (
            "earn.referral_title",
            [
                "When a friend you invite makes a first purchase, you get 500 points and "
                "they get 250."
            ],
        ),
        (
            "earn.birthday_title",
            ["300 points in your birthday month, once a year (set your birthday in Settings)."],
        ),
    ]


def test_how_to_earn_speaks_the_members_language():
    sections = dict(earn_sections("zh-Hant", PROGRAMME, LADDER, [DOUBLE], None, "", None))
    assert sections["earn.rate_title"] == ["每消費 US$1.00 即得 10 積分。"]
    assert sections["earn.tiers_title"][1] == "金卡：1.25 倍積分"
    assert sections["earn.offers_title"] == ["週二雙倍：2 倍積分"]


def test_ways_the_programme_lacks_are_left_out_and_no_offer_is_said():
    bare = Programme(**{**PROGRAMME.__dict__, "birthday_points": None})
    sections = dict(earn_sections("en", bare, None, [], None, "", None))
    assert list(sections) == ["earn.rate_title", "earn.offers_title"]
    assert sections["earn.offers_title"] == ["No offers for you right now."]
