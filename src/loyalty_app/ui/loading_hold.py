"""Keep the web client's loading screen up until the app has drawn its first screen.

Flet's page removes its loading screen at Flutter's first frame, which is an empty page with
Flet's "Working..." while the client connects; the app's own first screen comes a second or
two later. With the card's code on the loading screen (``splash_card.py``) that made the code
vanish just as a cashier might be scanning it. So the page this server sends carries a small
script: at Flutter's first frame it moves the loading picture into a layer of its own over
the client (the picture itself, so the code is not fetched again) and takes the layer away
in the same task in which the app sets the page's title, which the app does as it builds its
first screen (``ui/app.py``). The layer lets every tap and key through and is hidden from
screen readers; it goes at the member's first tap or key too, and after ``HOLD_AT_MOST_MS``
whatever happens.

The script is put into every HTML page Flet serves (``install()`` wraps the ASGI app that
``flet_web.fastapi.app`` builds, like ``single_threaded_web``), before the client's loader.
tests/integration/browser/test_splash_card.py records the frames of a launch.
"""

from __future__ import annotations

from typing import Any

HOLD_AT_MOST_MS = 8000
BEFORE = b'<script src="flutter_bootstrap.js"'
HOLD_ID = "loading-hold"

SCRIPT = f"""<script>
window.addEventListener("flutter-first-frame", function () {{
  var loading = document.getElementById("loading");
  var picture = loading && loading.querySelector("img");
  if (!picture) return;
  var hold = document.createElement("div");
  hold.id = "{HOLD_ID}";
  hold.setAttribute("aria-hidden", "true");
  hold.style.cssText = "position:fixed;inset:0;display:flex;align-items:center;" +
    "justify-content:center;z-index:2147483647;pointer-events:none;background:" +
    getComputedStyle(loading).backgroundColor;
  picture.style.cssText = "width:200px;max-width:50vw;max-height:50vh;object-fit:contain";
  hold.appendChild(picture);
  document.body.appendChild(hold);
  var before = document.title;
  var watch = new MutationObserver(function () {{
    if (document.title && document.title !== before) end();
  }});
  function end() {{
    hold.remove();
    watch.disconnect();
    window.removeEventListener("pointerdown", end, true);
    window.removeEventListener("keydown", end, true);
  }}
  watch.observe(document.head, {{subtree: true, childList: true, characterData: true}});
  window.addEventListener("pointerdown", end, true);
  window.addEventListener("keydown", end, true);
  setTimeout(end, {HOLD_AT_MOST_MS});
}}, {{once: true}});
</script>
""".encode()


def with_script(html: bytes) -> bytes:
    """The page with the script before the client's loader (unchanged without a loader)."""
    at = html.find(BEFORE)
    return html if at < 0 else html[:at] + SCRIPT + html[at:]


def with_loading_hold(inner: Any) -> Any:
    """An ASGI app that answers as ``inner`` does, with the script in its HTML pages."""

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await inner(scope, receive, send)
            return
        start: dict | None = None
        body: list[bytes] = []

        async def send_page(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # held until the whole page is in
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = with_script(b"".join(body))
                headers = [
                    (k, str(len(page)).encode() if k.lower() == b"content-length" else v)
                    for k, v in start.get("headers", [])
                ]
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await inner(scope, receive, send_page)

    return app


def install() -> None:
    """Called once before ``ft.run`` serves the member app's web client."""
    import flet_web.fastapi as flet_fastapi

    build = flet_fastapi.app

    def app(*args: Any, **kwargs: Any) -> Any:
        return with_loading_hold(build(*args, **kwargs))

    flet_fastapi.app = app
