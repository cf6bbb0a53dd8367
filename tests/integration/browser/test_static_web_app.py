"""The member app as a static web app (issue 12): `python3 dev.py web-build` output served by
a plain static file server on loopback, Python running in a phone-sized Chromium (Pyodide),
talking to the real reference server across origins (CORS on). Signs in, shows a card QR a
real decoder reads and the till accepts, redeems a reward; then, with the server stopped, a
reload still shows the balance and a fresh QR from what the browser kept: with the network
off and the file server gone too, so the service worker is what opens the app. Installable:
the manifest names the brand, its colour and icons. No request leaves this machine."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from PIL import Image

from loyalty_app.i18n import t
from tests.support.browser import assert_no_error_box, enable_semantics, screenshot, wait_qr
from tests.support.databases import fresh_database_url
from tests.support.member_browser import (
    ask_to_redeem,
    confirm_redeem,
    go,
    open_reward,
    sign_in_demo,
)
from tests.support.servers import ServerProcess, add_staff, free_port
from tests.support.static_app import (
    StaticServer,
    build_static_app,
    record_requests_leaving_loopback,
    saved_files,
)

pytestmark = pytest.mark.browser
LANG = "en"
FIRST_LOAD_MS = 120_000  # Flutter, CanvasKit and Pyodide load and start on 2 busy cores


@pytest.fixture(scope="module")
def hosting(tmp_path_factory, smtp):
    """The loyalty server (demo, CORS for the app's origin) and the static app's server."""
    tmp = tmp_path_factory.mktemp("static")
    static_port = free_port()
    origin = f"http://127.0.0.1:{static_port}"
    server = ServerProcess(
        fresh_database_url(tmp),
        demo=True,
        smtp_port=smtp.port,
        extra_args=["--cors-origin", origin],
        log_path=tmp / "server.log",
    )
    server.port = free_port()
    build = build_static_app(server.base_url, tmp)
    files = StaticServer(build, tmp / "static.log", port=static_port)
    with server, files:
        yield server, files


def _balance_text(page) -> str:  # noqa: ANN001
    pattern = re.escape(t(LANG, "card.balance")).replace(re.escape("{points}"), r"[\d,]+")
    node = page.get_by_text(re.compile(rf"^{pattern}$")).first
    node.wait_for(timeout=20_000)
    return node.inner_text()


def _card_token_is_current(token: str) -> bool:
    step = int(token.split(":")[2])
    return abs(step - time.time()) < 120


def test_static_app_signs_in_redeems_and_opens_offline_after_a_reload(browser, hosting, tmp_path):
    server, files = hosting
    page = browser.open("about:blank", width=390, height=844)
    leaving = record_requests_leaving_loopback(page)  # before the app's first request
    page.goto(files.url)
    page.wait_for_selector("#loading", state="detached", timeout=FIRST_LOAD_MS)
    enable_semantics(page)
    page.get_by_role("button", name=t(LANG, "signin.demo")).wait_for(timeout=FIRST_LOAD_MS)
    sign_in_demo(page, LANG)

    codes = wait_qr(page, timeout=20_000)
    assert codes and _card_token_is_current(codes[0]), codes
    staff = add_staff(server.database_url, "Ana Souza")
    scanned = httpx.post(
        f"{server.base_url}/v1/checkout/scan",
        json={"token": codes[0]},
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    )
    assert scanned.status_code == 200, scanned.text

    open_reward(page, LANG, "Oat milk upgrade")
    ask_to_redeem(page, LANG)
    confirm_redeem(page, LANG)
    done = re.escape(t(LANG, "rewards.done_voucher")).replace(re.escape("{code}"), r"(\S+)")
    notice = page.get_by_text(re.compile(rf"^{done}$")).first
    notice.wait_for(timeout=30_000)
    voucher = re.match(done, notice.inner_text()).group(1)
    go(page, LANG, "card")
    balance = _balance_text(page)
    screenshot(page, tmp_path / "static-online.png")

    # What the browser keeps: the store's files in IndexedDB, saved after the redeem.
    deadline = time.monotonic() + 20
    while not any(voucher in body for body in saved_files(page).values()):
        assert time.monotonic() < deadline, sorted(saved_files(page))
        page.wait_for_timeout(200)

    # A second visit with the network off: the service worker kept the app; the loyalty
    # server and the shop's file server are both gone.
    page.wait_for_function(
        "() => navigator.serviceWorker?.controller?.state === 'activated'", timeout=FIRST_LOAD_MS
    )
    server.stop()
    files.stop()
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#loading", state="detached", timeout=FIRST_LOAD_MS)
    enable_semantics(page)
    # Python starts again in the page (no server to ask): the card comes from what it kept.
    page.get_by_role("img", name=t(LANG, "card.qr_label")).wait_for(timeout=FIRST_LOAD_MS)
    offline = t(LANG, "sync.offline").split("{")[0]
    page.get_by_text(offline, exact=False).first.wait_for(timeout=FIRST_LOAD_MS)
    assert _balance_text(page) == balance
    again = wait_qr(page, timeout=20_000)
    assert again and _card_token_is_current(again[0]), again
    assert again[0].split(":")[1] == codes[0].split(":")[1]  # the same card, a fresh code
    png = screenshot(page, tmp_path / "static-offline.png")
    assert_no_error_box(png)
    assert leaving == [], leaving


def test_the_manifest_names_the_brand_its_colour_and_icons(hosting):
    _, files = hosting
    manifest = json.loads((files.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["name"] == "Harbor Coffee" and manifest["short_name"] == "Harbor"
    assert manifest["theme_color"] == manifest["background_color"] == "#0B4F6C"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert sizes >= {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        with Image.open(files.folder / icon["src"]) as picture:
            side = int(icon["sizes"].split("x")[0])
            assert picture.size == (side, side)
            assert picture.getpixel((0, 0))[:3] == (0x0B, 0x4F, 0x6C)  # the brand's, not Flet's
    worker = (files.folder / "flutter_service_worker.js").read_text(encoding="utf-8")
    for needed in ("app.tar.gz", "pyodide/pyodide.asm.wasm", "main.dart.js", "manifest.json"):
        assert f'"{needed}"' in worker
