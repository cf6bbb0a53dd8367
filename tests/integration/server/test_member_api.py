"""The signed-in member's API over real HTTP: profile, tier, ledger paging, ETags, referrals."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import pytest

from loyalty_core.member_number import is_valid_member_number
from loyalty_server.rules import add_months
from tests.support.loyalty_http import (
    assert_problem,
    idem,
    sign_in,
)


@pytest.fixture(scope="module")
def reader(client, smtp):
    """One member shared by the read-only tests."""
    return sign_in(client, smtp)


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_me_shows_a_new_members_profile_tier_and_card_number(client, smtp):
    member = sign_in(client, smtp, name="Ada Lovelace")
    me = member.me()
    assert me["name"] == "Ada Lovelace"
    assert me["email"] == member.email
    assert me["member_id"] == member.session["member_id"]
    assert is_valid_member_number(me["member_number"])
    assert me["tier"]["code"] == "green" and me["tier"]["name"]["en"] == "Harbor Green"
    assert (me["balance"], me["pending"], me["expiring"]) == (0, 0, [])
    assert me["punch_card"] == {"stamps": 0, "of": 9, "reward_id": "handcrafted-drink"}
    assert me["is_demo"] is False


def test_me_and_tier_progress_reflect_a_purchase(client, smtp, till):
    member = sign_in(client, smtp)
    result = till.give_points(member, "12.50")
    assert result["points"] == 125
    me = member.me()
    assert me["balance"] == 125
    assert me["punch_card"]["stamps"] == 1

    reply = member.get("/v1/me/tier")
    assert reply.status_code == 200, reply.text
    progress = reply.json()
    assert progress["tier"] == "green" and progress["next_tier"] == "gold"
    assert progress["qualifying_points"] == 125
    assert progress["points_to_next"] == 3000 - 125
    assert 0 < progress["fraction"] < 1
    assert progress["window_months"] == 12


def test_member_routes_need_a_valid_access_token(client):
    for path in ("/v1/me", "/v1/me/tier", "/v1/ledger", "/v1/vouchers", "/v1/referral"):
        assert_problem(client.get(path), 401, "unauthorized")
        reply = client.get(path, headers={"Authorization": "Bearer lat_forged"})
        assert_problem(reply, 401, "unauthorized")


def test_tier_ladder_lists_every_tier_with_thresholds_and_an_etag(client):
    reply = client.get("/v1/tiers")
    assert reply.status_code == 200, reply.text
    ladder = reply.json()
    assert ladder["window_months"] == 12
    assert [(t["code"], t["qualifying_points"], t["multiplier"]) for t in ladder["tiers"]] == [
        ("green", 0, "1.0"),
        ("gold", 3000, "1.25"),
        ("reserve", 8000, "1.5"),
    ]
    assert all(t["benefits"] and t["name"]["zh-Hans"] for t in ladder["tiers"])
    again = client.get("/v1/tiers", headers={"If-None-Match": reply.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_ledger_pages_newest_first_without_duplicates_with_reasons_and_expiry(client, smtp, till):
    member = sign_in(client, smtp)
    amounts = ["3.10", "4.20", "5.30", "6.40", "7.50", "8.60", "9.70"]
    for amount in amounts:
        till.give_points(member, amount)
    spent = member.post("/v1/rewards/oat-milk/redeem", headers=idem())
    assert spent.status_code == 201, spent.text

    pages, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        reply = member.get("/v1/ledger", params=params)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [3, 3, 2]
    items = [item for page in pages for item in page]
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids) == 8
    assert ids == sorted(ids, reverse=True)
    times = [datetime.fromisoformat(item["at"]) for item in items]
    assert times == sorted(times, reverse=True)
    assert all(item["reason"] for item in items)

    redeem, *purchases = items
    assert (redeem["kind"], redeem["amount"], redeem["reason"]) == (
        "redeem",
        -200,
        "reward_redeemed",
    )
    assert redeem["expires_at"] is None and redeem["details"]["reward_id"] == "oat-milk"
    assert [p["details"]["amount"] for p in purchases] == list(reversed(amounts))
    for entry in purchases:
        assert entry["kind"] == "purchase" and entry["reason"] == "purchase"
        assert entry["amount"] > 0 and entry["voided"] is False
        at = datetime.fromisoformat(entry["at"])
        assert datetime.fromisoformat(entry["expires_at"]) == add_months(at, 12)
    assert sum(i["amount"] for i in items) == member.balance()
    assert member.ledger(limit=100) == items


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!!",
        "abc",
        _cursor("x"),
        _cursor(-1),
        _cursor(1.5),
        _cursor([1]),
        _cursor(True),
        _cursor([0, 2**40]),
        _cursor([2**70, 1]),
        _cursor(5),
        _cursor([1, 2, 3]),
        _cursor(["2026-11-30", 5]),
        _cursor([-1, 5]),
        _cursor([1.5, 5]),
        _cursor([True, 5]),
        _cursor({"at": 1, "id": 5}),
    ],
    ids=[
        "symbols",
        "not-base64-json",
        "string",
        "negative",
        "float",
        "short-list",
        "bool",
        "id-beyond-32-bit",
        "date-beyond-9999",
        "a-bare-id-of-the-old-id-order",
        "three-numbers",
        "date-as-text",
        "date-negative",
        "date-float",
        "date-bool",
        "object",
    ],
)
def test_invalid_ledger_cursor_is_a_422_problem(reader, cursor):
    member = reader
    reply = member.get("/v1/ledger", params={"cursor": cursor})
    body = assert_problem(reply, 422, "invalid-cursor")
    assert "first page" in body["detail"]


def test_ledger_limit_out_of_range_is_a_validation_problem(reader):
    member = reader
    for limit in (0, 101, "ten"):
        assert_problem(member.get("/v1/ledger", params={"limit": limit}), 422, "validation")


@pytest.mark.parametrize("path", ["/v1/me", "/v1/ledger", "/v1/vouchers", "/v1/referral"])
def test_member_resources_answer_304_when_the_etag_matches(reader, path):
    member = reader
    first = member.get(path)
    assert first.status_code == 200, first.text
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = member.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    weak = member.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    stale = member.get(path, headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.json() == first.json()


def test_etags_change_when_the_member_changes(client, smtp, till):
    member = sign_in(client, smtp)
    etags = {p: member.get(p).headers["ETag"] for p in ("/v1/me", "/v1/ledger", "/v1/vouchers")}
    till.give_points(member, "25.00")
    assert member.post("/v1/rewards/oat-milk/redeem", headers=idem()).status_code == 201
    for path, etag in etags.items():
        reply = member.get(path, headers={"If-None-Match": etag})
        assert reply.status_code == 200, path
        assert reply.headers["ETag"] != etag


# --------------------------------------------------------------------------- referrals


def _referral(member) -> dict:
    reply = member.get("/v1/referral")
    assert reply.status_code == 200, reply.text
    return reply.json()


def _claim(member, code: str):
    return member.post("/v1/referral/claim", json={"code": code})


def test_referral_shows_code_link_and_bonus_sizes(client, smtp):
    member = sign_in(client, smtp)
    referral = _referral(member)
    assert len(referral["code"]) == 8
    assert referral["link"].endswith("/" + referral["code"])
    assert (referral["referrer_points"], referral["referee_points"]) == (500, 250)
    assert referral["stats"] == {"invited": 0, "joined": 0, "rewarded": 0}
    assert referral["referred_by"] is None


def test_claiming_an_unknown_referral_code_is_refused(client, smtp):
    member = sign_in(client, smtp)
    body = assert_problem(_claim(member, "NOSUCH99"), 422, "unknown-referral-code")
    assert "check" in body["detail"].lower()


def test_claiming_your_own_referral_code_is_refused(client, smtp):
    member = sign_in(client, smtp)
    assert_problem(_claim(member, _referral(member)["code"]), 422, "own-referral-code")


def test_a_referral_code_is_claimed_once_and_repeating_it_changes_nothing(client, smtp):
    friend, other, member = (sign_in(client, smtp) for _ in range(3))
    code = _referral(friend)["code"]
    reply = _claim(member, code.lower())
    assert reply.status_code == 200, reply.text
    assert reply.json()["referred_by"] == code
    again = _claim(member, code)
    assert again.status_code == 200 and again.json()["referred_by"] == code
    body = assert_problem(_claim(member, _referral(other)["code"]), 409, "referral-already-claimed")
    assert "already" in body["detail"]
    assert _referral(member)["referred_by"] == code
    assert _referral(friend)["stats"]["joined"] == 1
    assert _referral(other)["stats"]["joined"] == 0


def test_claiming_a_referral_code_after_the_first_purchase_is_too_late(client, smtp, till):
    friend, member = sign_in(client, smtp), sign_in(client, smtp)
    till.give_points(member, "4.50")
    body = assert_problem(_claim(member, _referral(friend)["code"]), 409, "referral-too-late")
    assert "first purchase" in body["detail"]


def test_referral_bonus_is_paid_to_both_on_the_first_purchase_and_only_once(client, smtp, till):
    referrer = sign_in(client, smtp)
    code = _referral(referrer)["code"]
    referee = sign_in(client, smtp, name="Grace Hopper", referral_code=code)
    assert _referral(referee)["referred_by"] == code
    assert _referral(referrer)["stats"] == {"invited": 1, "joined": 1, "rewarded": 0}
    assert referee.balance() == 0 and referrer.balance() == 0

    first = till.give_points(referee, "10.00")
    assert first["points"] == 100 and first["referral_bonus"] == 250
    assert first["balance"] == 350
    second = till.give_points(referee, "10.00")
    assert second["referral_bonus"] == 0 and second["balance"] == 450

    assert referee.balance() == 450
    assert referrer.balance() == 500
    referee_bonus = [e for e in referee.ledger() if e["kind"] == "bonus"]
    referrer_bonus = [e for e in referrer.ledger() if e["kind"] == "bonus"]
    assert [(e["reason"], e["amount"]) for e in referee_bonus] == [("referral_welcome", 250)]
    assert [(e["reason"], e["amount"]) for e in referrer_bonus] == [("referral_reward", 500)]
    assert referrer_bonus[0]["details"]["referee_name"] == "Grace"
    assert referrer_bonus[0]["expires_at"] is not None
    assert _referral(referrer)["stats"] == {"invited": 1, "joined": 1, "rewarded": 1}


def test_referral_link_visits_count_as_invited(client, smtp):
    member = sign_in(client, smtp)
    code = _referral(member)["code"]
    landing = client.get(f"/r/{code.lower()}")
    assert landing.status_code == 200 and code in landing.text
    assert_problem(client.get("/r/NOSUCH99"), 404, "not-found")
    stats = _referral(member)["stats"]
    assert stats == {"invited": 1, "joined": 0, "rewarded": 0}
