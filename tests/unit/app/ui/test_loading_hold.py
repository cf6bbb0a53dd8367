"""ui/loading_hold.py: the script that keeps the loading screen up goes into the HTML pages
Flet serves, before the client's loader, and nothing else changes (the browser test records
the frames of a launch)."""

from __future__ import annotations

import asyncio

from loyalty_app.ui.loading_hold import SCRIPT, with_loading_hold

PAGE = (
    b'<html><body><div id="loading"></div>'
    b'<script src="flutter_bootstrap.js" async></script></body></html>'
)


def serve(
    page: bytes, content_type: bytes, chunks: int = 1, method: str = "GET"
) -> tuple[dict, bytes]:
    async def html(scope, receive, send) -> None:  # noqa: ANN001
        headers = [(b"content-type", content_type), (b"content-length", str(len(page)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        size = -(-len(page) // chunks)
        for n in range(chunks):
            part = page[n * size : (n + 1) * size]
            await send({"type": "http.response.body", "body": part, "more_body": n < chunks - 1})

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": "/"}
    asyncio.run(with_loading_hold(html)(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return dict(sent[0]["headers"]), body


def test_the_hold_script_goes_before_the_clients_loader_with_a_right_length():
    for chunks in (1, 3):  # a page sent in one piece or several
        headers, body = serve(PAGE, b"text/html; charset=utf-8", chunks)
        assert body == PAGE.replace(b"<script src=", SCRIPT + b"<script src=", 1)
        assert headers[b"content-length"] == str(len(body)).encode()


def test_other_answers_pass_unchanged():
    assert serve(PAGE, b"application/javascript")[1] == PAGE
    assert serve(PAGE, b"text/html", method="HEAD")[1] == PAGE
    without_loader = b"<html><body>no client here</body></html>"
    assert serve(without_loader, b"text/html")[1] == without_loader
