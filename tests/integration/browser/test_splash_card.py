"""The member's card QR on the web client's loading screen (loyalty_app/ui/splash_card.py):
what the page shows before Flutter has started, decoded by a real decoder and scanned at the
till; the brand's picture when there is no card on the device."""

from __future__ import annotations

import urllib.request

import pytest

from tests.support.browser import ROOT, decode_qr, enable_semantics, screenshot, wait_first_frame

pytestmark = pytest.mark.browser
SPLASH = "/icons/loading-animation.png"
BRAND_SPLASH = ROOT / "assets" / "icons" / "loading-animation.png"
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=20) as reply:
        return reply.read(), {k.lower(): v for k, v in reply.headers.items()}


def loading_screen(browser, url: str, *, dark: bool = False):  # noqa: ANN001
    """A phone-sized page kept on its loading screen: Flutter's loader is not let in, so
    what shows is what a member sees in the seconds before the client has started."""

    def hold(page) -> None:  # noqa: ANN001
        page.route("**/flutter_bootstrap.js", lambda route: route.abort())
        if dark:
            page.emulate_media(color_scheme="dark")

    page = browser.open(url, width=390, height=844, before_goto=hold)
    page.locator("#loading img").wait_for(timeout=20_000)
    page.wait_for_function("() => document.querySelector('#loading img').complete", timeout=20_000)
    return page


def test_without_a_card_the_loading_screen_shows_the_brand(browser, start_app, module_server):
    app = start_app("--backend", module_server.base_url)
    body, _ = fetch(app.url.rstrip("/") + SPLASH)
    assert body == BRAND_SPLASH.read_bytes()
    page = loading_screen(browser, app.url)
    assert decode_qr(screenshot(page)) == []


def test_a_signed_in_member_sees_a_card_qr_the_till_accepts_before_the_app_starts(
    browser, start_app, module_server, till, tmp_path
):
    data = tmp_path / "phone"
    app = start_app("--backend", module_server.base_url, data_dir=data)
    page = browser.open(app.url, width=390, height=844)
    wait_first_frame(page)
    enable_semantics(page)
    page.get_by_role("button", name="Try the demo").click()
    page.get_by_role("img", name="Member QR code for the cashier to scan").wait_for(timeout=30_000)
    browser.close_page(page)
    app.stop()

    app.start()  # the member opens the app again: the card's secret is in the keyring
    body, sent = fetch(app.url.rstrip("/") + SPLASH)
    assert sent["content-type"] == "image/png"
    assert sent["cache-control"] == "no-store"  # no browser keeps a code to show later
    assert body != BRAND_SPLASH.read_bytes()

    page = loading_screen(browser, app.url)
    assert page.evaluate("() => window._flutter === undefined")  # nothing but the HTML
    codes = decode_qr(screenshot(page, SHOTS / "loading-screen-card-phone.png"))
    assert len(codes) == 1 and codes[0].startswith("HBR:"), codes
    scanned = till.scan(codes[0])
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["display_name"] == "Mei L."

    # Dark mode: the loading screen turns dark, the code keeps its white quiet zone.
    dark = loading_screen(browser, app.url, dark=True)
    codes = decode_qr(screenshot(dark, SHOTS / "loading-screen-card-phone-dark.png"))
    assert len(codes) == 1 and codes[0].startswith("HBR:"), codes
