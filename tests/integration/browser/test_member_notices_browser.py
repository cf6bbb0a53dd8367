"""Notices leave: in real Chromium against the real server, the redeem's messages appear at
once and are gone as soon as the member goes to another tab (the notice's own timer is set
to ten minutes here, so only the tab switch can have taken it away)."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import enable_semantics, screenshot, wait_first_frame

pytestmark = pytest.mark.browser

QR_NAME = "Member QR code for the cashier to scan"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def app(module_server, tmp_path_factory):
    from tests.support.browser import AppProcess

    tmp = tmp_path_factory.mktemp("member-notices")
    process = AppProcess(
        tmp / "data",
        "--backend",
        module_server.base_url,
        log_path=tmp / "app.log",
        env={"LOYALTY_NOTICE_SECONDS": "600"},
    )
    process.start()
    yield process
    process.stop()


def tab(page, name: str):  # noqa: ANN201
    return page.get_by_role("tab", name=name).or_(page.get_by_role("button", name=name)).first


def test_the_redeem_message_is_gone_after_a_tab_switch(browser, app):
    page = browser.open(app.url, width=420)
    wait_first_frame(page)
    enable_semantics(page)
    demo = page.get_by_role("button", name="Try the demo")
    card = page.get_by_role("img", name=QR_NAME)
    demo.or_(card).first.wait_for(timeout=20_000)
    if demo.count():
        demo.click()
    card.wait_for(timeout=20_000)

    tab(page, "Rewards").click()
    # The tile: a button with its texts until its picture arrives, then a labelled group.
    tile = re.compile(r"^Oat milk upgrade\s")
    page.get_by_role("group", name=tile).or_(page.get_by_role("button", name=tile)).first.click()
    page.get_by_text("Terms", exact=True).wait_for(timeout=10_000)
    page.get_by_role("button", name="Redeem", exact=True).click()
    page.get_by_role("button", name="Redeem now").click()
    done = page.get_by_text(re.compile(r"^Redeemed\. Your voucher \S+ is ready\.$"))
    try:
        done.wait_for(timeout=15_000)
        assert page.get_by_text("My vouchers").count() >= 1
        tab(page, "Card").click()
        card.wait_for(timeout=10_000)
        done.wait_for(state="detached", timeout=10_000)
    finally:
        screenshot(page, app.log_path.with_name("notice-after-tab-switch.png"))
    assert page.get_by_text(re.compile("^Redeem")).count() == 0
