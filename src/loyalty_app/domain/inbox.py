"""The inbox as the member sees it: the stored copy with the marks still waiting in the
outbox applied (read at once, dismissed gone at once, offline too), and the unread count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from .models import Inbox, InboxMessage

#: The message kinds this app can word; a newer server's other kinds are left out.
KNOWN_KINDS = frozenset(
    {
        "offer",
        "points_expiring",
        "voucher_expiring",
        "stamp_card",
        "birthday_voucher",
        "tier_reached",
        "tier_at_risk",
    }
)


EXPIRING = ("points_expiring", "voucher_expiring")


def text_keys(m: InboxMessage, today: date) -> tuple[str, str]:
    """The catalogue keys of a message's title and sentence: an offer whose run starts after
    ``today`` says when it starts, one already running says it is on now; points or a
    voucher that expire ``today`` say so (a date alone does not tell it is today)."""
    if m.kind == "offer" and m.on is not None and m.on > today:
        return "inbox.offer.title", "inbox.offer.upcoming"
    if m.kind in EXPIRING and m.on == today:
        return f"inbox.{m.kind}.title", f"inbox.{m.kind}.today"
    return f"inbox.{m.kind}.title", f"inbox.{m.kind}.body"


def opens(m: InboxMessage) -> str | None:
    """The screen a message leads to when tapped (None: it is only marked read)."""
    return "/offers" if m.kind == "offer" else None


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
