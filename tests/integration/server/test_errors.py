"""Refusals over real HTTP: body limits, malformed JSON, unknown routes, and problem+json
(with type, title and detail) on every 4xx answer."""

from __future__ import annotations

import json

import pytest

from tests.support.loyalty_http import (
    assert_problem,
    idem,
    sign_in,
)

LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def member(client, smtp):
    return sign_in(client, smtp)


def _padded_json(size: int) -> bytes:
    """A JSON object of exactly SIZE bytes."""
    empty = json.dumps({"email": "a@example.test", "pad": ""}).encode()
    return json.dumps({"email": "a@example.test", "pad": "x" * (size - len(empty))}).encode()


def test_body_over_64_kib_is_413_problem(client, till):
    body = _padded_json(LIMIT + 1)
    reply = client.post("/v1/auth/code", content=body, headers={"Content-Type": "application/json"})
    problem = assert_problem(reply, 413, "payload-too-large")
    assert str(LIMIT) in problem["detail"]
    reply = client.post(
        "/v1/checkout/credit",
        content=body,
        headers={**till.headers, **idem(), "Content-Type": "application/json"},
    )
    assert_problem(reply, 413, "payload-too-large")


def test_streamed_body_over_64_kib_without_length_is_413_problem(client):
    body = _padded_json(4 * LIMIT)

    def chunks():
        for i in range(0, len(body), 8192):
            yield body[i : i + 8192]

    reply = client.post(
        "/v1/auth/code", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in reply.request.headers
    assert_problem(reply, 413, "payload-too-large")


def test_body_of_exactly_64_kib_is_not_too_large(client):
    reply = client.post(
        "/v1/auth/code",
        content=_padded_json(LIMIT),
        headers={"Content-Type": "application/json"},
    )
    # read in full, then refused for its unknown field, not for its size
    assert_problem(reply, 422, "validation")


@pytest.mark.parametrize(
    "content",
    [b'{"email": ', b"not json", b"[1, 2]", b'"text"', b""],
    ids=["truncated", "not-json", "array", "string", "empty"],
)
def test_malformed_json_is_a_422_validation_problem(client, content):
    reply = client.post(
        "/v1/auth/code", content=content, headers={"Content-Type": "application/json"}
    )
    body = assert_problem(reply, 422, "validation")
    assert body["detail"].startswith("Check these fields")
    assert isinstance(body["errors"], list) and body["errors"]


def test_unknown_fields_are_refused_by_name(client):
    reply = client.post("/v1/auth/code", json={"email": "a@example.test", "emial": "typo"})
    body = assert_problem(reply, 422, "validation")
    assert "emial" in body["detail"]


def test_unknown_route_is_a_404_problem(client):
    body = assert_problem(client.get("/v1/nothing-here"), 404, "not-found")
    assert body["instance"] == "/v1/nothing-here"
    assert_problem(client.post("/v2/me", json={}), 404, "not-found")


def test_wrong_method_is_a_405_problem(client):
    assert_problem(client.delete("/v1/me"), 405, "method-not-allowed")
    assert_problem(client.get("/v1/auth/verify"), 405, "method-not-allowed")


def test_every_4xx_answer_is_problem_json_with_type_title_and_detail(client, member, till):
    """A sweep over refusals from every router: all of them are problem+json."""
    auth, staff = member.headers, till.headers
    cases = [
        ("POST", "/v1/auth/code", {"json": {"phone": "12"}}, 422),
        ("POST", "/v1/auth/verify", {"json": {"email": "nobody@example.test", "code": "1"}}, 401),
        ("POST", "/v1/auth/refresh", {"json": {"refresh_token": "x"}}, 401),
        ("POST", "/v1/auth/demo", {"json": {}}, 404),
        ("GET", "/v1/me", {}, 401),
        ("PATCH", "/v1/me", {"json": {"language": "xx"}, "headers": auth}, 422),
        ("GET", "/v1/ledger", {"params": {"cursor": "@@"}, "headers": auth}, 422),
        ("GET", "/v1/ledger", {"params": {"limit": 0}, "headers": auth}, 422),
        ("GET", "/v1/me/tier", {"headers": {"Authorization": "Basic abc"}}, 401),
        ("POST", "/v1/referral/claim", {"json": {"code": ""}, "headers": auth}, 422),
        ("GET", "/v1/rewards", {"params": {"updated_since": "2026-01-01"}}, 422),
        ("POST", "/v1/rewards/oat-milk/redeem", {"headers": auth}, 422),  # no Idempotency-Key
        ("POST", "/v1/rewards/oat-milk/redeem", {"headers": {**auth, **idem()}}, 409),
        ("POST", "/v1/rewards/nope/redeem", {"headers": {**auth, **idem()}}, 404),
        ("GET", "/v1/checkout/whoami", {"headers": auth}, 403),
        ("POST", "/v1/checkout/scan", {"json": {}, "headers": staff}, 422),
        ("POST", "/v1/checkout/lookup", {"json": {"member_number": "x"}, "headers": staff}, 422),
        (
            "POST",
            "/v1/checkout/credit",
            {"json": {"member_number": "1", "amount": "1"}, "headers": staff},
            422,  # no Idempotency-Key, a short member number
        ),
        ("POST", "/v1/checkout/credits/0/void", {"headers": {**staff, **idem()}}, 422),
        ("POST", "/v1/checkout/credits/5/void", {"headers": {**staff, **idem()}}, 404),
        (
            "POST",
            "/v1/checkout/vouchers/redeem",
            {"json": {"code": "ZZZZZZZZ"}, "headers": {**staff, **idem()}},
            404,
        ),
        ("POST", "/v1/checkout/join", {"json": {}, "headers": {**staff, **idem()}}, 422),
        ("GET", "/r/NOSUCH", {}, 404),
        ("GET", "/nope", {}, 404),
        ("PUT", "/healthz", {}, 405),
    ]
    for method, path, kwargs, status in cases:
        reply = client.request(method, path, **kwargs)
        assert_problem(reply, status)
        assert reply.json()["instance"] == path, (method, path)
