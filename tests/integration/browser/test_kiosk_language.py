"""The kiosk in Chinese, in real Chromium: switched on screen by staff (not by the machine's
LANG), every string drawn as glyphs, and the choice kept across a reload and a restart."""

from __future__ import annotations

import pytest

from tests.support import kiosk_browser
from tests.support.browser import AppProcess, enable_semantics, wait_cjk_glyphs, wait_first_frame
from tests.support.kiosk_browser import look, open_kiosk_page, see, set_up_kiosk, unlock_staff
from tests.support.servers import add_staff

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def kiosk(module_server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kiosk-language")
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp)
    app = AppProcess(
        tmp / "till",
        "--backend",
        module_server.base_url,
        "--kiosk",
        "checkout",
        log_path=tmp / "till.log",
    ).start()
    yield module_server, app, tmp
    app.stop()


def _assert_glyphs(page, text: str) -> None:  # noqa: ANN001
    shown = page.get_by_text(text, exact=True).first
    see(page, text)
    report = wait_cjk_glyphs(page, shown)
    assert report.verdict, report.summary()


def test_staff_switch_the_kiosk_to_chinese_and_it_stays_chinese(browser, kiosk):
    server, app, tmp = kiosk
    page = open_kiosk_page(browser, app.url)
    set_up_kiosk(page, add_staff(server.database_url, "Ana Souza"))

    unlock_staff(page)
    page.get_by_role("button", name="简体中文").first.click()
    _assert_glyphs(page, "请扫描会员卡")
    look(page, "checkout-staff-zh-Hans")
    page.get_by_role("button", name="繁體中文").first.click()
    _assert_glyphs(page, "請掃描會員卡")
    look(page, "checkout-staff-zh-Hant")
    page.get_by_role("button", name="简体中文").first.click()
    _assert_glyphs(page, "请扫描会员卡")

    page.reload()
    wait_first_frame(page)
    enable_semantics(page)
    _assert_glyphs(page, "请扫描会员卡")

    app.stop()
    app.start()
    again = open_kiosk_page(browser, app.url)
    _assert_glyphs(again, "请扫描会员卡")
