"""The inbox over the served app on a real database, with a clock the test moves: points
about to expire, a voucher about to expire, the birthday voucher on the day, marks kept per
message (read, dismissed, both idempotent), ETags."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loyalty_server.services.staff import add_staff
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import SignedIn, Till, assert_problem, sign_in


@pytest.fixture
def shop(database_url, smtp) -> ClockedServer:
    with clocked_server(database_url, smtp_port=smtp.port) as server:
        yield server


def _inbox(member: SignedIn) -> dict:
    reply = member.get("/v1/me/inbox")
    assert reply.status_code == 200, reply.text
    return reply.json()


def _at(shop: ClockedServer, smtp, member: SignedIn, when: datetime) -> SignedIn:  # noqa: ANN001
    shop.clock.advance((when - shop.clock.now).total_seconds())
    return sign_in(shop.client, smtp, member.email)


def test_a_new_member_has_an_empty_inbox_with_an_etag(shop, smtp):
    member = sign_in(shop.client, smtp)
    first = member.get("/v1/me/inbox")
    assert first.status_code == 200 and first.json() == {"items": [], "unread": 0, "feedback": None}
    again = member.get("/v1/me/inbox", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_points_about_to_expire_show_with_amount_and_date(shop, smtp):
    member = sign_in(shop.client, smtp)
    till = Till(shop.client, add_staff(shop.ctx, "Ana Souza", "Harbor Coffee Pier 7"))
    credit = till.give_points(member, "4.75")
    assert _inbox(member)["items"] == []
    [lot] = [e for e in member.ledger() if e["id"] == credit["credit_id"]]
    expires = datetime.fromisoformat(lot["expires_at"])
    member = _at(shop, smtp, member, expires - timedelta(days=10))
    [message] = _inbox(member)["items"]
    assert message["kind"] == "points_expiring"
    assert message["points"] == 47 and message["on"] == expires.date().isoformat()
    assert message["id"] == f"points-expiring:{expires.date().isoformat()}"


def test_the_birthday_voucher_arrives_on_the_day_once_and_can_be_read_and_dismissed(shop, smtp):
    member = sign_in(shop.client, smtp)
    zone = ZoneInfo(shop.ctx.programme.time_zone)
    later = (shop.clock.now + timedelta(days=70)).astimezone(zone)
    birthday = date(1990, later.month, 15)
    reply = member.client.patch(
        "/v1/me", json={"birthday": birthday.isoformat()}, headers=member.headers
    )
    assert reply.status_code == 200, reply.text
    the_day = datetime(later.year, later.month, 15, 9, tzinfo=zone)
    member = _at(shop, smtp, member, the_day - timedelta(days=1))
    assert [m["kind"] for m in _inbox(member)["items"]] == []

    member = _at(shop, smtp, member, the_day)
    inbox = _inbox(member)
    [message] = [m for m in inbox["items"] if m["kind"] == "birthday_voucher"]
    vouchers = member.get("/v1/vouchers").json()["items"]
    [voucher] = [v for v in vouchers if v["source"] == "birthday"]
    assert message["voucher_code"] == voucher["code"]
    assert message["reward_name"]["en"] == "Handcrafted drink"
    assert message["read"] is False and inbox["unread"] == 1

    for _ in range(2):  # idempotent
        reply = member.post(f"/v1/me/inbox/{message['id']}/read")
        assert reply.status_code == 200, reply.text
        assert reply.json()["unread"] == 0
    assert _inbox(member)["items"][0]["read"] is True

    member = _at(shop, smtp, member, the_day + timedelta(days=2))
    vouchers = member.get("/v1/vouchers").json()["items"]
    assert [v["source"] for v in vouchers].count("birthday") == 1  # once a year

    for _ in range(2):
        reply = member.post(f"/v1/me/inbox/{message['id']}/dismiss")
        assert reply.status_code == 200, reply.text
        assert message["id"] not in [m["id"] for m in reply.json()["items"]]
    assert message["id"] not in [m["id"] for m in _inbox(member)["items"]]

    expires = datetime.fromisoformat(voucher["expires_at"])
    member = _at(shop, smtp, member, expires - timedelta(days=3))
    [soon] = _inbox(member)["items"]
    assert (soon["kind"], soon["voucher_code"]) == ("voucher_expiring", voucher["code"])
    assert soon["on"] == expires.date().isoformat()


def test_a_mark_needs_a_message_id_of_the_inbox_form(shop, smtp):
    member = sign_in(shop.client, smtp)
    assert_problem(member.post("/v1/me/inbox/not%20an%20id/read"), 422)
    reply = member.post("/v1/me/inbox/points-expiring:2030-01-01/dismiss")
    assert reply.status_code == 200, reply.text  # one no longer due is marked all the same


def test_the_demo_member_shows_every_kind_of_message_on_first_run(shop):
    reply = shop.client.post("/v1/auth/demo", json={"device_name": "test"})
    assert reply.status_code == 200, reply.text
    headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
    inbox = shop.client.get("/v1/me/inbox", headers=headers).json()
    kinds = {m["kind"] for m in inbox["items"]}
    assert {"points_expiring", "voucher_expiring", "stamp_card", "birthday_voucher"} <= kinds
    assert inbox["unread"] == len(inbox["items"])
