"""ui/splash_card.py's ASGI wrapper, driven with ASGI messages: which requests it answers
itself and what it sends (the browser test decodes the picture and scans it at the till)."""

from __future__ import annotations

import asyncio

from loyalty_app.ui.splash_card import SPLASH_PATH, with_card_splash

BRAND = b"the brand's picture"


async def inner(scope, receive, send) -> None:  # noqa: ANN001 - Flet's static files
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": BRAND + scope["path"].encode()})


def call(card_png, path: str = SPLASH_PATH, method: str = "GET") -> tuple[int, dict, bytes]:  # noqa: ANN001
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path}
    asyncio.run(with_card_splash(inner, card_png)(scope, receive, send))
    start, body = sent
    return start["status"], dict(start["headers"]), body["body"]


def test_with_a_card_the_loading_picture_is_the_card_and_is_never_cached():
    status, headers, body = call(lambda: b"PNG of the card")
    assert status == 200
    assert body == b"PNG of the card"
    assert headers[b"content-type"] == b"image/png"
    assert headers[b"content-length"] == b"15"
    assert headers[b"cache-control"] == b"no-store"


def test_a_head_request_gets_the_headers_only():
    status, headers, body = call(lambda: b"PNG of the card", method="HEAD")
    assert (status, body, headers[b"content-length"]) == (200, b"", b"15")


def test_without_a_card_the_brands_picture_is_served():
    assert call(lambda: None)[2] == BRAND + SPLASH_PATH.encode()


def test_a_failing_card_read_still_shows_the_brand():
    def locked_keyring() -> bytes:
        raise RuntimeError("the keyring is locked")

    assert call(locked_keyring)[2] == BRAND + SPLASH_PATH.encode()


def test_other_addresses_never_ask_for_the_card():
    asked: list[int] = []

    def card() -> bytes:
        asked.append(1)
        return b"PNG of the card"

    for path in ("/", "/icons/loading-animation.png.map", "/card", "/flutter_bootstrap.js"):
        assert call(card, path=path)[2] == BRAND + path.encode()
    assert call(card, method="POST")[2] == BRAND + SPLASH_PATH.encode()
    assert asked == []
