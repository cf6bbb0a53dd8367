"""The member's signed-in devices in Settings, in real Chromium against the real server: the
list (name, this device, last seen), signing another device out after a confirmation (its
tokens stop at once), offline, in English and Simplified Chinese, with screenshots."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.browser import enable_semantics, screenshot, wait_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.postgres_too]

ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "docs" / "screenshots"
CARD = "Member QR code for the cashier to scan"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def app(module_server, tmp_path_factory):
    """One member app process: its store is the member's phone."""
    from tests.support.browser import AppProcess

    tmp = tmp_path_factory.mktemp("member-app")
    process = AppProcess(
        tmp / "data", "--backend", module_server.base_url, log_path=tmp / "app.log"
    )
    process.start()
    yield process
    process.stop()


def other_device(backend, name: str) -> dict:
    """The demo member signed in on another device (over HTTP, as that device would)."""
    reply = httpx.post(f"{backend.base_url}/v1/auth/demo", json={"device_name": name}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()


def still_signed_in(backend, session: dict) -> bool:
    headers = {"Authorization": f"Bearer {session['access_token']}"}
    return httpx.get(f"{backend.base_url}/v1/me", headers=headers, timeout=10).status_code == 200


def settings_page(browser, app):
    page = browser.open(app.url, width=420, height=1000)
    wait_first_frame(page)
    enable_semantics(page)
    demo = page.get_by_role("button", name="Try the demo")
    card = page.get_by_role("img", name=CARD)
    demo.or_(card).first.wait_for(timeout=20_000)
    if demo.count():
        demo.click()
    card.wait_for(timeout=20_000)
    go(page, "Settings")
    shown(page, "Language", app.log_path.with_name("settings-not-shown.png"))
    return page


def shown(page, text: str, shot: Path) -> None:  # noqa: ANN001
    """Wait for `text`; if it never comes, say what the screen showed (and keep a picture):
    once in a whole-suite run Settings' devices were not there after the tap on Settings."""
    try:
        page.get_by_text(text).first.wait_for(timeout=15_000)
    except Exception as exc:
        screenshot(page, shot)
        said = [s for s in page.locator("flt-semantics").all_inner_texts() if s.strip()]
        raise AssertionError(f"{text!r} not shown (see {shot}); on screen: {said[:30]}") from exc


# Pages under the Account destination, and its name in the language the page is in.
UNDER_ACCOUNT = {"Tier": "Account", "Settings": "Account", "等级": "我的", "设置": "我的"}
UNDER_ACCOUNT |= {"等級": "我的", "設定": "我的"}


def go(page, tab: str) -> None:
    if tab in UNDER_ACCOUNT:
        go(page, UNDER_ACCOUNT[tab])
    # A tab by its exact name ("我的" is also the start of "我的兑换券"), else a button;
    # waited for (after a language switch the new names come with the next frame).
    tabs = page.get_by_role("tab", name=tab, exact=True)
    tabs.or_(page.get_by_role("button", name=tab)).first.click()


def to_the_devices(page) -> None:
    """Scroll Settings down to the devices and keep the pointer off every tooltip."""
    page.mouse.move(200, 400)
    page.mouse.wheel(0, 2000)
    time.sleep(0.6)
    page.mouse.move(5, 300)
    time.sleep(0.4)


def sign_out_from_dialog(page, device_button: str, confirm: str, shot: Path) -> None:
    page.get_by_role("button", name=device_button).first.click()
    dialog_button = page.get_by_role("button", name=confirm, exact=True).last
    dialog_button.wait_for(timeout=10_000)
    time.sleep(0.5)
    screenshot(page, shot)
    dialog_button.click()


def test_settings_lists_the_devices_and_signs_another_one_out(browser, app, module_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    tablet = other_device(module_server, "Kitchen tablet")
    page = settings_page(browser, app)

    page.get_by_text("Signed-in devices").wait_for(timeout=15_000)
    page.get_by_text("Kitchen tablet", exact=True).wait_for(timeout=15_000)
    assert page.get_by_text("This device", exact=True).count() == 1
    assert page.get_by_text("member app (demo)", exact=True).count() == 1
    assert page.get_by_text("Last seen", exact=False).count() >= 2
    to_the_devices(page)
    screenshot(page, SHOTS / "devices-en.png")

    # The confirmation names the device; cancelling leaves it signed in.
    page.get_by_role("button", name="Sign out device").first.click()
    page.get_by_text("Sign out “Kitchen tablet”?").wait_for(timeout=10_000)
    page.get_by_role("button", name="Cancel").click()
    time.sleep(0.5)
    assert still_signed_in(module_server, tablet)

    sign_out_from_dialog(page, "Sign out device", "Sign out", SHOTS / "devices-confirm-en.png")
    page.get_by_text("“Kitchen tablet” was signed out.").wait_for(timeout=10_000)
    # Out at once, on the server: its access token, and its refresh token.
    assert not still_signed_in(module_server, tablet)
    refresh = httpx.post(
        f"{module_server.base_url}/v1/auth/refresh",
        json={"refresh_token": tablet["refresh_token"]},
        timeout=10,
    )
    assert refresh.status_code == 401
    assert refresh.json()["type"] == "/problems/invalid-refresh-token"
    page.get_by_text("Kitchen tablet", exact=True).wait_for(state="detached", timeout=10_000)
    assert page.get_by_text("This device", exact=True).count() == 1  # this one is still in


def test_the_devices_in_simplified_chinese(browser, app, module_server):
    ipad = other_device(module_server, "iPad")
    page = settings_page(browser, app)
    page.get_by_role("button", name="简体中文").first.click()
    try:
        # Back to Settings afresh: a SegmentedButton keeps its English segment widths after
        # the switch until it is built again (the theme picker's 跟随系统 would be clipped).
        go(page, "会员卡")
        go(page, "设置")
        page.get_by_text("已登录的设备").wait_for(timeout=15_000)
        page.get_by_text("iPad", exact=True).wait_for(timeout=15_000)
        assert page.get_by_text("本机", exact=True).count() == 1
        to_the_devices(page)
        screenshot(page, SHOTS / "devices-zh-Hans.png")

        confirm_shot = SHOTS / "devices-confirm-zh-Hans.png"
        sign_out_from_dialog(page, "让该设备退出登录", "退出登录", confirm_shot)
        page.get_by_text("“iPad”已退出登录。").wait_for(timeout=10_000)
        assert not still_signed_in(module_server, ipad)
    finally:  # the app (the member's phone) is in English again for the next test
        page.get_by_role("button", name="English").first.click()
        page.get_by_role("tab", name="Account", exact=True).wait_for(timeout=15_000)


def test_offline_the_devices_say_so(browser, app, module_server):
    page = settings_page(browser, app)
    shown(page, "Signed-in devices", app.log_path.with_name("devices-not-shown.png"))
    module_server.stop()
    try:
        page.get_by_role("button", name="Reload devices").first.click()
        page.get_by_text("You are offline: connect to see your devices").wait_for(timeout=20_000)
        to_the_devices(page)
        screenshot(page, SHOTS / "devices-offline-en.png")
        assert page.get_by_role("button", name="Sign out device").count() == 0
    finally:
        module_server.start()
