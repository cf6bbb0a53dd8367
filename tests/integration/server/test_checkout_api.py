"""The till over real HTTP: staff credentials, scanning rotating cards, crediting purchases,
voids, vouchers, member-number lookup and joining at the kiosk."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from loyalty_core.member_number import (
    format_member_number,
    is_valid_member_number,
    luhn_check_digit,
)
from tests.support.loyalty_http import (
    Till,
    assert_problem,
    idem,
    sign_in,
    unique_email,
)
from tests.support.servers import add_staff


@pytest.fixture(scope="module")
def till_staff() -> tuple[str, str]:
    """Names whoami must answer with."""
    return "Lena", "Harbor Pier 7"


@pytest.fixture
def member(client, smtp):
    return sign_in(client, smtp, name="Ada Byron Lovelace")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


# --------------------------------------------------------------------------- credentials


def test_checkout_without_a_staff_credential_is_401(client):
    assert_problem(client.get("/v1/checkout/whoami"), 401, "staff-credential-required")
    reply = client.post("/v1/checkout/scan", json={"token": "x"})
    body = assert_problem(reply, 401, "staff-credential-required")
    assert "staff" in body["detail"].lower()


def test_checkout_with_an_unknown_staff_credential_is_403(client):
    reply = client.get("/v1/checkout/whoami", headers={"Authorization": "Bearer stf_forged"})
    assert_problem(reply, 403, "staff-credential-invalid")


def test_member_access_token_is_not_a_staff_credential_and_vice_versa(client, member, till):
    reply = client.post(
        "/v1/checkout/scan", json={"token": member.card_token()}, headers=member.headers
    )
    assert_problem(reply, 403, "staff-credential-invalid")
    reply = client.post(
        "/v1/checkout/credit",
        json={"member_number": member.member_number, "amount": "5.00"},
        headers={**member.headers, **idem()},
    )
    assert_problem(reply, 403, "staff-credential-invalid")
    assert member.balance() == 0
    assert_problem(client.get("/v1/me", headers=till.headers), 401, "unauthorized")


def test_whoami_names_the_staff_member_and_store(client, till):
    reply = client.get("/v1/checkout/whoami", headers=till.headers)
    assert reply.status_code == 200, reply.text
    assert reply.json()["name"] == "Lena" and reply.json()["store"] == "Harbor Pier 7"


# --------------------------------------------------------------------------- scanning


def test_scan_shows_a_short_name_and_never_contact_details(till, member):
    reply = till.scan(member.card_token())
    assert reply.status_code == 200, reply.text
    summary = reply.json()
    assert summary["display_name"] == "Ada L."
    assert summary["member_number"] == member.member_number
    assert summary["member_id"] == member.session["member_id"]
    assert summary["tier"]["code"] == "green" and summary["balance"] == 0
    assert summary["vouchers"] == []
    assert set(summary) == {
        "member_id",
        "display_name",
        "member_number",
        "tier",
        "balance",
        "vouchers",
        "next_tier",
        "points_to_next",
        "tier_fraction",
    }
    for private in (member.email, "Lovelace", "Byron", "email", "phone"):
        assert private not in reply.text


def test_the_same_card_code_scanned_twice_is_409_token_replayed(till, member):
    token = member.card_token()
    assert till.scan(token).status_code == 200
    body = assert_problem(till.scan(token), 409, "token-replayed")
    assert "live card" in body["detail"]


def test_credit_after_scan_with_the_same_code_works_once(till, member):
    token = member.card_token()
    assert till.scan(token).status_code == 200
    reply = till.credit("12.50", token=token)
    assert reply.status_code == 201, reply.text
    result = reply.json()
    assert (result["points"], result["base_points"], result["bonus_points"]) == (125, 125, 0)
    assert result["purchase_amount"] == "12.50" and result["currency"] == "USD"
    assert result["balance"] == 125 and result["display_name"] == "Ada L."

    assert_problem(till.credit("12.50", token=token), 409, "token-replayed")
    assert_problem(till.credit("3.00", token=token), 409, "token-replayed")
    assert_problem(till.scan(token), 409, "token-replayed")
    assert member.balance() == 125


def test_code_scanned_at_one_till_is_replayed_at_another_till(client, module_server, till, member):
    token = member.card_token()
    assert till.scan(token).status_code == 200
    other = Till(client, add_staff(module_server.database_url, "Jo", "Harbor Pier 9"))
    assert_problem(other.credit("5.00", token=token), 409, "token-replayed")
    assert member.balance() == 0
    # the till that scanned the code may still credit it
    assert till.credit("5.00", token=token).status_code == 201


def test_offline_scan_time_must_be_recent_zoned_and_not_in_the_future(till, member):
    old = time.time() - 8 * 24 * 3600
    reply = till.credit("8.00", token=member.card_token(at=old), scanned_at=_iso(old))
    assert_problem(reply, 422, "token-expired")
    future = time.time() + 3600
    reply = till.credit("8.00", token=member.card_token(at=future), scanned_at=_iso(future))
    assert_problem(reply, 422, "scan-time-invalid")
    naive = datetime.now(UTC).replace(tzinfo=None).isoformat()
    reply = till.scan(member.card_token(), scanned_at=naive)
    assert_problem(reply, 422, "scan-time-invalid")
    assert member.balance() == 0


def test_a_code_older_than_the_window_is_token_expired(till, member):
    token = member.card_token(at=time.time() - 5 * 60)
    body = assert_problem(till.scan(token), 422, "token-expired")
    assert "live card" in body["detail"]


@pytest.mark.parametrize(
    ("text", "slug", "words"),
    [
        ("hello world", "not-our-code", "not from this loyalty programme"),
        ("ACME:c0123456789ab:1700000010:12345678", "not-our-code", "not from this"),
        ("https://example.com/card/42", "not-our-code", "not from this"),
        ("HBR:c0123456789ab:123:12", "unreadable-code", "incomplete or damaged"),
        ("HBR:not-a-card", "unreadable-code", "incomplete or damaged"),
        ("HBR", "unreadable-code", "incomplete or damaged"),
        ("   ", "unreadable-code", "scan again"),
        ("HBR:c0123456789ab:1700000010:1234\x005678", "unreadable-code", "scan again"),
        ("HBR-V:ABCDEFGHJK", "voucher-not-card", "voucher"),
    ],
    ids=[
        "garbage",
        "other-programme",
        "url",
        "short-fields",
        "no-fields",
        "prefix-only",
        "blank",
        "control-char",
        "voucher",
    ],
)
def test_scanning_text_that_is_no_usable_card_is_422_with_a_clear_detail(till, text, slug, words):
    body = assert_problem(till.scan(text), 422, slug)
    assert words in body["detail"]


def test_a_well_formed_code_for_an_unknown_card_or_with_a_wrong_code_is_refused(till, member):
    token = member.card_token()
    prefix, card_id, step, code = token.split(":")
    unknown = f"{prefix}:c000000000000:{step}:{code}"
    assert_problem(till.scan(unknown), 422, "unknown-card")
    wrong = f"{prefix}:{card_id}:{step}:{(int(code) + 1) % 10**8:08d}"
    body = assert_problem(till.scan(wrong), 422, "token-invalid")
    assert "not valid" in body["detail"]
    # the genuine code is still unused
    assert till.scan(token).status_code == 200


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "amount", ["-1", "0", "abc", "12.505", "1e9", "NaN", "Infinity", "1000.01", " ", "0.001"]
)
def test_invalid_amounts_are_422_invalid_amount_and_credit_nothing(till, member, amount):
    body = assert_problem(
        till.credit(amount, member_number=member.member_number), 422, "invalid-amount"
    )
    assert body["detail"]
    assert_problem(till.credit(amount, token=member.card_token()), 422, "invalid-amount")
    assert member.balance() == 0
    assert member.ledger() == []


def test_credit_needs_exactly_one_of_card_and_member_number(till, member):
    assert_problem(till.credit("5.00"), 422, "card-required")
    reply = till.credit("5.00", token=member.card_token(), member_number=member.member_number)
    assert_problem(reply, 422, "card-required")


def test_credit_without_idempotency_key_is_422(client, till, member):
    reply = client.post(
        "/v1/checkout/credit",
        json={"member_number": member.member_number, "amount": "5.00"},
        headers=till.headers,
    )
    # The header is required in the document, so its absence is a schema violation: 422.
    assert_problem(reply, 422, "validation")
    assert member.balance() == 0


def test_the_same_idempotency_key_credits_once(till, member):
    token = member.card_token()
    first = till.credit("20.00", token=token, key="kiosk-retry-0001")
    assert first.status_code == 201, first.text
    again = till.credit("20.00", token=token, key="kiosk-retry-0001")
    assert again.status_code == 201 and again.json() == first.json()
    assert member.balance() == 200
    assert len(member.ledger()) == 1
    other = till.credit("21.00", token=token, key="kiosk-retry-0001")
    assert_problem(other, 422, "idempotency-key-reused")
    assert member.balance() == 200


def test_voiding_a_credit_takes_the_points_back_once(till, member):
    till.give_points(member, "10.00")
    credit = till.give_points(member, "20.00")
    assert member.balance() == 300

    key = "void-once-0001"
    reply = till.post(f"/credits/{credit['credit_id']}/void", {}, key)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"credit_id": credit["credit_id"], "points_removed": 200, "balance": 100}
    assert member.balance() == 100
    ledger = member.ledger()
    assert [(e["kind"], e["amount"], e["voided"]) for e in ledger] == [
        ("void", -200, False),
        ("purchase", 200, True),
        ("purchase", 100, False),
    ]
    assert ledger[0]["reason"] == "purchase_voided"

    replay = till.post(f"/credits/{credit['credit_id']}/void", {}, key)
    assert replay.status_code == 200 and replay.json() == reply.json()
    again = till.post(f"/credits/{credit['credit_id']}/void", {})
    assert_problem(again, 409, "already-voided")
    assert member.balance() == 100
    assert_problem(till.post("/credits/999999/void", {}), 404, "credit-not-found")


def test_a_credit_whose_points_were_spent_cannot_be_voided(till, member):
    credit = till.give_points(member, "20.00")
    assert member.post("/v1/rewards/oat-milk/redeem", headers=idem()).status_code == 201
    reply = till.post(f"/credits/{credit['credit_id']}/void", {})
    assert_problem(reply, 409, "points-already-spent")
    assert member.balance() == 0


# --------------------------------------------------------------------------- vouchers


def _voucher(member, till, reward_id: str = "oat-milk") -> dict:
    till.give_points(member, "20.00")
    reply = member.post(f"/v1/rewards/{reward_id}/redeem", headers=idem())
    assert reply.status_code == 201, reply.text
    return reply.json()["voucher"]


def test_a_voucher_is_redeemed_once_then_409_voucher_used(till, member):
    voucher = _voucher(member, till)
    summary = till.scan(member.card_token()).json()
    assert [v["id"] for v in summary["vouchers"]] == [voucher["id"]]

    reply = till.post("/vouchers/redeem", {"code": voucher["qr_payload"]})
    assert reply.status_code == 200, reply.text
    assert reply.json()["voucher"]["status"] == "used"
    assert reply.json()["member_display_name"] == "Ada L."

    body = assert_problem(till.post("/vouchers/redeem", {"code": voucher["code"]}), 409)
    assert body["type"] == "/problems/voucher-used"
    mine = member.get("/v1/vouchers").json()["items"]
    assert [(v["id"], v["status"]) for v in mine] == [(voucher["id"], "used")]
    assert till.lookup(member.member_number).json()["vouchers"] == []


def test_a_typed_voucher_code_is_accepted_with_dashes_and_lower_case(till, member):
    code = _voucher(member, till)["code"]
    typed = f"{code[:5].lower()}-{code[5:].lower()}"
    reply = till.post("/vouchers/redeem", {"code": typed})
    assert reply.status_code == 200, reply.text


def test_unknown_or_malformed_voucher_codes_are_refused(till):
    assert_problem(
        till.post("/vouchers/redeem", {"code": "HBR-V:ABCDEFGHJK"}), 404, "unknown-voucher"
    )
    assert_problem(till.post("/vouchers/redeem", {"code": "0000"}), 422, "invalid-voucher-code")


# --------------------------------------------------------------------------- lookup and join


def test_member_number_lookup_accepts_the_printed_grouping(till, member):
    reply = till.lookup(format_member_number(member.member_number))
    assert reply.status_code == 200, reply.text
    assert reply.json()["member_id"] == member.session["member_id"]


def test_member_number_with_a_wrong_check_digit_is_422(till, member):
    number = member.member_number
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    body = assert_problem(till.lookup(typo), 422, "bad-check-digit")
    assert "check digit" in body["detail"]
    assert_problem(till.credit("5.00", member_number=typo), 422, "bad-check-digit")
    assert member.balance() == 0


def test_member_number_lookup_refuses_unknown_numbers_and_other_codes(till, member):
    unknown = "80000000000" + luhn_check_digit("80000000000")
    assert_problem(till.lookup(unknown), 404, "unknown-member")
    assert_problem(till.lookup("HBR-V:ABCDEFGHJK"), 422, "not-a-member-number")
    assert_problem(till.lookup(member.card_token()), 422, "validation")  # too long


def test_ninth_visit_fills_the_punch_card_and_issues_a_voucher(till, member):
    results = [till.give_points(member, "3.00") for _ in range(9)]
    assert [r["punch_card"]["stamps"] for r in results] == [1, 2, 3, 4, 5, 6, 7, 8, 0]
    assert all(r["voucher_issued"] is None for r in results[:8])
    issued = results[8]["voucher_issued"]
    assert issued["reward_id"] == "handcrafted-drink" and issued["source"] == "punch_card"
    assert [v["id"] for v in member.get("/v1/vouchers").json()["items"]] == [issued["id"]]


def test_join_at_the_kiosk_with_a_referral_code(client, smtp, till):
    friend = sign_in(client, smtp)
    code = friend.get("/v1/referral").json()["code"]
    email = unique_email("walkin")
    body = {"email": email, "name": "Wei Lin", "referral_code": code.lower()}

    reply = till.post("/join", body, key="join-walkin-0001")
    assert reply.status_code == 201, reply.text
    joined = reply.json()
    assert joined["referral_applied"] is True and joined["display_name"] == "Wei L."
    assert is_valid_member_number(joined["member_number"])
    assert joined["app_link"].endswith("/app")
    assert till.post("/join", body, key="join-walkin-0001").json() == joined
    assert_problem(till.post("/join", body), 409, "already-member")
    assert friend.get("/v1/referral").json()["stats"]["joined"] == 1

    # the new member signs in with the app later, and the first purchase pays both bonuses
    walkin = sign_in(client, smtp, email)
    assert walkin.session["new_member"] is False
    assert walkin.member_number == joined["member_number"]
    assert till.give_points(walkin, "10.00")["referral_bonus"] == 250
    assert friend.balance() == 500


def test_join_with_an_unknown_referral_code_creates_no_member(till):
    email = unique_email("walkin")
    body = {"email": email, "name": "Wei Lin", "referral_code": "NOSUCH99"}
    assert_problem(till.post("/join", body), 422, "unknown-referral-code")
    reply = till.post("/join", {"email": email, "name": "Wei Lin"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["referral_applied"] is False
    assert_problem(till.post("/join", {"email": "nope"}), 422, "invalid-email")
