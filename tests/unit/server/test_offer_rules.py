"""Offers: when each kind pays, to whom, how two offers on one purchase combine, and which
offers a member sees. Every test passes its own "now": nothing here reads the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from loyalty_server.programme import Offer
from loyalty_server.rules import (
    MemberFacts,
    PurchaseFacts,
    may_be_aimed_at,
    member_offers,
    offer_bonuses,
    open_offers,
)

ZONE = "America/Los_Angeles"
TEXT = {"en": "x", "zh-Hans": "x", "zh-Hant": "x"}
# Tuesday 2026-12-01, 10:30 in Los Angeles (18:30 UTC).
TUESDAY_MORNING = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
MEMBER = MemberFacts(
    tier_code="green",
    joined_at=datetime(2025, 1, 1, tzinfo=UTC),
    last_purchase_at=datetime(2026, 11, 28, tzinfo=UTC),
)
LATTE = PurchaseFacts(amount=Decimal("4.50"), base_points=45)


def offer(id: str = "o", **fields: object) -> Offer:
    values: dict = {
        "id": id,
        "name": TEXT,
        "description": TEXT,
        "starts": date(2026, 11, 1),
        "ends": date(2026, 12, 31),
    }
    values.update(fields)
    if "points" not in values:
        values.setdefault("multiplier", Decimal(2))
    return Offer(**values)


def paid(
    offers: list[Offer],
    member: MemberFacts = MEMBER,
    purchase: PurchaseFacts = LATTE,
    now: datetime = TUESDAY_MORNING,
) -> dict[str, int]:
    """Offer id → bonus points for one purchase, as the credit path computes them."""
    candidates = open_offers(offers, purchase, now, ZONE)
    return {b.offer.id: b.points for b in offer_bonuses(candidates, member, purchase, now, "floor")}


def test_double_points_pays_the_base_points_once_more():
    assert paid([offer("double")]) == {"double": 45}


def test_a_fixed_bonus_pays_its_points_whatever_the_amount():
    assert paid([offer("bonus", points=100)]) == {"bonus": 100}


def test_a_multiplier_bonus_is_rounded_like_other_points():
    assert paid([offer("x1.5", multiplier=Decimal("1.5"))]) == {"x1.5": 22}  # 22.5 floored


def test_an_offer_pays_only_between_its_first_and_last_day_in_the_shops_zone():
    december = offer("december", starts=date(2026, 12, 1), ends=date(2026, 12, 1))
    # 07:59 UTC on Dec 1 is still Nov 30 in Los Angeles.
    assert paid([december], now=datetime(2026, 12, 1, 7, 59, tzinfo=UTC)) == {}
    assert paid([december], now=datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) == {"december": 45}
    assert paid([december], now=datetime(2026, 12, 2, 7, 59, tzinfo=UTC)) == {"december": 45}
    assert paid([december], now=datetime(2026, 12, 2, 8, 0, tzinfo=UTC)) == {}


def test_a_days_of_week_offer_pays_on_those_days_only():
    tuesdays = offer("tuesdays", days=("tue",))
    assert paid([tuesdays]) == {"tuesdays": 45}
    assert paid([tuesdays], now=TUESDAY_MORNING + timedelta(days=1)) == {}
    assert paid([offer("weekend", days=("sat", "sun"))]) == {}


def test_an_hours_offer_pays_from_its_first_hour_until_before_its_last():
    mornings = offer("mornings", from_hour=7, until_hour=11)
    assert paid([mornings]) == {"mornings": 45}  # 10:30
    assert paid([mornings], now=TUESDAY_MORNING + timedelta(minutes=30)) == {}  # 11:00
    assert paid([mornings], now=TUESDAY_MORNING - timedelta(hours=3, minutes=31)) == {}  # 6:59


def test_a_minimum_spend_offer_needs_that_spend():
    big = offer("big", points=50, min_spend=Decimal("10"))
    assert paid([big]) == {}
    ten = PurchaseFacts(amount=Decimal("10.00"), base_points=100)
    assert paid([big], purchase=ten) == {"big": 50}


def test_a_category_offer_needs_a_purchase_in_that_category():
    food = offer("food", points=150, category="food")
    assert paid([food]) == {}
    with_food = PurchaseFacts(amount=Decimal("8"), base_points=80, categories=frozenset({"food"}))
    assert paid([food], purchase=with_food) == {"food": 150}


def test_a_tier_offer_pays_only_members_of_those_tiers():
    gold = offer("gold-only", tiers=("gold", "reserve"))
    assert paid([gold]) == {}
    gold_member = MemberFacts(tier_code="gold", joined_at=MEMBER.joined_at)
    assert paid([gold], member=gold_member) == {"gold-only": 45}


def test_a_welcome_offer_pays_only_in_the_first_days_of_membership():
    welcome = offer("welcome", points=200, new_members_days=30)
    joined = TUESDAY_MORNING - timedelta(days=29, hours=23)
    newcomer = MemberFacts(tier_code="green", joined_at=joined)
    assert paid([welcome], member=newcomer) == {"welcome": 200}
    assert paid([welcome], member=newcomer, now=joined + timedelta(days=30)) == {}
    assert paid([welcome]) == {}  # joined last year


def test_a_win_back_offer_pays_after_days_without_a_visit_and_not_to_someone_who_never_came():
    win_back = offer("miss-you", points=300, lapsed_days=45)
    assert paid([win_back]) == {}  # last visit 3 days ago
    away = MemberFacts(
        tier_code="green",
        joined_at=MEMBER.joined_at,
        last_purchase_at=TUESDAY_MORNING - timedelta(days=45),
    )
    assert paid([win_back], member=away) == {"miss-you": 300}
    never = MemberFacts(tier_code="green", joined_at=MEMBER.joined_at)
    assert paid([win_back], member=never) == {}


def test_an_add_to_card_offer_pays_only_once_activated():
    pastry = offer("pastry", points=150, activate=True)
    assert paid([pastry]) == {}
    activated = MemberFacts(
        tier_code="green", joined_at=MEMBER.joined_at, activated=frozenset({"pastry"})
    )
    assert paid([pastry], member=activated) == {"pastry": 150}


def test_an_offer_with_uses_stops_paying_once_used_up():
    once = offer("once", points=100, uses=1)
    assert paid([once]) == {"once": 100}
    used = MemberFacts(tier_code="green", joined_at=MEMBER.joined_at, used={"once": 1})
    assert paid([once], member=used) == {}


def test_two_multipliers_on_one_purchase_pay_only_the_highest():
    offers = [offer("double"), offer("triple", multiplier=Decimal(3)), offer("also-double")]
    assert paid(offers) == {"triple": 90}


def test_two_equal_multipliers_pay_the_first_in_the_file():
    assert paid([offer("first"), offer("second")]) == {"first": 45}


def test_fixed_bonuses_add_up_and_add_to_the_multiplier():
    offers = [offer("a", points=50), offer("double"), offer("b", points=25)]
    assert paid(offers) == {"a": 50, "double": 45, "b": 25}


def test_a_multiplier_that_does_not_fit_the_member_leaves_the_next_best_to_pay():
    offers = [offer("double"), offer("gold-triple", multiplier=Decimal(3), tiers=("gold",))]
    assert paid(offers) == {"double": 45}


def test_a_member_sees_running_and_upcoming_offers_aimed_at_them_running_first():
    later = offer("later", starts=date(2026, 12, 20), ends=date(2026, 12, 24))
    over = offer("over", starts=date(2026, 11, 1), ends=date(2026, 11, 30))
    tuesdays = offer("tuesdays", days=("tue",), activate=True, uses=3)
    gold = offer("gold", tiers=("gold",))
    seen = member_offers([later, over, tuesdays, gold], MEMBER, TUESDAY_MORNING, ZONE)

    assert [(m.offer.id, m.upcoming, m.activated, m.uses_left) for m in seen] == [
        ("tuesdays", False, False, 3),
        ("later", True, False, None),
    ]


def test_a_member_sees_an_offer_activated_and_its_uses_left():
    pastry = offer("pastry", points=150, activate=True, uses=2)
    member = MemberFacts(
        tier_code="green",
        joined_at=MEMBER.joined_at,
        activated=frozenset({"pastry"}),
        used={"pastry": 1},
    )
    (seen,) = member_offers([pastry], member, TUESDAY_MORNING, ZONE)
    assert (seen.activated, seen.uses_left) == (True, 1)
    used_up = MemberFacts(tier_code="green", joined_at=MEMBER.joined_at, used={"pastry": 2})
    assert member_offers([pastry], used_up, TUESDAY_MORNING, ZONE) == []


def test_an_offer_ending_today_in_the_shops_zone_is_still_shown():
    today = offer("today", starts=date(2026, 12, 1), ends=date(2026, 12, 1))
    late_evening = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 23:00 on Dec 1 in Los Angeles
    assert [m.offer.id for m in member_offers([today], MEMBER, late_evening, ZONE)] == ["today"]


def test_the_members_row_alone_rules_out_offers_aimed_at_others():
    joined = TUESDAY_MORNING - timedelta(days=400)
    gold = offer("gold", tiers=("gold",))
    welcome = offer("welcome", points=200, new_members_days=30)
    win_back = offer("miss-you", points=300, lapsed_days=45, uses=1)
    assert not may_be_aimed_at(gold, "green", joined, True, TUESDAY_MORNING)
    assert not may_be_aimed_at(welcome, "green", joined, True, TUESDAY_MORNING)
    assert not may_be_aimed_at(win_back, "green", joined, False, TUESDAY_MORNING)
    # What only the database tells (the last visit, uses left) is left to offer_bonuses.
    assert may_be_aimed_at(win_back, "green", joined, True, TUESDAY_MORNING)
    assert may_be_aimed_at(offer("once", uses=1), "green", joined, True, TUESDAY_MORNING)
