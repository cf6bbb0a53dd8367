"""Feedback over the served app on a real database, with a clock the test moves: asked after a
recent purchase, at most once in 30 days (an answer and a dismissal both count), kept with
the store and the time; the answer once per Idempotency-Key."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loyalty_server.models import Feedback
from loyalty_server.services.staff import add_staff
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import SignedIn, Till, assert_problem, sign_in


@pytest.fixture
def shop(database_url, smtp) -> ClockedServer:
    with clocked_server(database_url, smtp_port=smtp.port) as server:
        yield server


def _asked(member: SignedIn) -> dict | None:
    reply = member.get("/v1/me/inbox")
    assert reply.status_code == 200, reply.text
    return reply.json()["feedback"]


def _answer(member: SignedIn, body: dict, key: str):  # noqa: ANN202
    return member.post("/v1/me/feedback", json=body, headers={"Idempotency-Key": key})


def _later(shop: ClockedServer, smtp, member: SignedIn, days: float) -> SignedIn:  # noqa: ANN001
    shop.clock.advance(days * 86400)
    return sign_in(shop.client, smtp, member.email)


def test_asked_after_a_purchase_once_in_thirty_days_and_kept_with_store_and_time(shop, smtp):
    member = sign_in(shop.client, smtp)
    till = Till(shop.client, add_staff(shop.ctx, "Ana Souza", "Harbor Coffee Pier 7"))
    assert _asked(member) is None  # no purchase yet
    credit = till.give_points(member, "4.75")
    asked = _asked(member)
    assert asked["purchase_id"] == credit["credit_id"]
    assert asked["store"] == "Harbor Coffee Pier 7"

    body = {"purchase_id": asked["purchase_id"], "score": 9, "comment": "Lovely flat white"}
    for _ in range(2):  # a retry gets the first answer
        reply = _answer(member, body, "feedback-key-0001")
        assert reply.status_code == 200 and reply.json() == {"recorded": True}, reply.text
    assert _asked(member) is None

    member = _later(shop, smtp, member, 1)
    till.give_points(member, "5.25")
    assert _asked(member) is None  # asked yesterday: not again for 30 days
    member = _later(shop, smtp, member, 30)
    assert _asked(member) is None  # no purchase since the 30 days were up
    till.give_points(member, "3.95")
    again = _asked(member)
    assert again is not None
    reply = _answer(member, {"purchase_id": again["purchase_id"]}, "feedback-key-0002")
    assert reply.json() == {"recorded": True}  # "Not now" counts as asked
    assert _asked(member) is None

    with shop.ctx.db.read() as s:
        rows = s.scalars(select(Feedback).order_by(Feedback.id)).all()
        kept = [(f.score, f.comment, f.store) for f in rows]
    assert kept == [
        (9, "Lovely flat white", "Harbor Coffee Pier 7"),
        (None, None, "Harbor Coffee Pier 7"),
    ]


def test_not_asked_about_an_old_purchase_nor_kept_when_no_longer_due(shop, smtp):
    member = sign_in(shop.client, smtp)
    till = Till(shop.client, add_staff(shop.ctx, "Ana Souza", "Harbor Coffee Pier 7"))
    credit = till.give_points(member, "4.75")
    member = _later(shop, smtp, member, 8)
    assert _asked(member) is None
    body = {"purchase_id": credit["credit_id"], "score": 3}
    assert _answer(member, body, "feedback-key-0003").json() == {"recorded": False}
    assert_problem(_answer(member, {"purchase_id": 1, "score": 11}, "feedback-key-0004"), 422)
