"""A member who opens the app signed in gets the card's QR with the first screen: the card's
secret is read from the keyring before the first render (briefly waited for), so the first
UI patch the browser receives already carries the QR picture, instead of a "loading" card
and a second render once the secret arrived (bench/bench_launch.py times the whole launch)."""

from __future__ import annotations

import base64

import msgpack
import pytest

from tests.support import member_browser as member
from tests.support.browser import AppProcess, enable_semantics, wait_first_frame

pytestmark = pytest.mark.browser

# Before the Flet client starts: keep every WebSocket message the page receives (base64).
RECEIVED = """(() => {
  const got = []; window.__received = got;
  const Native = window.WebSocket;
  function Kept(...args) {
    const ws = new Native(...args);
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('message', (e) => {
      const bytes = new Uint8Array(e.data); let s = '';
      for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
      got.push(btoa(s));
    });
    return ws;
  }
  Kept.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Kept[k] = Native[k];
  window.WebSocket = Kept;
})();"""


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def first_views_patch(messages: list[str]) -> bytes:
    """The raw message of the first UI patch that sets the page's views (the first screen)."""
    for encoded in messages:
        raw = base64.b64decode(encoded)
        unpacker = msgpack.Unpacker(raw=False, strict_map_key=False)
        unpacker.feed(raw)
        for message in unpacker:  # a frame holds 0, then [kind, body]; kind 2: a UI patch
            if not (isinstance(message, list) and len(message) == 2 and message[0] == 2):
                continue
            ops = message[1].get("patch", [])
            if any(len(op) > 2 and op[2] == "views" for op in ops[1:]):
                return raw
    raise AssertionError("no patch set the page's views")


def test_a_signed_in_start_sends_the_card_qr_with_the_first_screen(
    browser, module_server, tmp_path
):
    app = AppProcess(tmp_path / "data", "--backend", module_server.base_url)
    app.start()
    try:
        page = member.open_app(browser, app.url)
        member.sign_in_demo(page, "en")
        browser.close_page(page)
    finally:
        app.stop()
    app.start()  # the member opens the app again, signed in
    try:
        page = browser.open("about:blank", width=390, height=844)
        page.context.add_init_script(RECEIVED)
        page.goto(app.url)
        wait_first_frame(page)
        enable_semantics(page)
        member.wait_card(page, "en")
        first = first_views_patch(page.evaluate("() => window.__received"))
        assert b"card-qr" in first and b"\x89PNG" in first  # the QR, as a PNG, in it
    finally:
        app.stop()
