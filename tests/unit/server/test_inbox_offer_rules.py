"""The inbox's offer messages: which of a member's offers are news, and the ids that key
their read and dismissed marks. Every test passes its own "now"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from loyalty_server.programme import Offer
from loyalty_server.rules import MemberFacts, member_offers
from loyalty_server.rules.inbox import OFFER_NOTICE_DAYS, inbox, offer_run, offers

ZONE = "America/Los_Angeles"
TEXT = {"en": "x", "zh-Hans": "x", "zh-Hant": "x"}
# Tuesday 2026-12-01, 10:30 in Los Angeles (18:30 UTC).
TUESDAY = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
MEMBER = MemberFacts(
    tier_code="green",
    joined_at=datetime(2025, 1, 1, tzinfo=UTC),
    last_purchase_at=datetime(2026, 11, 28, tzinfo=UTC),
)


def offer(id: str = "o", **fields: object) -> Offer:
    values: dict = {
        "id": id,
        "name": TEXT,
        "description": TEXT,
        "starts": date(2026, 11, 1),
        "ends": date(2026, 12, 31),
        "multiplier": Decimal(2),
    }
    values.update(fields)
    if "points" in fields:
        del values["multiplier"]
    return Offer(**values)


def ids(programme: list[Offer], member: MemberFacts = MEMBER, now: datetime = TUESDAY) -> list[str]:
    seen = member_offers(programme, member, now, ZONE)
    return [m.id for m in offers(seen, now, ZONE, member.joined_at)]


def test_a_running_offer_is_one_message_naming_the_offer_and_its_run():
    seen = member_offers([offer("double")], MEMBER, TUESDAY, ZONE)
    [message] = offers(seen, TUESDAY, ZONE, MEMBER.joined_at)
    assert message.id == "offer:double:2026-11-01"
    assert message.kind == "offer"
    assert message.offer_id == "double"
    assert message.on == date(2026, 11, 1)
    # Announced before its first day, at midnight on the shop's clock (08:00 UTC).
    assert message.at == datetime(2026, 10, 29, 7, 0, tzinfo=UTC)


def test_an_offer_starting_within_the_notice_is_announced_and_later_not():
    soon = offer("soon", starts=date(2026, 12, 1) + timedelta(days=OFFER_NOTICE_DAYS))
    later = offer("later", starts=date(2026, 12, 2) + timedelta(days=OFFER_NOTICE_DAYS))
    assert ids([soon, later]) == ["offer:soon:2026-12-04"]


def test_an_ended_offer_is_no_message():
    assert ids([offer("over", starts=date(2026, 11, 1), ends=date(2026, 11, 30))]) == []


def test_a_weekly_offer_is_news_each_week_under_its_own_id():
    tuesdays = offer("tue", days=("tue",))
    assert ids([tuesdays]) == ["offer:tue:2026-12-01"]
    # On Wednesday the next Tuesday is 6 days off: no message; on Saturday it is 3 days off.
    assert ids([tuesdays], now=TUESDAY + timedelta(days=1)) == []
    assert ids([tuesdays], now=TUESDAY + timedelta(days=4)) == ["offer:tue:2026-12-08"]


def test_a_weekend_offer_is_one_run_of_two_days():
    weekend = offer("weekend", days=("sat", "sun"))
    sunday = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
    assert offer_run(weekend, date(2026, 12, 6)) == (date(2026, 12, 5), date(2026, 12, 6))
    assert ids([weekend], now=sunday) == ["offer:weekend:2026-12-05"]
    # After the last run of the offer there is none.
    assert offer_run(weekend, date(2026, 12, 28)) is None


def test_an_offer_for_other_tiers_is_no_message():
    gold = offer("gold", tiers=("gold",))
    assert ids([gold]) == []
    assert ids([gold], member=MemberFacts(tier_code="gold", joined_at=MEMBER.joined_at)) == [
        "offer:gold:2026-11-01"
    ]


def test_welcome_and_win_back_offers_reach_only_their_members():
    welcome = offer("welcome", points=200, new_members_days=30)
    win_back = offer("miss", points=300, lapsed_days=30)
    assert ids([welcome, win_back]) == []
    new = MemberFacts(tier_code="green", joined_at=TUESDAY - timedelta(days=2))
    lapsed = MemberFacts(
        tier_code="green",
        joined_at=MEMBER.joined_at,
        last_purchase_at=TUESDAY - timedelta(days=40),
    )
    assert ids([welcome, win_back], member=new) == ["offer:welcome:2026-11-01"]
    assert ids([welcome, win_back], member=lapsed) == ["offer:miss:2026-11-01"]


def test_a_welcome_offer_is_dated_when_the_member_joined():
    joined = TUESDAY - timedelta(days=2)
    new = MemberFacts(tier_code="green", joined_at=joined)
    seen = member_offers([offer("welcome", points=200, new_members_days=30)], new, TUESDAY, ZONE)
    assert [m.at for m in offers(seen, TUESDAY, ZONE, joined)] == [joined]


def test_an_add_to_card_offer_is_news_until_added():
    pastry = offer("pastry", points=150, activate=True)
    assert ids([pastry]) == ["offer:pastry:2026-11-01"]
    added = MemberFacts(
        tier_code="green", joined_at=MEMBER.joined_at, activated=frozenset({"pastry"})
    )
    assert ids([pastry], member=added) == []


def test_a_used_up_offer_is_no_message():
    once = offer("once", points=100, uses=1)
    used = MemberFacts(tier_code="green", joined_at=MEMBER.joined_at, used={"once": 1})
    assert ids([once], member=used) == []


def test_the_inbox_lists_offer_messages_with_the_others_newest_first():
    seen = member_offers(
        [offer("old"), offer("new", starts=date(2026, 12, 1))], MEMBER, TUESDAY, ZONE
    )
    listed = inbox(TUESDAY, offered=offers(seen, TUESDAY, ZONE))
    assert [m.id for m in listed] == ["offer:new:2026-12-01", "offer:old:2026-11-01"]
