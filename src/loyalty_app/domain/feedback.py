"""The feedback question: asked when the server says it is due, until the member answers or
dismisses it (then at once, offline too: the answer waits in the outbox)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import FeedbackAsk, Inbox


def question(inbox: Inbox | None, answered: Iterable[int]) -> FeedbackAsk | None:
    """The question to show, or None; ``answered``: purchase ids answered or dismissed on
    this device that the stored inbox may not know of yet."""
    ask = inbox.feedback if inbox is not None else None
    if ask is None or ask.purchase_id in set(answered):
        return None
    return ask
