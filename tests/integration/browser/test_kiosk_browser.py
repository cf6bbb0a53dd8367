"""Checkout end to end in real Chromium: the member app's card QR, read from a screenshot,
typed into the kiosk the way a USB scanner types; credit, replay, offline and back."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support import kiosk_browser
from tests.support.browser import (
    AppProcess,
    enable_semantics,
    screenshot,
    wait_first_frame,
    wait_qr,
)
from tests.support.kiosk_browser import look, purchases, scanner_types, see, set_up_kiosk
from tests.support.servers import add_staff

pytestmark = [pytest.mark.browser, pytest.mark.postgres_too]
QR_NAME = "Member QR code for the cashier to scan"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def shop(module_server, tmp_path_factory):
    """The demo server, a member's phone and the till, as apps in their own processes."""
    tmp = tmp_path_factory.mktemp("kiosk-browser")
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp)
    backend = module_server.base_url
    member_app = AppProcess(tmp / "phone", "--backend", backend, log_path=tmp / "phone.log").start()
    kiosk_app = AppProcess(
        tmp / "till", "--backend", backend, "--kiosk", "checkout", log_path=tmp / "till.log"
    ).start()
    yield module_server, member_app, kiosk_app
    kiosk_app.stop()
    member_app.stop()


def fresh_token(page, used: set[str]) -> str:
    """The card's current code once it differs from every code already used (<= 30 s)."""
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        codes = [c for c in wait_qr(page, timeout=5_000) if c.startswith("HBR:")]
        if codes and codes[0] not in used:
            return codes[0]
        time.sleep(1)
    raise AssertionError("the card code did not rotate")


def test_scan_credit_replay_offline_and_back(browser, shop):
    server, member_app, kiosk_app = shop
    phone = browser.open(member_app.url, width=420)
    wait_first_frame(phone)
    enable_semantics(phone)
    phone.get_by_role("button", name="Try the demo").click()
    phone.get_by_role("img", name=QR_NAME).wait_for(timeout=20_000)
    balance_before = httpx.post(f"{server.base_url}/v1/auth/demo", json={}, timeout=10)
    assert balance_before.status_code == 200

    till = browser.open(kiosk_app.url, width=1000, height=800)
    wait_first_frame(till)
    enable_semantics(till)
    set_up_kiosk(till, add_staff(server.database_url, "Ana Souza"))
    till.get_by_text("Store: Harbor Coffee Pier 7").wait_for(timeout=10_000)
    before = len(purchases(server.base_url))

    # Scan the phone's live code, credit 12.50.
    token = fresh_token(phone, set())
    scanner_types(till, token)
    till.get_by_text("Mei L.").wait_for(timeout=15_000)
    look(till, "checkout-member-en")
    till.bring_to_front()
    till.keyboard.type("12.50", delay=30)
    till.keyboard.press("Enter")
    till.get_by_text("125 points added").wait_for(timeout=15_000)
    till.get_by_text("Mei L. · $12.50").wait_for(timeout=5_000)  # who and how much, as booked
    look(till, "checkout-credited-en")
    after = purchases(server.base_url)
    assert len(after) == before + 1 and after[0]["amount"] == 125
    assert after[0]["details"]["amount"] == "12.50"

    # The phone shows the new balance after a sync.
    phone.get_by_role("button", name="Refresh").first.click()
    me = httpx.post(f"{server.base_url}/v1/auth/demo", json={}, timeout=10).json()
    new_balance = httpx.get(
        f"{server.base_url}/v1/me",
        timeout=10,
        headers={"Authorization": f"Bearer {me['access_token']}"},
    ).json()["balance"]
    try:
        phone.get_by_text(f"{new_balance:,} points").wait_for(timeout=15_000)
    finally:
        screenshot(phone, member_app.log_path.with_name("phone.png"))

    # The same code again: refused, nothing credited.
    till.get_by_role("button", name="Next customer").click()
    till.get_by_text("Scan the member's card").wait_for(timeout=10_000)
    scanner_types(till, token)
    see(till, "That code was already used")
    assert len(purchases(server.base_url)) == before + 1

    # Offline: the credit waits, then posts exactly once.
    second = fresh_token(phone, {token})
    server.stop()
    try:
        scanner_types(till, second)
        see(till, "Offline: this card will be checked")
        till.bring_to_front()
        till.keyboard.type("4.75", delay=30)
        till.keyboard.press("Enter")
        till.get_by_text("will be credited when the connection is back").wait_for(timeout=20_000)
    finally:
        server.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(purchases(server.base_url)) < before + 2:
        time.sleep(2)
    final = purchases(server.base_url)
    assert len(final) == before + 2
    assert final[0]["details"]["amount"] == "4.75"
    time.sleep(25)  # another periodic sync must not post it again
    assert len(purchases(server.base_url)) == before + 2
