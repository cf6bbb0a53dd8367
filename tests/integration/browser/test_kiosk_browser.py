"""Checkout end to end in real Chromium: the member app's card QR, read from a screenshot,
typed into the kiosk the way a USB scanner types; credit, replay, offline and back."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.browser import AppProcess, enable_semantics, wait_first_frame, wait_qr
from tests.support.servers import add_staff

pytestmark = pytest.mark.browser
QR_NAME = "Member QR code for the cashier to scan"
SHOT_DIR: list[str] = ["."]
KIOSK_SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "kiosk"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def shop(module_server, tmp_path_factory):
    """The demo server, a member's phone and the till, as apps in their own processes."""
    tmp = tmp_path_factory.mktemp("kiosk-browser")
    SHOT_DIR[0] = str(tmp)
    backend = module_server.base_url
    member_app = AppProcess(tmp / "phone", "--backend", backend, log_path=tmp / "phone.log").start()
    kiosk_app = AppProcess(
        tmp / "till", "--backend", backend, "--kiosk", "checkout", log_path=tmp / "till.log"
    ).start()
    yield module_server, member_app, kiosk_app
    kiosk_app.stop()
    member_app.stop()


def purchases(server) -> list[dict]:
    session = httpx.post(f"{server.base_url}/v1/auth/demo", json={}, timeout=10).json()
    headers = {"Authorization": f"Bearer {session['access_token']}"}
    items = httpx.get(
        f"{server.base_url}/v1/ledger", params={"limit": 100}, headers=headers, timeout=10
    ).json()["items"]
    return [e for e in items if e["reason"] == "purchase"]


def scanner_types(page, text: str) -> None:
    """A USB scanner: a fast burst of keystrokes, then Enter. The kiosk is the one window
    on its machine, so its page is brought to the front first (the phone's page is in the
    same browser here)."""
    page.bring_to_front()
    # The kiosk keeps its scan field focused by itself: wait until it has (no click).
    page.wait_for_function(
        "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)", timeout=10_000
    )
    time.sleep(0.3)
    page.keyboard.type(text, delay=2)
    page.keyboard.press("Enter")


def set_up_kiosk(page, credential: str) -> None:
    for label, value in (
        ("Staff credential", credential),
        ("Staff PIN (4–8 digits)", "2468"),
        ("Staff PIN again", "2468"),
    ):
        page.get_by_label(label).first.click()
        time.sleep(0.4)  # Flutter takes the focus a moment after the click
        page.keyboard.type(value, delay=8)
    page.get_by_role("button", name="Save and start").click()
    see(page, "Scan the member's card", timeout=30_000)


def shoot(page, name: str) -> None:
    """A screenshot for the README's kiosk gallery (docs/screenshots/kiosk)."""
    KIOSK_SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(5, 790)  # no hover highlight in the picture
    time.sleep(0.5)
    page.screenshot(path=str(KIOSK_SHOTS / f"{name}.png"))


def see(page, text: str, timeout: float = 20_000) -> None:
    """Wait for the text; on failure keep a screenshot beside the test's logs."""
    try:
        page.get_by_text(text).first.wait_for(timeout=timeout)
    except Exception as exc:
        page.screenshot(path=f"{SHOT_DIR[0]}/{text[:20].replace(' ', '-')}.png")
        shown = [t for t in page.locator("flt-semantics").all_inner_texts() if t.strip()]
        raise AssertionError(f"{text!r} not shown; the screen had: {shown[:25]}") from exc


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
    before = len(purchases(server))

    # Scan the phone's live code, credit 12.50.
    token = fresh_token(phone, set())
    scanner_types(till, token)
    till.get_by_text("Mei L.").wait_for(timeout=15_000)
    shoot(till, "checkout-member-en")
    till.bring_to_front()
    till.keyboard.type("12.50", delay=30)
    till.keyboard.press("Enter")
    till.get_by_text("125 points added").wait_for(timeout=15_000)
    till.get_by_text("Mei L. · $12.50").wait_for(timeout=5_000)  # who and how much, as booked
    shoot(till, "checkout-credited-en")
    after = purchases(server)
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
        phone.screenshot(path=str(member_app.log_path.with_name("phone.png")))

    # The same code again: refused, nothing credited.
    till.get_by_role("button", name="Next customer").click()
    till.get_by_text("Scan the member's card").wait_for(timeout=10_000)
    scanner_types(till, token)
    see(till, "That code was already used")
    assert len(purchases(server)) == before + 1

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
    while time.monotonic() < deadline and len(purchases(server)) < before + 2:
        time.sleep(2)
    final = purchases(server)
    assert len(final) == before + 2
    assert final[0]["details"]["amount"] == "4.75"
    time.sleep(25)  # another periodic sync must not post it again
    assert len(purchases(server)) == before + 2
