"""The inbox as shown: marks still in the outbox apply at once; unknown kinds are left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from loyalty_app.domain.inbox import opens, shown, text_keys
from loyalty_app.domain.models import Inbox, InboxMessage

AT = datetime(2026, 5, 15, tzinfo=UTC)


def message(id: str, kind: str = "points_expiring", read: bool = False) -> InboxMessage:
    return InboxMessage(id=id, kind=kind, at=AT, read=read, points=10)


INBOX = Inbox(
    items=(message("a"), message("b"), message("c", read=True), message("d", kind="raffle")),
    unread=3,
)


def test_nothing_stored_is_an_empty_inbox():
    assert shown(None).items == () and shown(None).unread == 0


def test_unknown_kinds_are_left_out_of_list_and_count():
    view = shown(INBOX)
    assert [m.id for m in view.items] == ["a", "b", "c"] and view.unread == 2


def test_a_queued_read_counts_at_once_and_a_queued_dismiss_hides():
    view = shown(INBOX, [("a", "read"), ("b", "dismiss")])
    assert [(m.id, m.read) for m in view.items] == [("a", True), ("c", True)]
    assert view.unread == 0


def offer(on: date) -> InboxMessage:
    return InboxMessage(
        id=f"offer:double:{on.isoformat()}",
        kind="offer",
        at=AT,
        read=False,
        on=on,
        offer_id="double",
        offer_name={"en": "Double points", "zh-Hans": "双倍积分", "zh-Hant": "雙倍積分"},
    )


def test_an_offer_is_shown_and_counted():
    view = shown(Inbox(items=(offer(date(2026, 5, 15)),), unread=1))
    assert [m.offer_id for m in view.items] == ["double"] and view.unread == 1


def test_an_offer_says_it_is_on_from_its_first_day_and_when_it_starts_before():
    today = date(2026, 5, 15)
    assert text_keys(offer(today), today) == ("inbox.offer.title", "inbox.offer.body")
    assert text_keys(offer(date(2026, 5, 1)), today) == ("inbox.offer.title", "inbox.offer.body")
    assert text_keys(offer(date(2026, 5, 17)), today) == (
        "inbox.offer.title",
        "inbox.offer.upcoming",
    )
    assert text_keys(message("a"), today) == (
        "inbox.points_expiring.title",
        "inbox.points_expiring.body",
    )


def test_points_or_a_voucher_expiring_today_say_today():
    today = date(2026, 11, 30)
    for kind in ("points_expiring", "voucher_expiring"):
        due = InboxMessage(id=kind, kind=kind, at=AT, read=False, points=207, on=today)
        later = InboxMessage(
            id=kind, kind=kind, at=AT, read=False, points=56, on=date(2026, 12, 23)
        )
        assert text_keys(due, today) == (f"inbox.{kind}.title", f"inbox.{kind}.today")
        assert text_keys(later, today) == (f"inbox.{kind}.title", f"inbox.{kind}.body")


def test_the_words_for_today_in_each_language():
    from loyalty_app.ui.screens.inbox import message_texts

    today = date(2026, 11, 30)
    due = InboxMessage(id="p", kind="points_expiring", at=AT, read=False, points=207, on=today)
    said = {lang: message_texts(lang, due, today)[1] for lang in ("en", "zh-Hans", "zh-Hant")}
    assert said["en"].startswith("207 points expire today.")
    assert "今天" in said["zh-Hans"] and "今天" in said["zh-Hant"]
    assert all("2026" not in words for words in said.values())


def test_an_offer_opens_the_offers_and_other_messages_stay():
    assert opens(offer(date(2026, 5, 15))) == "/offers"
    assert opens(message("a")) is None
