"""What issue 10 saw the OpenAPI document leave unsaid, one test each: the server and the
committed document agree on every header, format, length and "one of" rule, and bad times and
dates are 422 (the schemathesis run checks the same in general; these pin the cases seen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.loyalty_http import assert_problem, idem, sign_in

OPENAPI = json.loads(
    (Path(__file__).resolve().parents[3] / "src/loyalty_core/openapi.json").read_text("utf-8")
)
SCHEMAS = OPENAPI["components"]["schemas"]
KEYED = [
    ("/v1/rewards/{reward_id}/redeem", "post"),
    ("/v1/checkout/credit", "post"),
    ("/v1/checkout/credits/{credit_id}/void", "post"),
    ("/v1/checkout/vouchers/redeem", "post"),
    ("/v1/checkout/join", "post"),
]


@pytest.mark.parametrize(("path", "method"), KEYED)
def test_idempotency_key_is_a_required_header_with_its_rule_in_the_document(path, method):
    [header] = [
        p for p in OPENAPI["paths"][path][method]["parameters"] if p["name"] == "Idempotency-Key"
    ]
    assert header["in"] == "header" and header["required"] is True
    assert header["schema"]["pattern"] == "^[!-~]{8,128}$"


@pytest.mark.parametrize("key", [None, "7-chars", "k" * 129, "has space"])
def test_every_unusable_idempotency_key_gets_the_same_422(client, smtp, key):
    member = sign_in(client, smtp)
    headers = {} if key is None else {"Idempotency-Key": key}
    assert_problem(member.post("/v1/rewards/oat-milk/redeem", headers=headers), 422, "validation")


def test_the_one_of_email_or_phone_rule_and_the_formats_are_in_the_document():
    for name in ("CodeRequest", "VerifyRequest", "JoinRequest"):
        branches = SCHEMAS[name]["oneOf"]
        assert [b["required"] for b in branches] == [["email"], ["phone"]], name
    assert "oneOf" in SCHEMAS["CreditRequest"]
    patterns = {
        ("CodeRequest", "email"),
        ("CodeRequest", "phone"),
        ("VerifyRequest", "code"),
        ("VerifyRequest", "referral_code"),
        ("MemberNumberLookup", "member_number"),
        ("CreditRequest", "member_number"),
        ("CreditRequest", "token"),
        ("CreditRequest", "amount"),
        ("ScanRequest", "token"),
        ("ClaimRequest", "code"),
        ("VoucherRedeemRequest", "code"),
    }
    for schema, field in patterns:
        prop = SCHEMAS[schema]["properties"][field]
        options = prop.get("anyOf", [prop])
        assert any("pattern" in o for o in options), f"{schema}.{field} states no format"
    [cursor] = [
        p for p in OPENAPI["paths"]["/v1/ledger"]["get"]["parameters"] if p["name"] == "cursor"
    ]
    assert "pattern" in json.dumps(cursor)


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        ({}, "identity-required"),
        ({"email": "a@harbor.test", "phone": "+4915112345678"}, "identity-required"),
        ({"email": None, "phone": None}, "identity-required"),
        ({"email": "not-an-address"}, "invalid-email"),
        ({"email": " a@harbor.test"}, "invalid-email"),
        ({"phone": "12"}, "invalid-phone"),
    ],
)
def test_code_requests_break_the_documented_rules_with_their_own_problem(client, body, slug):
    assert_problem(client.post("/v1/auth/code", json=body), 422, slug)


@pytest.mark.parametrize("since", ["0.5", "0", "1700000000", "2026-01-01", "2026-01-01T00:00:00"])
def test_updated_since_that_is_no_zoned_rfc3339_time_is_422(client, since):
    body = assert_problem(client.get("/v1/rewards", params={"updated_since": since}), 422)
    assert body["type"] == "/problems/invalid-timestamp"


@pytest.mark.parametrize("birthday", [0, 19900101, "1990-1-1", "01/02/1990", True])
def test_a_birthday_that_is_no_calendar_date_is_422(client, smtp, birthday):
    member = sign_in(client, smtp)
    reply = member.client.patch("/v1/me", json={"birthday": birthday}, headers=member.headers)
    assert_problem(reply, 422, "validation")
    assert member.me()["birthday"] is None


def test_a_scan_time_that_is_a_number_is_422(till, client, smtp):
    member = sign_in(client, smtp)
    reply = till.scan(member.member_number, scanned_at=0)
    assert_problem(reply, 422, "scan-time-invalid")


@pytest.mark.parametrize("method", ["OPTIONS", "DELETE", "PUT"])
def test_a_method_the_path_does_not_have_names_every_method_it_has(client, method):
    reply = client.request(method, "/v1/me")
    assert_problem(reply, 405, "method-not-allowed")
    assert sorted(m.strip() for m in reply.headers["Allow"].split(",")) == ["GET", "PATCH"]


def test_an_unknown_referral_link_is_a_problem_not_html(client):
    reply = client.get("/r/NOSUCH99")
    assert_problem(reply, 404, "not-found")


def test_a_keyed_call_with_a_good_key_still_works(client, smtp, till):
    member = sign_in(client, smtp)
    till.give_points(member, "100.00")
    assert member.post("/v1/rewards/oat-milk/redeem", headers=idem()).status_code == 201
