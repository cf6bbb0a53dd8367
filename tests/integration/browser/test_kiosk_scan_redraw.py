"""A code typed into the kiosk's scan field arrives whole when the kiosk redraws in the
middle of it, in real Chromium: the connection drops while the cashier types a member number,
the header turns to "Offline", and the number, finished and entered, is the whole number.

Seen in a whole-suite run: a scanner's burst, slowed by a loaded machine, straddled the
moment the kiosk found itself offline; the first 12 of 37 characters went, and the card was
refused as "not from Harbor Coffee"."""

from __future__ import annotations

import pytest

from loyalty_app.i18n import t
from tests.support import kiosk_browser
from tests.support.browser import enable_semantics, wait_first_frame
from tests.support.kiosk_browser import see, set_up_kiosk, wait_ready_to_type
from tests.support.servers import add_staff

pytestmark = pytest.mark.browser

MEMBER_NUMBER = "840522918498"  # any valid number: offline, the kiosk checks its form only


def test_a_number_typed_across_a_redraw_arrives_whole(browser, start_app, server, tmp_path):
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    app = start_app("--backend", server.base_url, "--kiosk", "checkout")
    page = browser.open(app.url, width=1000, height=800)
    wait_first_frame(page)
    enable_semantics(page)
    set_up_kiosk(page, add_staff(server.database_url, "Ana Souza"))
    see(page, t("en", "kiosk.online"), exact=True)
    wait_ready_to_type(page)
    page.keyboard.type(MEMBER_NUMBER[:6], delay=40)
    server.stop()  # the kiosk's next sync finds it gone and redraws its header
    see(page, t("en", "kiosk.offline_none"), exact=True, timeout=45_000)
    page.keyboard.type(MEMBER_NUMBER[6:], delay=40)
    page.keyboard.press("Enter")
    see(page, t("en", "kiosk.offline_member"))
