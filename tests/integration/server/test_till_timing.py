"""What the till books when time passes between the scan, the credit and a retry: the real
app in-process on the run's database, with a clock the test moves (waiting for the wall
clock would take minutes and flake at step boundaries)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loyalty_core.card.token import CardCredential, make_token
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import assert_problem


@pytest.fixture
def shop(database_url) -> ClockedServer:
    with clocked_server(database_url) as server:
        yield server


def _member(shop: ClockedServer) -> tuple[dict[str, str], CardCredential]:
    session = shop.client.post("/v1/auth/demo", json={"device_name": "pytest"}).json()
    card = CardCredential(**session["card"])
    return {"Authorization": f"Bearer {session['access_token']}"}, card


def _balance(shop: ClockedServer, member: dict[str, str]) -> int:
    return shop.client.get("/v1/me", headers=member).json()["balance"]


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def _credit(shop, till, body, key):  # noqa: ANN001, ANN202
    return shop.client.post(
        "/v1/checkout/credit", json=body, headers=till | {"Idempotency-Key": key}
    )


def test_a_retried_credit_gets_its_first_answer_after_the_code_expired(shop):
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    before = _balance(shop, member)
    body = {"token": make_token(card, shop.clock.now.timestamp()), "amount": "4.75"}
    first = _credit(shop, till, body, "till-1-credit-0001")
    assert first.status_code == 201, first.text
    # The kiosk timed out and retries the same intent minutes later: the code has expired,
    # but the credit was booked and the answer must say so, not "token expired".
    shop.clock.advance(120)
    again = _credit(shop, till, body, "till-1-credit-0001")
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert _balance(shop, member) == before + first.json()["points"]


def test_a_code_scanned_by_a_till_can_be_credited_by_it_within_the_window(shop):
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    token = make_token(card, shop.clock.now.timestamp())
    scanned = shop.client.post("/v1/checkout/scan", json={"token": token}, headers=till)
    assert scanned.status_code == 200, scanned.text
    shop.clock.advance(56)  # the cashier rings up the order
    credited = _credit(shop, till, {"token": token, "amount": "12.50"}, "till-1-credit-0002")
    assert credited.status_code == 201, credited.text
    # The scan paid for one credit: the same code again is a replay.
    twice = _credit(shop, till, {"token": token, "amount": "12.50"}, "till-1-credit-0003")
    assert twice.status_code == 409 and twice.json()["type"] == "/problems/token-replayed"


def test_a_scanned_code_is_not_credited_by_another_till_or_after_the_window(shop):
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    other = shop.staff("Noor Haddad", "Harbor Coffee Pier 9")
    token = make_token(card, shop.clock.now.timestamp())
    before = _balance(shop, member)
    assert shop.client.post("/v1/checkout/scan", json={"token": token}, headers=till).is_success
    shop.clock.advance(56)
    elsewhere = _credit(shop, other, {"token": token, "amount": "3.00"}, "till-2-credit-0001")
    assert elsewhere.status_code in (409, 422), elsewhere.text
    shop.clock.advance(15 * 60)
    late = _credit(shop, till, {"token": token, "amount": "3.00"}, "till-1-credit-0004")
    assert late.status_code in (409, 422), late.text
    member, _ = _member(shop)  # the first access token has expired by now
    assert _balance(shop, member) == before


def test_a_credit_queued_after_an_online_scan_pays_once_when_it_comes_late(shop):
    """The till scanned online, then the link went down: the credit, sent with its scan time
    when the link is back after the window, pays once; from another till it does not."""
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    other = shop.staff("Noor Haddad", "Harbor Coffee Pier 9")
    scanned = shop.clock.now.timestamp()
    token = make_token(card, scanned)
    before = _balance(shop, member)
    body = {"token": token, "scanned_at": _iso(scanned)}
    assert shop.client.post("/v1/checkout/scan", json=body, headers=till).is_success
    shop.clock.advance(20 * 60)
    queued = body | {"amount": "6.40"}
    elsewhere = _credit(shop, other, queued, "till-2-credit-0002")
    assert_problem(elsewhere, 409, "token-replayed")
    late = _credit(shop, till, queued, "till-1-credit-0005")
    assert late.status_code == 201, late.text
    assert late.json()["points"] == 64
    twice = _credit(shop, till, queued, "till-1-credit-0006")
    assert_problem(twice, 409, "token-replayed")
    member, _ = _member(shop)  # the first access token has expired by now
    assert _balance(shop, member) == before + 64


def test_offline_kiosk_credit_verifies_the_code_against_the_scan_time(shop):
    member, card = _member(shop)  # the card is issued now
    till = shop.staff("Lena", "Harbor Pier 7")
    before = _balance(shop, member)
    scanned = shop.clock.now.timestamp() + 5
    token = make_token(card, scanned)
    shop.clock.advance(3600)  # queued by a kiosk that was offline for an hour
    body = assert_problem(
        _credit(shop, till, {"token": token, "amount": "8.00"}, "offline-k-0001"),
        422,
        "token-expired",
    )
    assert "expired" in body["detail"]
    member, _ = _member(shop)  # the first access token has expired by now
    assert _balance(shop, member) == before

    offline = {"token": token, "amount": "8.00", "scanned_at": _iso(scanned + 5)}
    reply = _credit(shop, till, offline, "offline-k-0002")
    assert reply.status_code == 201, reply.text
    assert reply.json()["points"] == 80
    assert _balance(shop, member) == before + 80
    again = _credit(shop, till, offline, "offline-k-0003")
    assert_problem(again, 409, "token-replayed")


def test_an_offline_scan_dated_before_the_card_existed_is_refused(shop):
    member, card = _member(shop)  # the card is issued now
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    before = _balance(shop, member)
    days_ago = shop.clock.now.timestamp() - 3 * 24 * 3600
    body = {
        "token": make_token(card, days_ago),
        "amount": "9.00",
        "scanned_at": shop.clock.now.fromtimestamp(days_ago, shop.clock.now.tzinfo).isoformat(),
    }
    reply = _credit(shop, till, body, "till-1-credit-0005")
    assert reply.status_code == 422, reply.text
    assert reply.json()["type"] == "/problems/scan-time-invalid"
    assert _balance(shop, member) == before


def test_an_offline_scan_dated_after_the_card_was_signed_out_is_refused(shop):
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    shop.clock.advance(60)
    assert shop.client.post("/v1/auth/sign-out", headers=member).status_code in (200, 204)
    shop.clock.advance(60)
    at = shop.clock.now.timestamp() - 10
    body = {
        "token": make_token(card, at),
        "amount": "9.00",
        "scanned_at": shop.clock.now.fromtimestamp(at, shop.clock.now.tzinfo).isoformat(),
    }
    reply = _credit(shop, till, body, "till-1-credit-0006")
    assert reply.status_code == 422 and reply.json()["type"] == "/problems/card-revoked"


@pytest.mark.parametrize(
    "amount", ["1E-999999999999999999", "١٢", "５", "0e5", "1e-40", "1E+999999999999999999"]
)
def test_amounts_that_once_booked_wrong_credit_nothing(shop, amount):
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    before = _balance(shop, member)
    stamps = shop.client.get("/v1/me", headers=member).json()["punch_card"]
    body = {"token": make_token(card, shop.clock.now.timestamp()), "amount": amount}
    reply = _credit(shop, till, body, f"till-1-amount-{abs(hash(amount))}")
    assert reply.status_code == 422 and reply.json()["type"] == "/problems/invalid-amount"
    assert _balance(shop, member) == before
    assert shop.client.get("/v1/me", headers=member).json()["punch_card"] == stamps


@pytest.mark.parametrize(
    "name", ["Eve\u202egnp.exe", "Tom\x07", "Ann\nMarie", "Zoë\u2066x\u2069", "Li\x00"]
)
def test_names_with_control_or_direction_characters_are_refused(shop, name):
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    reply = shop.client.post(
        "/v1/checkout/join",
        json={"email": "new.member@example.org", "name": name},
        headers=till | {"Idempotency-Key": f"join-name-{abs(hash(name))}"},
    )
    assert reply.status_code == 422, reply.text
    assert reply.json()["type"] == "/problems/validation"
    member, _ = _member(shop)
    patched = shop.client.patch("/v1/me", json={"name": name}, headers=member)
    assert patched.status_code == 422


def test_names_in_any_script_are_kept(shop):
    member, _ = _member(shop)
    for name in ("Zoë Ørsted", "林美玲", "محمد", "O'Brien-Núñez"):
        patched = shop.client.patch("/v1/me", json={"name": name}, headers=member)
        assert patched.status_code == 200 and patched.json()["name"] == name


def _credited(shop, till, member_card, key: str) -> int:  # noqa: ANN001
    body = {"token": make_token(member_card, shop.clock.now.timestamp()), "amount": "5.00"}
    reply = _credit(shop, till, body, key)
    assert reply.status_code == 201, reply.text
    return reply.json()["credit_id"]


def _void(shop, till, credit_id: int, key: str):  # noqa: ANN001, ANN202
    return shop.client.post(
        f"/v1/checkout/credits/{credit_id}/void", headers=till | {"Idempotency-Key": key}
    )


def test_only_the_store_that_booked_a_credit_may_void_it(shop):
    member, card = _member(shop)
    pier7 = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    before = _balance(shop, member)
    credit_id = _credited(shop, pier7, card, "void-scope-credit-1")
    elsewhere = _void(
        shop, shop.staff("Noor Haddad", "Harbor Coffee Pier 9"), credit_id, "void-key-0001"
    )
    assert_problem(elsewhere, 403, "void-not-allowed")
    assert _balance(shop, member) == before + 50
    colleague = shop.staff("Leo Park", "Harbor Coffee Pier 7")
    voided = _void(shop, colleague, credit_id, "void-key-0002")
    assert voided.status_code == 200, voided.text
    assert _balance(shop, member) == before


def test_a_credit_can_be_voided_only_until_the_end_of_its_day_in_the_shops_time_zone(shop):
    member, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    zone = ZoneInfo(shop.ctx.programme.time_zone)
    # Book at 23:00 shop time; 59 minutes later it can still be voided, an hour later not.
    local = shop.clock.now.astimezone(zone).replace(hour=23, minute=0, second=0)
    shop.clock.now = local.astimezone(UTC) + timedelta(days=1)
    early = _credited(shop, till, card, "void-window-credit-1")
    shop.clock.advance(59 * 60)
    assert _void(shop, till, early, "void-key-0003").status_code == 200
    late = _credited(shop, till, card, "void-window-credit-2")
    shop.clock.advance(60)
    member, _ = _member(shop)
    before = _balance(shop, member)
    assert_problem(_void(shop, till, late, "void-key-0004"), 409, "void-too-late")
    assert _balance(shop, member) == before


# ---- a void undoes everything the credit did ---------------------------------------------


def _join(shop, till, name: str, email: str, referral_code: str | None = None) -> str:  # noqa: ANN001
    body = {"email": email, "name": name} | (
        {"referral_code": referral_code} if referral_code else {}
    )
    reply = shop.client.post(
        "/v1/checkout/join", json=body, headers=till | {"Idempotency-Key": f"join-{email}"}
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["member_number"]


def _summary(shop, till, number: str) -> dict:  # noqa: ANN001
    reply = shop.client.post("/v1/checkout/lookup", json={"member_number": number}, headers=till)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _credit_number(shop, till, number: str, amount: str, key: str) -> dict:  # noqa: ANN001
    reply = _credit(shop, till, {"member_number": number, "amount": amount}, key)
    assert reply.status_code == 201, reply.text
    return reply.json()


def test_voiding_a_first_purchase_withdraws_both_referral_bonuses_and_it_pays_once_later(shop):
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    mei, _ = _member(shop)
    code = shop.client.get("/v1/referral", headers=mei).json()["code"]
    mei_before = _balance(shop, mei)
    kai = _join(shop, till, "Kai Tanaka", "kai.tanaka@example.org", code)
    first = _credit_number(shop, till, kai, "4.50", "first-purchase-0001")
    assert first["referral_bonus"] == 250 and first["balance"] == 45 + 250
    assert _balance(shop, mei) == mei_before + 500

    voided = _void(shop, till, first["credit_id"], "void-first-0001")
    assert voided.status_code == 200, voided.text
    assert voided.json()["balance"] == 0 and _summary(shop, till, kai)["balance"] == 0
    assert _balance(shop, mei) == mei_before

    # The real first purchase pays the bonuses, once.
    again = _credit_number(shop, till, kai, "4.50", "first-purchase-0002")
    assert again["referral_bonus"] == 250
    assert _balance(shop, mei) == mei_before + 500
    later = _credit_number(shop, till, kai, "4.50", "first-purchase-0003")
    assert later["referral_bonus"] == 0


def test_voiding_the_stamp_that_completed_a_card_withdraws_its_voucher(shop):
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    lea = _join(shop, till, "Lea Park", "lea.park@example.org")
    visits = shop.ctx.programme.punch_card.visits
    for visit in range(visits - 1):
        _credit_number(shop, till, lea, "3.00", f"stamp-visit-{visit:04d}")
    full = _credit_number(shop, till, lea, "3.00", "stamp-visit-last")
    assert full["voucher_issued"] is not None
    assert _void(shop, till, full["credit_id"], "void-stamp-0001").status_code == 200
    summary = _summary(shop, till, lea)
    assert summary["vouchers"] == []  # withdrawn: not usable at the till any more
    code = full["voucher_issued"]["code"]
    used = shop.client.post(
        "/v1/checkout/vouchers/redeem",
        json={"code": code},
        headers=till | {"Idempotency-Key": "use-withdrawn-0001"},
    )
    assert used.status_code == 409
    # The next visit completes the card again.
    again = _credit_number(shop, till, lea, "3.00", "stamp-visit-again")
    assert again["voucher_issued"] is not None and again["punch_card"]["stamps"] == 0


def test_a_purchase_whose_free_reward_was_used_cannot_be_voided(shop):
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    ian = _join(shop, till, "Ian Brooks", "ian.brooks@example.org")
    visits = shop.ctx.programme.punch_card.visits
    for visit in range(visits - 1):
        _credit_number(shop, till, ian, "3.00", f"ian-visit-{visit:04d}")
    full = _credit_number(shop, till, ian, "3.00", "ian-visit-last")
    used = shop.client.post(
        "/v1/checkout/vouchers/redeem",
        json={"code": full["voucher_issued"]["code"]},
        headers=till | {"Idempotency-Key": "ian-use-voucher-01"},
    )
    assert used.status_code == 200, used.text
    before = _summary(shop, till, ian)["balance"]
    assert_problem(_void(shop, till, full["credit_id"], "void-ian-0001"), 409, "void-voucher-used")
    assert _summary(shop, till, ian)["balance"] == before


def test_voiding_the_credit_that_reached_a_tier_takes_the_tier_back(shop):
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    ada = _join(shop, till, "Ada Quinn", "ada.quinn@example.org")
    big = _credit_number(shop, till, ada, "320.00", "tier-credit-0001")
    assert big["tier_change"] == "up" and big["tier"]["code"] == "gold"
    assert _void(shop, till, big["credit_id"], "void-tier-0001").status_code == 200
    assert _summary(shop, till, ada)["tier"]["code"] == "green"
    # Nine credit-and-void rounds leave the member where they started.
    for round_ in range(9):
        made = _credit_number(shop, till, ada, "320.00", f"tier-round-{round_:04d}")
        assert _void(shop, till, made["credit_id"], f"void-round-{round_:04d}").status_code == 200
    summary = _summary(shop, till, ada)
    assert summary["tier"]["code"] == "green" and summary["balance"] == 0
    assert summary["vouchers"] == []


# ---- a retry after the clock moved on gets the first answer --------------------------------


def test_a_retried_void_gets_its_first_answer_after_the_void_window_closed(shop):
    _, card = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    credit_id = _credited(shop, till, card, "void-retry-credit-1")
    first = _void(shop, till, credit_id, "void-retry-key-0001")
    assert first.status_code == 200, first.text
    # The till timed out and retries the next day: the window has closed, the void was done.
    shop.clock.advance(2 * 24 * 3600)
    again = _void(shop, till, credit_id, "void-retry-key-0001")
    assert again.status_code == 200, again.text
    assert again.json() == first.json()


def test_a_retried_voucher_use_gets_its_first_answer_after_the_voucher_expired(shop):
    member, _ = _member(shop)
    till = shop.staff("Ana Souza", "Harbor Coffee Pier 7")
    redeemed = shop.client.post(
        "/v1/rewards/extra-shot/redeem", headers=member | {"Idempotency-Key": "retry-redeem-01"}
    )
    assert redeemed.status_code == 201, redeemed.text
    voucher = redeemed.json()["voucher"]

    def use():  # noqa: ANN202
        return shop.client.post(
            "/v1/checkout/vouchers/redeem",
            json={"code": voucher["code"]},
            headers=till | {"Idempotency-Key": "retry-use-voucher-01"},
        )

    first = use()
    assert first.status_code == 200, first.text
    # Retried after the voucher's expiry: it was used, and the answer must say so.
    expires = datetime.fromisoformat(voucher["expires_at"])
    shop.clock.now = expires + timedelta(days=1)
    again = use()
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
