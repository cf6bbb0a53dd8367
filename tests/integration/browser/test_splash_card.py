"""The member's card QR on the web client's loading screen (loyalty_app/ui/splash_card.py):
what the page shows before Flutter has started, decoded by a real decoder and scanned at the
till; the brand's picture when there is no card on the device. And the loading screen kept up
until the card screen is drawn (loyalty_app/ui/loading_hold.py), frame by frame."""

from __future__ import annotations

import io
import urllib.request

import httpx
import pytest
from PIL import Image

from tests.support.browser import (
    ROOT,
    Screencast,
    decode_qr,
    enable_semantics,
    screenshot,
    wait_first_frame,
    wait_qr,
)
from tests.support.servers import add_staff

pytestmark = pytest.mark.browser
SPLASH = "/icons/loading-animation.png"
BRAND_SPLASH = ROOT / "assets" / "icons" / "loading-animation.png"
SHOTS = ROOT / "docs" / "screenshots"
QR_NAME = "Member QR code for the cashier to scan"
# In the page before its own scripts: when Flutter's first frame came, whether the loading
# screen's layer was then up (checked once every listener of the event has run), and when
# the layer went (without one: at the first frame).
LAUNCH_CLOCK = """
window.__launch = {};
window.addEventListener('flutter-first-frame', () => {
  window.__launch.firstFrame = Date.now();
  setTimeout(() => {
    window.__launch.held = !!document.getElementById('loading-hold');
    if (!window.__launch.held) { window.__launch.released = window.__launch.firstFrame; return; }
    new MutationObserver((_, watch) => {
      if (!document.getElementById('loading-hold')) {
        window.__launch.released = Date.now();
        watch.disconnect();
      }
    }).observe(document.body, {childList: true});
  }, 0);
}, {once: true});
"""


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def drawn_share(png: bytes) -> float:
    """The share of a picture's pixels not in its most common colour (its background)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    most = max(image.getcolors(image.width * image.height))[0]
    return 1 - most / (image.width * image.height)


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


def signed_in_app(browser, start_app, module_server):  # noqa: ANN001, ANN201
    """The member app of a member who signed in (the demo) and closed it: the card's secret
    is in the keyring. Started again, not yet opened."""
    app = start_app("--backend", module_server.base_url)
    page = browser.open(app.url, width=390, height=844)
    wait_first_frame(page)
    enable_semantics(page)
    page.get_by_role("button", name="Try the demo").click()
    page.get_by_role("img", name=QR_NAME).wait_for(timeout=30_000)
    browser.close_page(page)
    app.stop()
    return app.start()


def test_a_signed_in_member_sees_a_card_qr_the_till_accepts_before_the_app_starts(
    browser, start_app, module_server
):
    app = signed_in_app(browser, start_app, module_server)
    body, sent = fetch(app.url.rstrip("/") + SPLASH)
    assert sent["content-type"] == "image/png"
    assert sent["cache-control"] == "no-store"  # no browser keeps a code to show later
    assert body != BRAND_SPLASH.read_bytes()

    page = loading_screen(browser, app.url)
    assert page.evaluate("() => window._flutter === undefined")  # nothing but the HTML
    codes = decode_qr(screenshot(page, SHOTS / "loading-screen-card-phone.png"))
    assert len(codes) == 1 and codes[0].startswith("HBR:"), codes
    till = {"Authorization": f"Bearer {add_staff(module_server.database_url, 'Ana Souza')}"}
    scanned = httpx.post(
        f"{module_server.base_url}/v1/checkout/scan",
        json={"token": codes[0]},
        headers=till,
        timeout=10,
    )
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["display_name"] == "Mei L."

    # Dark mode: the loading screen turns dark, the code keeps its white quiet zone.
    dark = loading_screen(browser, app.url, dark=True)
    codes = decode_qr(screenshot(dark, SHOTS / "loading-screen-card-phone-dark.png"))
    assert len(codes) == 1 and codes[0].startswith("HBR:"), codes


def test_the_code_stays_on_screen_until_the_card_screen_is_drawn(browser, start_app, module_server):
    app = signed_in_app(browser, start_app, module_server)
    casts: list[Screencast] = []

    def record(page) -> None:  # noqa: ANN001 - every frame from before the navigation on
        page.add_init_script(LAUNCH_CLOCK)
        casts.append(Screencast(page))

    page = browser.open(app.url, width=390, height=844, before_goto=record)
    page.get_by_role("img", name=QR_NAME).wait_for(timeout=30_000)
    page.wait_for_function("() => window.__launch.released", timeout=30_000)
    assert wait_qr(page, timeout=15_000), "the card screen's own code never showed"
    casts[0].stop()
    launch = page.evaluate("() => window.__launch")
    frames = [(drawn * 1000, png) for drawn, png in casts[0].frames]
    first_code = next((drawn for drawn, png in frames if decode_qr(png)), None)
    assert first_code is not None and first_code < launch["firstFrame"], (
        "the loading screen showed no code before Flutter's first frame"
    )
    # From the first code until the layer went (50 ms for a frame drawn as the page changed),
    # every frame shows a code: Flet's "Working..." never replaced it.
    codeless = [
        round(drawn - first_code)
        for drawn, png in frames
        if first_code <= drawn < launch["released"] - 50 and not decode_qr(png)
    ]
    assert not codeless, f"frames without a code at +{codeless} ms"
    assert launch["held"], "no layer kept the loading screen up at Flutter's first frame"
    assert launch["released"] > launch["firstFrame"]
    # And the layer went as the card screen was drawn: the next frame is the card (most of it
    # drawn), not Flet's "Working..." or an empty page (a few pixels off the background).
    after = next(png for drawn, png in frames if drawn >= launch["released"] - 50)
    assert drawn_share(after) > 0.25, f"the layer went before the card screen: {drawn_share(after)}"
