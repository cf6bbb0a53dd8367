"""Notices leave: in real Chromium against the real server, the redeem's messages appear at
once and are gone as soon as the member goes to another tab (the notice's own timer is set
to ten minutes here, so only the tab switch can have taken it away)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.browser import enable_semantics, evaluate, screenshot, wait_first_frame

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
        # The voucher list follows the notice, maybe a frame later (a loaded machine read the
        # tree between the two): wait for it, as a member's eyes would.
        page.get_by_text("My vouchers").first.wait_for(timeout=10_000)
        tab(page, "Card").click()
        card.wait_for(timeout=10_000)
        done.wait_for(state="detached", timeout=10_000)
    finally:
        screenshot(page, app.log_path.with_name("notice-after-tab-switch.png"))
    assert page.get_by_text(re.compile("^Redeem")).count() == 0


# Records, the first time `text` is in Flutter's accessibility tree, whether the redeem
# dialog (its title) was still there: the member's eyes are on the dialog they just tapped.
FIRST_SIGHTING = """([text, dialogTitle]) => {
  const texts = () => Array.from(document.querySelectorAll('flt-semantics, flt-semantics *'))
    .flatMap((el) => [el.getAttribute('aria-label') || '',
                      el.tagName === 'SPAN' ? el.textContent || '' : '']);
  window.__sighting = null;
  const observer = new MutationObserver(() => {
    const now = texts();
    if (now.some((t) => t.includes(text))) {
      window.__sighting = { withDialog: now.some((t) => t.includes(dialogTitle)) };
      observer.disconnect();
    }
  });
  observer.observe(document.documentElement,
                   { subtree: true, childList: true, characterData: true, attributes: true });
}"""


def test_redeem_now_says_redeeming_in_the_dialog_then_keeps_saying_it(
    browser, module_server, tmp_path
):
    """A tap on "Redeem now" is answered in the dialog itself ("Redeeming…", a ring, the
    buttons off) before it closes; behind a modal dialog Flutter leaves the screen out of the
    accessibility tree, so a message only in the notice line was read (and, measured by that
    tree, shown) ~170 ms later, once the dialog had faded. With the server's answer held back,
    the notice line keeps saying it until the voucher comes, which is then there once."""
    from tests.support.browser import AppProcess
    from tests.support.held_proxy import HeldProxy
    from tests.support.kiosk_browser import demo_headers

    with HeldProxy(module_server.base_url) as proxy:
        app = AppProcess(
            tmp_path / "data", "--backend", proxy.base_url, log_path=tmp_path / "app.log"
        )
        app.start()
        try:
            page = browser.open(app.url, width=420)
            wait_first_frame(page)
            enable_semantics(page)
            page.get_by_role("button", name="Try the demo").click()
            page.get_by_role("img", name=QR_NAME).wait_for(timeout=20_000)
            tab(page, "Rewards").click()
            tile = re.compile(r"^Oat milk upgrade\s")
            page.get_by_role("group", name=tile).or_(
                page.get_by_role("button", name=tile)
            ).first.click()
            page.get_by_role("button", name="Redeem", exact=True).click()
            page.get_by_role("button", name="Redeem now").wait_for(timeout=10_000)
            before = _vouchers(module_server.base_url, demo_headers(module_server.base_url))
            proxy.hold_answer("POST", "/v1/rewards/oat-milk/redeem")
            evaluate(page, FIRST_SIGHTING, ["Redeeming…", "Redeem Oat milk upgrade?"])
            page.get_by_role("button", name="Redeem now").click()
            page.wait_for_function("() => window.__sighting !== null", timeout=10_000)
            assert evaluate(page, "() => window.__sighting")["withDialog"], (
                "'Redeeming…' was first read after the dialog had gone"
            )
            proxy.wait_held(1)
            page.get_by_text("Redeeming…").first.wait_for(timeout=10_000)  # the notice line
            screenshot(page, tmp_path / "redeeming.png")
            proxy.release()
            page.get_by_text(re.compile(r"^Redeemed\. Your voucher \S+ is ready\.$")).wait_for(
                timeout=15_000
            )
            after = _vouchers(module_server.base_url, demo_headers(module_server.base_url))
            assert len(after) == len(before) + 1
        finally:
            app.stop()


def _vouchers(base_url: str, headers: dict) -> list:
    return httpx.get(f"{base_url}/v1/vouchers", headers=headers, timeout=10).json()["items"]
