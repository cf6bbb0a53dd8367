"""Serve the web client so Flutter's WebAssembly renderer runs on one thread.

Flet's web server sends ``Cross-Origin-Opener-Policy: same-origin`` and
``Cross-Origin-Embedder-Policy: require-corp`` with every response. They make the page
cross-origin isolated, and Flutter's loader then starts skwasm multi-threaded: the page's
main thread and a rendering worker share the renderer's memory. That sharing has a race in
the renderer's glyph cache (flutter/flutter#190039, fixed upstream after the Flutter that
Flet 1.0.5 ships), which fits what the browser tests met: traps ("memory access out of
bounds", "unreachable", "null function") right after the engine asked for fallback fonts, and
pages whose main thread stopped answering (CI, 1 Dec: the Settings page, whose language
names are Chinese in every language).

Without the two headers the page is not cross-origin isolated, and the loader picks the
single-threaded skwasm (``skwasmSingleThreaded: !crossOriginIsolated``), which has no second
thread to race with. The member app needs no isolation: it runs no Python in the browser
(the static Pyodide build is served by whatever hosts it, not by this server).

Flet has no option for this, so ``install()`` wraps the ASGI app that ``flet_web.fastapi.app``
builds, which both of Flet's web server paths call through the module attribute.
tests/integration/browser/test_single_threaded_web.py checks the headers, the page's
isolation and its worker count in a real Chromium.
"""

from __future__ import annotations

from typing import Any

ISOLATION_HEADERS = frozenset({b"cross-origin-opener-policy", b"cross-origin-embedder-policy"})


def without_isolation(inner: Any) -> Any:
    """An ASGI app that answers as ``inner`` does, minus the cross-origin isolation headers."""

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await inner(scope, receive, send)
            return

        async def send_without(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                message = {
                    **message,
                    "headers": [(k, v) for k, v in headers if k.lower() not in ISOLATION_HEADERS],
                }
            await send(message)

        await inner(scope, receive, send_without)

    return app


def install() -> None:
    """Idempotent; called once before ``ft.run`` serves the web client."""
    import flet_web.fastapi as flet_fastapi

    build = flet_fastapi.app
    if getattr(build, "single_threaded", False):
        return

    def app(*args: Any, **kwargs: Any) -> Any:
        return without_isolation(build(*args, **kwargs))

    app.single_threaded = True  # type: ignore[attr-defined]
    flet_fastapi.app = app
