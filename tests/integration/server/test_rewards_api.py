"""The rewards catalogue and redeeming over real HTTP, with a programme file whose pastry
has a stock of one and whose cupping session is no longer offered."""

from __future__ import annotations

import pytest

from tests.support.loyalty_http import (
    assert_problem,
    idem,
    programme_variant,
    sign_in,
)


@pytest.fixture(scope="module")
def server_options(tmp_path_factory) -> dict:
    programme = programme_variant(
        tmp_path_factory.mktemp("programme") / "harbor_small_stock.toml",
        [
            (
                'id = "pastry"\ncategory = "food"\ncost = 600\n',
                'id = "pastry"\ncategory = "food"\ncost = 600\nstock = 1\n',
            ),
            ("valid_until = 2027-03-31", "valid_until = 2020-03-31"),
        ],
    )
    return {"programme": programme}


def _catalogue(client, **params) -> dict:
    reply = client.get("/v1/rewards", params=params)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _stock(client, reward_id: str) -> int | None:
    return next(r["stock"] for r in _catalogue(client)["items"] if r["id"] == reward_id)


def _redeem(member, reward_id: str, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return member.post(f"/v1/rewards/{reward_id}/redeem", headers=headers)


def test_catalogue_lists_active_rewards_by_cost_with_stock_and_categories(client):
    catalogue = _catalogue(client)
    items = catalogue["items"]
    assert [r["cost"] for r in items] == sorted(r["cost"] for r in items)
    by_id = {r["id"]: r for r in items}
    assert by_id["pastry"]["stock"] == 1
    assert by_id["ceramic-mug"]["stock"] == 25
    assert by_id["oat-milk"]["stock"] is None
    assert by_id["insulated-tumbler"]["min_tier"] == "gold"
    assert all(r["active"] and r["name"]["zh-Hant"] for r in items)
    assert [c["id"] for c in catalogue["categories"]] == [
        "drinks",
        "food",
        "merchandise",
        "experiences",
    ]
    assert catalogue["delta"] is False and catalogue["removed"] == []


def test_catalogue_etag_ignores_the_server_clock_and_answers_304(client):
    first = client.get("/v1/rewards")
    second = client.get("/v1/rewards")
    assert first.json()["server_time"] != second.json()["server_time"]
    assert first.headers["ETag"] == second.headers["ETag"]
    again = client.get("/v1/rewards", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_updated_since_returns_only_rewards_changed_since(client, smtp, till):
    before = client.get("/v1/rewards")
    since = before.json()["server_time"]
    delta = _catalogue(client, updated_since=since)
    assert delta["delta"] is True and delta["items"] == [] and delta["removed"] == []

    member = sign_in(client, smtp)
    till.give_points(member, "400.00")
    assert _redeem(member, "ceramic-mug", idem()["Idempotency-Key"]).status_code == 201

    delta = _catalogue(client, updated_since=since)
    assert [(r["id"], r["stock"]) for r in delta["items"]] == [("ceramic-mug", 24)]
    reply = client.get("/v1/rewards", headers={"If-None-Match": before.headers["ETag"]})
    assert reply.status_code == 200 and reply.headers["ETag"] != before.headers["ETag"]


def test_updated_since_needs_a_time_zone(client):
    reply = client.get("/v1/rewards", params={"updated_since": "2026-01-01T00:00:00"})
    body = assert_problem(reply, 422, "invalid-timestamp")
    assert "UTC offset" in body["detail"]
    assert_problem(client.get("/v1/rewards", params={"updated_since": "yesterday"}), 422)


@pytest.mark.parametrize("edge", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_updated_since_beyond_the_first_or_last_utc_instant_is_422_and_the_link_lives(client, edge):
    body = assert_problem(client.get("/v1/rewards", params={"updated_since": edge}), 422)
    assert body["type"] == "/problems/invalid-timestamp"
    # The same keep-alive connection still answers (a 500 here once dropped it).
    assert client.get("/v1/rewards").status_code == 200


def test_redeem_issues_a_voucher_and_the_same_key_spends_only_once(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "100.00")
    key = "redeem-once-0001"

    first = _redeem(member, "oat-milk", key)
    assert first.status_code == 201, first.text
    result = first.json()
    voucher = result["voucher"]
    assert result["points_spent"] == 200 and result["balance"] == 800
    assert voucher["reward_id"] == "oat-milk" and voucher["status"] == "usable"
    assert voucher["qr_payload"] == f"HBR-V:{voucher['code']}"
    assert member.balance() == 800

    again = _redeem(member, "oat-milk", key)
    assert again.status_code == 201
    assert again.json() == result
    assert member.balance() == 800
    redeems = [e for e in member.ledger() if e["kind"] == "redeem"]
    assert [e["amount"] for e in redeems] == [-200]
    vouchers = member.get("/v1/vouchers").json()["items"]
    assert [v["id"] for v in vouchers] == [voucher["id"]]


def test_reusing_a_key_for_another_reward_is_refused(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "100.00")
    key = "reused-key-0001"
    assert _redeem(member, "oat-milk", key).status_code == 201
    body = assert_problem(_redeem(member, "extra-shot", key), 422, "idempotency-key-reused")
    assert "different request" in body["detail"]
    assert member.balance() == 800


def test_redeem_without_a_usable_idempotency_key_is_422(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "100.00")
    # One answer for every unusable key, the documented header rule (8 to 128 visible ASCII).
    for key in (None, "short", "7-chars", "k" * 129, "with space"):
        assert_problem(_redeem(member, "oat-milk", key), 422, "validation")
    assert member.balance() == 1000


def test_redeem_with_too_few_points_is_409_and_spends_nothing(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "15.00")
    body = assert_problem(_redeem(member, "oat-milk", idem()["Idempotency-Key"]), 409)
    assert body["type"] == "/problems/insufficient-points"
    assert (body["needed"], body["balance"]) == (200, 150)
    assert member.balance() == 150
    assert member.get("/v1/vouchers").json()["items"] == []


def test_reward_above_the_members_tier_is_403(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "299.00")  # 2990 points: plenty, but still Harbor Green
    reply = _redeem(member, "insulated-tumbler", idem()["Idempotency-Key"])
    body = assert_problem(reply, 403, "tier-too-low")
    assert body["min_tier"] == "gold" and "Harbor Gold" in body["detail"]
    assert member.balance() == 2990
    assert _stock(client, "insulated-tumbler") == 40


def test_gold_member_can_redeem_a_gold_reward(client, smtp, till):
    member = sign_in(client, smtp)
    assert till.give_points(member, "300.00")["tier_change"] == "up"
    assert till.give_points(member, "300.00")["points"] == 3750  # gold earns 25 % more
    reply = _redeem(member, "insulated-tumbler", idem()["Idempotency-Key"])
    assert reply.status_code == 201, reply.text
    assert reply.json()["balance"] == 3000 + 3750 - 5500
    assert _stock(client, "insulated-tumbler") == 39


def test_last_item_in_stock_goes_once_then_409_out_of_stock(client, smtp, till):
    first, second = sign_in(client, smtp), sign_in(client, smtp)
    for member in (first, second):
        till.give_points(member, "100.00")
    key = idem()["Idempotency-Key"]
    won = _redeem(first, "pastry", key)
    assert won.status_code == 201, won.text
    assert _stock(client, "pastry") == 0

    body = assert_problem(_redeem(second, "pastry", idem()["Idempotency-Key"]), 409)
    assert body["type"] == "/problems/out-of-stock"
    assert second.balance() == 1000
    assert _stock(client, "pastry") == 0
    # the winner's retry is still answered from the first result
    assert _redeem(first, "pastry", key).json() == won.json()
    assert first.balance() == 400


def test_reward_past_its_last_day_is_409_reward_expired(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "700.00")
    reply = _redeem(member, "cupping-session", idem()["Idempotency-Key"])
    body = assert_problem(reply, 409, "reward-expired")
    assert "2020-03-31" in body["detail"]
    assert member.balance() == 7000


def test_unknown_reward_is_404_and_redeem_needs_sign_in(client, smtp):
    member = sign_in(client, smtp)
    assert_problem(
        _redeem(member, "free-yacht", idem()["Idempotency-Key"]), 404, "reward-not-found"
    )
    reply = client.post("/v1/rewards/oat-milk/redeem", headers=idem())
    assert_problem(reply, 401, "unauthorized")
