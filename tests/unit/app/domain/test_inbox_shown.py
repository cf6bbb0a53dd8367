"""The inbox as shown: marks still in the outbox apply at once; unknown kinds are left out."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalty_app.domain.inbox import shown
from loyalty_app.domain.models import Inbox, InboxMessage

AT = datetime(2026, 5, 15, tzinfo=UTC)


def message(id: str, kind: str = "points_expiring", read: bool = False) -> InboxMessage:
    return InboxMessage(id=id, kind=kind, at=AT, read=read, points=10)


INBOX = Inbox(
    items=(message("a"), message("b"), message("c", read=True), message("d", kind="offer")),
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
