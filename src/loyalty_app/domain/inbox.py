"""The inbox as the member sees it: the stored copy with the marks still waiting in the
outbox applied (read at once, dismissed gone at once, offline too), and the unread count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .models import Inbox, InboxMessage

#: The message kinds this app can word; a newer server's other kinds are left out.
KNOWN_KINDS = frozenset(
    {
        "points_expiring",
        "voucher_expiring",
        "stamp_card",
        "birthday_voucher",
        "tier_reached",
        "tier_at_risk",
    }
)


@dataclass(frozen=True)
class InboxShown:
    items: tuple[InboxMessage, ...]
    unread: int


def shown(inbox: Inbox | None, marks: Iterable[tuple[str, str]] = ()) -> InboxShown:
    """``marks``: (message id, "read" | "dismiss") not yet confirmed by the server."""
    if inbox is None:
        return InboxShown((), 0)
    read, gone = set(), set()
    for message_id, mark in marks:
        read.add(message_id)
        if mark == "dismiss":
            gone.add(message_id)
    items = tuple(
        replace(m, read=True) if m.id in read and not m.read else m
        for m in inbox.items
        if m.id not in gone and m.kind in KNOWN_KINDS
    )
    return InboxShown(items, sum(not m.read for m in items))
