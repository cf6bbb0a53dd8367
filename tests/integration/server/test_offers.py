"""Offers at the till and in the member's API: the real app in-process on the run's database
(SQLite, then PostgreSQL), the demo programme with offers dated around a clock the test sets,
so a "double points" day is today whatever day the test runs."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from loyalty_server.models import LedgerEntry, Member, MemberBadge
from loyalty_server.report.build import build_report
from loyalty_server.report.period import Period
from tests.support.clocked_server import ClockedServer, clocked_server, shop_noon
from tests.support.loyalty_http import assert_problem
from tests.support.programmes import DEMO_PROGRAMME, without_offers, write_programme

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _offer(id: str, today, rules: str) -> str:  # noqa: ANN001
    name = f'{{ en = "{id}", zh-Hans = "{id}", zh-Hant = "{id}" }}'
    return (
        f'\n[[offers]]\nid = "{id}"\nname = {name}\ndescription = {name}\n'
        f"starts = {today - timedelta(days=1)}\nends = {today + timedelta(days=30)}\n{rules}\n"
    )


@pytest.fixture
def shop(database_url, tmp_path) -> ClockedServer:
    local_noon = shop_noon()
    today = local_noon.date()
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8"))
    text += _offer("double-today", today, f'multiplier = 2\ndays = ["{WEEKDAYS[today.weekday()]}"]')
    text += _offer("pastry", today, "points = 150\nactivate = true\nuses = 1")
    text += _offer("next-week", today + timedelta(days=7), "points = 50")
    path = write_programme(tmp_path, "harbor_offers.toml", text)
    with clocked_server(database_url, programme_path=path, start=local_noon) as server:
        yield server


def _member(shop: ClockedServer) -> tuple[dict[str, str], str]:
    session = shop.client.post("/v1/auth/demo", json={"device_name": "pytest"}).json()
    headers = {"Authorization": f"Bearer {session['access_token']}"}
    number = shop.client.get("/v1/me", headers=headers).json()["member_number"]
    return headers, number


def _credit(shop: ClockedServer, till: dict, number: str, amount: str, key: str) -> dict:
    reply = shop.client.post(
        "/v1/checkout/credit",
        json={"member_number": number, "amount": amount},
        headers=till | {"Idempotency-Key": key},
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


def _ledger(shop: ClockedServer, member: dict) -> list[dict]:
    return shop.client.get("/v1/ledger", headers=member).json()["items"]


def _offers(shop: ClockedServer, member: dict) -> dict[str, dict]:
    reply = shop.client.get("/v1/me/offers", headers=member)
    assert reply.status_code == 200, reply.text
    return {o["id"]: o for o in reply.json()["items"]}


def test_a_double_points_day_puts_the_purchase_and_the_bonus_in_the_members_ledger(shop):
    member, number = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    before = shop.client.get("/v1/me", headers=member).json()["balance"]

    credit = _credit(shop, till, number, "4.50", "till-offer-0001")

    assert credit["points"] == 45
    assert [(o["offer_id"], o["points"]) for o in credit["offers"]] == [("double-today", 45)]
    assert credit["balance"] == before + 90
    bonus, purchase = _ledger(shop, member)[:2]
    assert (purchase["reason"], purchase["amount"], purchase["id"]) == (
        "purchase",
        45,
        credit["credit_id"],
    )
    assert (bonus["reason"], bonus["amount"]) == ("offer_bonus", 45)
    assert bonus["details"]["offer_id"] == "double-today"
    assert bonus["details"]["name"]["en"] == "double-today"
    assert bonus["details"]["credit_id"] == credit["credit_id"]


def test_a_void_takes_the_offers_bonus_back_and_gives_its_use_back(shop):
    member, number = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    assert shop.client.put("/v1/me/offers/pastry/activation", headers=member).status_code == 200
    before = shop.client.get("/v1/me", headers=member).json()["balance"]
    credit = _credit(shop, till, number, "10.00", "till-offer-0002")
    assert sorted(o["offer_id"] for o in credit["offers"]) == ["double-today", "pastry"]
    assert "pastry" not in _offers(shop, member)  # its one use is taken

    void = shop.client.post(
        f"/v1/checkout/credits/{credit['credit_id']}/void",
        json={},
        headers=till | {"Idempotency-Key": "till-void-0002"},
    )

    assert void.status_code == 200, void.text
    assert void.json()["points_removed"] == 100 + 100 + 150
    assert void.json()["balance"] == before
    lines = [(e["reason"], e["amount"]) for e in _ledger(shop, member)[:3]]
    assert sorted(lines) == [
        ("offer_withdrawn", -150),
        ("offer_withdrawn", -100),
        ("purchase_voided", -100),
    ]
    assert _offers(shop, member)["pastry"]["uses_left"] == 1
    again = _credit(shop, till, number, "10.00", "till-offer-0003")
    assert sorted(o["offer_id"] for o in again["offers"]) == ["double-today", "pastry"]


def test_an_add_to_card_offer_pays_only_once_added_and_adding_twice_is_one_add(shop):
    member, number = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    offers = _offers(shop, member)
    assert list(offers) == ["double-today", "pastry", "next-week"]
    assert offers["pastry"]["needs_activation"] and not offers["pastry"]["activated"]
    assert offers["next-week"]["upcoming"] and not offers["double-today"]["upcoming"]

    first = _credit(shop, till, number, "4.50", "till-offer-0004")
    assert [o["offer_id"] for o in first["offers"]] == ["double-today"]

    listed = shop.client.get("/v1/me/offers", headers=member)
    added = shop.client.put("/v1/me/offers/pastry/activation", headers=member)
    again = shop.client.put("/v1/me/offers/pastry/activation", headers=member)
    assert added.status_code == again.status_code == 200
    assert added.json() == again.json() and added.json()["activated"]
    # The list changed, so its ETag did too.
    etag = listed.headers["ETag"]
    assert (
        shop.client.get("/v1/me/offers", headers=member | {"If-None-Match": etag}).status_code
        == 200
    )

    second = _credit(shop, till, number, "4.50", "till-offer-0005")
    assert [(o["offer_id"], o["points"]) for o in second["offers"]] == [
        ("double-today", 45),
        ("pastry", 150),
    ]
    fresh = shop.client.get("/v1/me/offers", headers=member)
    cached = {"If-None-Match": fresh.headers["ETag"]}
    assert shop.client.get("/v1/me/offers", headers=member | cached).status_code == 304


def test_the_owners_report_counts_what_the_till_booked_for_each_offer(shop):
    member, number = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    assert shop.client.put("/v1/me/offers/pastry/activation", headers=member).status_code == 200
    voided = _credit(shop, till, number, "10.00", "till-offer-0006")
    reply = shop.client.post(
        f"/v1/checkout/credits/{voided['credit_id']}/void",
        json={},
        headers=till | {"Idempotency-Key": "till-void-0006"},
    )
    assert reply.status_code == 200, reply.text

    programme = shop.ctx.programme
    today = shop.clock.now.astimezone(ZoneInfo(programme.time_zone)).date()
    period = Period(today, today)
    offers = build_report(shop.ctx.db, programme, period, shop.clock.now).offers
    used = {o.offer_id: (o.reached, o.used) for o in offers}
    # The member added pastry (reached); both bonuses were withdrawn with the void.
    assert used["pastry"] == (1, 0) and used["double-today"][1] == 0
    assert "next-week" not in used  # it has not run yet

    _credit(shop, till, number, "10.00", "till-offer-0007")
    offers = build_report(shop.ctx.db, programme, period, shop.clock.now).offers
    used = {o.offer_id: o.used for o in offers}
    assert (used["pastry"], used["double-today"]) == (1, 1)


def test_adding_an_offer_the_member_does_not_have_is_refused(shop):
    member, _ = _member(shop)
    assert_problem(
        shop.client.put("/v1/me/offers/no-such-offer/activation", headers=member),
        404,
        "offer-not-found",
    )


CHALLENGES = """
[[challenges]]
id = "week"
name = { en = "Three in a week", zh-Hans = "一周三访", zh-Hant = "一週三訪" }
description = { en = "3 visits in 7 days", zh-Hans = "七天三次", zh-Hant = "七天三次" }
goal = "visits"
count = 3
within_days = 7
points = 100

[[challenges]]
id = "explorer"
name = { en = "Explorer", zh-Hans = "探索家", zh-Hant = "探索家" }
description = { en = "Two categories", zh-Hans = "两个类别", zh-Hant = "兩個類別" }
goal = "categories"
count = 2

[[challenges]]
id = "friend"
name = { en = "Good company", zh-Hans = "好友同行", zh-Hant = "好友同行" }
description = { en = "A friend's first purchase", zh-Hans = "好友首购", zh-Hant = "好友首購" }
goal = "referrals"
count = 1
points = 200
"""


@pytest.fixture
def challenge_shop(database_url, tmp_path) -> ClockedServer:
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8")) + CHALLENGES
    path = write_programme(tmp_path, "harbor_challenges.toml", text)
    with clocked_server(database_url, programme_path=path) as server:
        # Past the demo member's seeded visits: her week starts empty.
        server.clock.advance(30 * 24 * 3600)
        yield server


def _credit_in(shop: ClockedServer, till: dict, number: str, key: str, categories: list) -> dict:
    reply = shop.client.post(
        "/v1/checkout/credit",
        json={"member_number": number, "amount": "4.50", "categories": categories},
        headers=till | {"Idempotency-Key": key},
    )
    assert reply.status_code == 201, reply.text
    return reply.json()


def _badges(shop: ClockedServer, member: dict) -> dict[str, dict]:
    reply = shop.client.get("/v1/me/badges", headers=member)
    assert reply.status_code == 200, reply.text
    return {b["id"]: b for b in reply.json()["items"]}


def test_challenges_award_their_badge_and_points_once_when_reached(challenge_shop):
    shop = challenge_shop
    member, number = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    assert {k: (b["reached"], b["earned_at"]) for k, b in _badges(shop, member).items()} == {
        "week": (0, None),
        "explorer": (0, None),
        "friend": (0, None),
    }

    _credit_in(shop, till, number, "till-challenge-1", ["drinks"])
    shop.clock.advance(24 * 3600)
    _credit_in(shop, till, number, "till-challenge-2", ["food", "drinks"])
    member, _ = _member(shop)  # the access token of a day ago has expired
    badges = _badges(shop, member)
    assert badges["explorer"]["earned_at"] and badges["explorer"]["reached"] == 2
    assert (badges["week"]["reached"], badges["week"]["earned_at"]) == (2, None)

    shop.clock.advance(24 * 3600)
    third = _credit_in(shop, till, number, "till-challenge-3", [])
    member, _ = _member(shop)
    assert _badges(shop, member)["week"]["earned_at"]
    # (The demo member's birthday bonus may also fall in these days: only the challenge counts.)
    lines = [
        (e["reason"], e["amount"])
        for e in _ledger(shop, member)
        if e["kind"] == "bonus" and e["reason"] != "birthday_bonus"
    ]
    assert lines == [("challenge_completed", 100)]
    assert third["balance"] == shop.client.get("/v1/me", headers=member).json()["balance"]

    shop.clock.advance(24 * 3600)
    _credit_in(shop, till, number, "till-challenge-4", ["merchandise"])
    member, _ = _member(shop)
    again = [e for e in _ledger(shop, member) if e["reason"] == "challenge_completed"]
    assert len(again) == 1  # reached once, paid once

    etag = shop.client.get("/v1/me/badges", headers=member).headers["ETag"]
    cached = shop.client.get("/v1/me/badges", headers=member | {"If-None-Match": etag})
    assert cached.status_code == 304


def test_a_friends_first_purchase_earns_the_inviter_the_referral_badge(challenge_shop):
    shop = challenge_shop
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    with shop.ctx.db.read() as s:
        sofia = s.scalar(select(Member).where(Member.email == "sofia.chen@harbor.demo"))
        daniel_id, sofia_number = sofia.referred_by_id, sofia.number

    _credit_in(shop, till, sofia_number, "till-referral-1", [])
    _credit_in(shop, till, sofia_number, "till-referral-2", [])

    with shop.ctx.db.read() as s:
        badges = s.scalars(
            select(MemberBadge.challenge_id).where(MemberBadge.member_id == daniel_id)
        )
        paid = s.scalars(
            select(LedgerEntry.amount).where(
                LedgerEntry.member_id == daniel_id, LedgerEntry.reason == "challenge_completed"
            )
        )
        assert (list(badges), list(paid)) == (["friend"], [200])
