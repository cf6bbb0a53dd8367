"""What an offer's message in the inbox says, in each language."""

from __future__ import annotations

from datetime import UTC, date, datetime

from loyalty_app.domain.models import InboxMessage
from loyalty_app.ui.screens.inbox import message_texts

TODAY = date(2026, 12, 1)


def offer(on: date) -> InboxMessage:
    return InboxMessage(
        id=f"offer:double-tuesdays:{on.isoformat()}",
        kind="offer",
        at=datetime(2026, 11, 28, 8, tzinfo=UTC),
        read=False,
        on=on,
        offer_id="double-tuesdays",
        offer_name={
            "en": "Double points Tuesdays",
            "zh-Hans": "周二双倍积分",
            "zh-Hant": "週二雙倍積分",
        },
    )


def test_a_running_offer_is_named_in_the_members_language():
    running = offer(TODAY)
    assert message_texts("en", running, TODAY) == (
        "For you: Double points Tuesdays",
        "On now. Tap to see it in your offers.",
    )
    assert message_texts("zh-Hans", running, TODAY)[0] == "专属优惠：周二双倍积分"
    assert message_texts("zh-Hant", running, TODAY)[0] == "專屬優惠：週二雙倍積分"


def test_an_offer_still_to_come_says_when_it_starts():
    title, body = message_texts("en", offer(date(2026, 12, 8)), TODAY)
    assert title == "For you: Double points Tuesdays"
    assert body.startswith("Starts ") and "8" in body and "Dec" in body
    assert "12月8日" in message_texts("zh-Hans", offer(date(2026, 12, 8)), TODAY)[1]
