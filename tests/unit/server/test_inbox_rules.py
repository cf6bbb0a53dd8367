"""The inbox's pure rules, each with the clock set by the test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from loyalty_server.rules.inbox import (
    StampFact,
    TierFact,
    VoucherFact,
    birthday_voucher_due,
    inbox,
    stamp_card,
    tier_messages,
    vouchers_expiring,
)

NOW = datetime(2026, 5, 15, 12, 0, tzinfo=UTC)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def voucher(id: str, expires: datetime, *, source: str = "redeem", used: bool = False):
    return VoucherFact(
        id=id,
        reward_id="pastry",
        source=source,
        created_at=NOW - days(20),
        expires_at=expires,
        used=used,
    )


def tier(requalify_at: datetime, counting: int, *, threshold: int = 3000) -> TierFact:
    return TierFact(
        code="gold",
        is_base=False,
        requalify_at=requalify_at,
        window_months=12,
        threshold=threshold,
        points_counting_at_requalify=counting,
    )


def test_points_expiring_one_message_per_day_with_amount_and_date():
    found = inbox(NOW, expiring=[(date(2026, 5, 20), 120), (date(2026, 6, 10), 45)])
    assert [(m.id, m.kind, m.points, m.on) for m in found] == [
        ("points-expiring:2026-06-10", "points_expiring", 45, date(2026, 6, 10)),
        ("points-expiring:2026-05-20", "points_expiring", 120, date(2026, 5, 20)),
    ]  # newest first: the later day's warning began later


def test_voucher_expiring_within_seven_days_only_while_usable():
    found = vouchers_expiring(
        [
            voucher("soon", NOW + days(6)),
            voucher("later", NOW + days(8)),
            voucher("used", NOW + days(2), used=True),
            voucher("gone", NOW - days(1)),
        ],
        NOW,
    )
    assert [(m.id, m.on) for m in found] == [("voucher-expiring:soon", (NOW + days(6)).date())]


def test_voucher_expiring_message_appears_seven_days_before():
    v = voucher("v", NOW + days(7) + timedelta(minutes=1))
    assert vouchers_expiring([v], NOW) == []
    assert len(vouchers_expiring([v], NOW + timedelta(minutes=1))) == 1


def test_stamp_card_one_visit_from_its_reward_is_one_event_per_card():
    card = StampFact(stamps=8, of=9, reward_id="drink", cards_completed=2, last_stamp_at=NOW)
    [message] = stamp_card(card, NOW)
    assert (message.id, message.stamps_left, message.reward_id) == ("stamp-card:3", 1, "drink")
    assert stamp_card(StampFact(7, 9, "drink", 2, NOW), NOW) == []
    assert stamp_card(StampFact(0, 9, "drink", 3, NOW), NOW) == []


def test_birthday_voucher_is_a_message_while_usable():
    b = voucher("b", NOW + days(20), source="birthday")
    found = inbox(NOW, vouchers=[b])
    assert [m.kind for m in found] == ["birthday_voucher"]
    assert inbox(NOW + days(21), vouchers=[b]) == []
    assert inbox(NOW, vouchers=[voucher("b", NOW + days(20), source="birthday", used=True)]) == []


def test_tier_reached_is_news_for_thirty_days():
    reached = NOW - days(3)
    requalify = datetime(2027, 5, 12, 12, 0, tzinfo=UTC)
    [message] = tier_messages(tier(requalify, 3200), reached + days(3))
    assert message.kind == "tier_reached" and message.tier_code == "gold"
    assert message.id == f"tier-reached:gold:{reached.date().isoformat()}"
    assert tier_messages(tier(requalify, 3200), reached + days(30)) == []


def test_tier_at_risk_in_the_last_thirty_days_when_points_fall_short():
    requalify = NOW + days(20)
    [message] = tier_messages(tier(requalify, 2600), NOW)
    assert (message.kind, message.points, message.on) == ("tier_at_risk", 400, requalify.date())
    assert tier_messages(tier(requalify, 3000), NOW) == []  # kept
    assert tier_messages(tier(NOW + days(31), 2600), NOW) == []  # not yet
    assert tier_messages(tier(requalify, 2600), requalify) == []  # decided


def test_base_tier_has_no_tier_messages():
    fact = TierFact("green", True, None, 12, 0, 0)
    assert tier_messages(fact, NOW) == []


def test_inbox_newest_first_and_stable():
    b = voucher("b", NOW + days(5), source="birthday")
    found = inbox(NOW, expiring=[(date(2026, 5, 30), 10)], vouchers=[b])
    assert [m.kind for m in found] == ["voucher_expiring", "points_expiring", "birthday_voucher"]
    later = NOW + timedelta(hours=5)  # the same messages read the same later on (ETags)
    assert found == inbox(later, expiring=[(date(2026, 5, 30), 10)], vouchers=[b])


def test_birthday_voucher_due_on_the_day_once_a_year():
    born = date(1990, 5, 15)
    assert birthday_voucher_due(born, None, date(2026, 5, 15))
    assert birthday_voucher_due(born, None, date(2026, 5, 20))  # first visit later that month
    assert not birthday_voucher_due(born, None, date(2026, 5, 14))
    assert not birthday_voucher_due(born, None, date(2026, 6, 1))
    assert not birthday_voucher_due(born, 2026, date(2026, 5, 15))
    assert birthday_voucher_due(born, 2025, date(2026, 5, 15))


def test_birthday_voucher_on_29_february_comes_on_the_28th_in_common_years():
    leap = date(2000, 2, 29)
    assert birthday_voucher_due(leap, None, date(2027, 2, 28))
    assert not birthday_voucher_due(leap, None, date(2028, 2, 28))
    assert birthday_voucher_due(leap, None, date(2028, 2, 29))


def test_birthday_voucher_needs_the_birthday_given_in_time():
    born = date(1990, 5, 15)
    early = datetime(2026, 3, 1, tzinfo=UTC)
    late = datetime(2026, 4, 20, tzinfo=UTC)
    assert birthday_voucher_due(born, None, date(2026, 5, 15), set_at=early, notice_days=30)
    assert not birthday_voucher_due(born, None, date(2026, 5, 15), set_at=late, notice_days=30)
