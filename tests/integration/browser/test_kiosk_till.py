"""The till in real Chromium while the machine is busy: what the cashier types is what is
shown, large, beside the member's name, and exactly what is booked; a mistyped amount keeps
its keys and says why; a voucher on the member screen is used with a tap."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.support.cpu_load import cpu_load
from tests.support.kiosk_browser import (
    checkout_till,
    demo_headers,
    look,
    purchases,
    scanner_types,
    see,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres_too]

# Amounts a coffee shop rings up; 4.75 is the one a lost first key once booked as 0.75.
AMOUNTS = ["4.75", "12.50", "3.20", "18", "7.05", "26.40", "9.99", "0.85"]


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def till(module_server, tmp_path_factory, browser):
    with checkout_till(module_server, tmp_path_factory.mktemp("kiosk-till"), browser) as page:
        yield module_server, page


def mei_number(base_url: str) -> str:
    me = httpx.get(f"{base_url}/v1/me", headers=demo_headers(base_url), timeout=10).json()
    return me["member_number"]


def test_amounts_typed_under_cpu_load_are_booked_exactly(till):
    server, page = till
    number = mei_number(server.base_url)
    before = len(purchases(server.base_url))
    with cpu_load(2):
        for n, amount in enumerate(AMOUNTS):
            scanner_types(page, number)
            if n % 2:
                # The cashier types as soon as the name is up: no click, no wait for a focus.
                see(page, "Mei L.")
            # ...or at once, while the card is still being looked up.
            page.keyboard.type(amount, delay=40)
            see(page, "Mei L.")
            see(page, amount, exact=True)  # large, before it is booked
            page.keyboard.press("Enter")
            see(page, "points added")
            see(page, f"Mei L. · ${amount}" if "." in amount else f"Mei L. · ${amount}.00")
            page.get_by_role("button", name="Next customer").click()
            see(page, "Scan the member's card")
    booked = purchases(server.base_url)[: len(AMOUNTS)]
    assert len(purchases(server.base_url)) == before + len(AMOUNTS)
    typed = [a if "." in a else f"{a}.00" for a in AMOUNTS]
    assert [e["details"]["amount"] for e in reversed(booked)] == typed


def test_a_mistyped_amount_keeps_its_keys_and_books_nothing(till):
    server, page = till
    before = len(purchases(server.base_url))
    scanner_types(page, mei_number(server.base_url))
    see(page, "Mei L.")
    page.keyboard.type("4..75", delay=40)
    page.keyboard.press("Enter")
    see(page, "Enter the amount as a number, like 12.50.")
    see(page, "4..75", exact=True)  # still there to correct, not wiped
    look(page, "checkout-amount-refused-en")
    assert len(purchases(server.base_url)) == before
    for _ in range(3):
        page.keyboard.press("Backspace")
    page.keyboard.type("75", delay=40)
    see(page, "4.75", exact=True)
    page.keyboard.press("Enter")
    see(page, "Mei L. · $4.75")
    assert len(purchases(server.base_url)) == before + 1
    assert purchases(server.base_url)[0]["details"]["amount"] == "4.75"
    page.get_by_role("button", name="Next customer").click()
    see(page, "Scan the member's card")


def test_a_voucher_on_the_member_screen_is_used_with_a_tap(till):
    server, page = till
    headers = demo_headers(server.base_url) | {"Idempotency-Key": f"redeem-{uuid.uuid4()}"}
    redeemed = httpx.post(
        f"{server.base_url}/v1/rewards/extra-shot/redeem", headers=headers, timeout=10
    )
    assert redeemed.status_code == 201, redeemed.text
    code = redeemed.json()["voucher"]["code"]

    scanner_types(page, mei_number(server.base_url))
    see(page, "Mei L.")
    page.get_by_role("button", name=f"Extra espresso shot · {code}").click()
    see(page, "Use Mei L.'s voucher for Extra espresso shot now?")
    look(page, "checkout-voucher-confirm-en")
    page.get_by_role("button", name="Use voucher").click()
    see(page, "Voucher used")
    vouchers = httpx.get(
        f"{server.base_url}/v1/vouchers", headers=demo_headers(server.base_url), timeout=10
    ).json()
    assert {v["code"]: v["status"] for v in vouchers["items"]}[code] == "used"
