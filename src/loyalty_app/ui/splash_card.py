"""The member's QR code in the web client's loading screen, before Flutter has started.

The page Flet serves shows ``icons/loading-animation.png`` until Flutter draws its first
frame, which takes seconds (the client's 8 MB of WebAssembly is fetched and compiled first).
A member at the till wants one thing in those seconds: the code the cashier scans. So while
the card's secret is on this device, this server answers that address with the member's
current card QR, made by the card screen's own renderer; otherwise (signed out, no secret
yet, the keyring locked) with the branded picture in ``assets/``, as before.

The code is the card's rotating one, current when the page asks for it: it stays valid for
the rest of its period, longer than Flutter takes to replace it with the card screen. It is
sent with ``Cache-Control: no-store``, so no browser keeps a copy to show later.

Like ``single_threaded_web``, ``install()`` wraps the ASGI app that ``flet_web.fastapi.app``
builds: Flet has no hook for a dynamic loading screen. tests/integration/browser/
test_splash_card.py decodes the loading screen's code in a real Chromium and scans it at the
till.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("loyalty_app.ui")

SPLASH_PATH = "/icons/loading-animation.png"
#: Pixels per QR module. The page draws the picture 200 CSS px wide: rendered larger than
#: that, a phone's 2-3 device pixels per CSS pixel still get sharp modules.
SPLASH_BOX = 16


def with_card_splash(inner: Any, card_png: Callable[[], bytes | None]) -> Any:
    """An ASGI app that answers as ``inner`` does, except a GET of the loading screen's
    picture while ``card_png()`` (called in a worker thread: it may wait for the keyring)
    has a card to show."""

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method") in ("GET", "HEAD")
            and scope.get("path") == SPLASH_PATH
        ):
            try:
                png = await asyncio.to_thread(card_png)
            except Exception:  # noqa: BLE001 - the branded picture is always a fine answer
                log.warning("no card for the loading screen", exc_info=True)
                png = None
            if png:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", b"image/png"),
                            (b"content-length", str(len(png)).encode()),
                            (b"cache-control", b"no-store"),
                        ],
                    }
                )
                body = png if scope["method"] == "GET" else b""
                await send({"type": "http.response.body", "body": body})
                return
        await inner(scope, receive, send)

    return app


def install(card_png: Callable[[], bytes | None]) -> None:
    """Called once before ``ft.run`` serves the member app's web client."""
    import flet_web.fastapi as flet_fastapi

    build = flet_fastapi.app

    def app(*args: Any, **kwargs: Any) -> Any:
        return with_card_splash(build(*args, **kwargs), card_png)

    flet_fastapi.app = app
