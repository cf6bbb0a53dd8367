"""An httpx transport over the browser's fetch, for the browser-run build (Pyodide): httpx
cannot open sockets there. The API client keeps httpx (auth flow, timeouts, errors) and only
its last step, sending the request, goes through `pyodide.http.pyfetch`.

Replies are read whole (the contract's replies are small JSON documents). The browser's own
HTTP cache is bypassed (``cache: "no-store"``): the client does its conditional GETs itself
and must see the 304s. A fetch that fails (offline, refused, blocked by CORS) becomes
`httpx.ConnectError`, which the client reports as `Unreachable`; one that outlasts the
request's timeout becomes `httpx.ReadTimeout`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from ..platform import in_browser

# Headers a page may not set (the browser sets them or refuses the request).
_BROWSER_OWNED = {"host", "user-agent", "content-length", "connection", "accept-encoding"}


class FetchTransport(httpx.AsyncBaseTransport):
    """Sends each request with *fetch* (``pyodide.http.pyfetch`` unless given)."""

    def __init__(self, fetch: Callable[..., Awaitable[Any]] | None = None) -> None:
        self._fetch = fetch

    def _fetcher(self) -> Callable[..., Awaitable[Any]]:
        if self._fetch is None:
            from pyodide.http import pyfetch  # only exists inside Pyodide

            self._fetch = pyfetch
        return self._fetch

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _BROWSER_OWNED}
        body = await request.aread()
        options: dict[str, Any] = {
            "method": request.method,
            "headers": headers,
            "cache": "no-store",
            "redirect": "manual",
            "credentials": "omit",
        }
        if body:
            options["body"] = body.decode("utf-8")
        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            reply = await asyncio.wait_for(self._exchange(str(request.url), options), timeout)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"no answer within {timeout} s", request=request) from exc
        except httpx.TransportError:
            raise
        except Exception as exc:  # noqa: BLE001 - pyodide's JsException/OSError: no answer
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        status, reply_headers, content = reply
        return httpx.Response(status, headers=reply_headers, content=content, request=request)

    async def _exchange(self, url: str, options: dict[str, Any]) -> tuple[int, list, bytes]:
        reply = await self._fetcher()(url, **options)
        content = await reply.bytes()
        return reply.status, _header_pairs(reply.headers), content


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    """pyfetch's ``headers`` is a dict; a test's may be any mapping or a list of pairs."""
    items = headers.items() if hasattr(headers, "items") else headers
    # The browser has already undone any Content-Encoding: the body is plain.
    return [(k, v) for k, v in items if k.lower() not in ("content-encoding", "content-length")]


def default_transport(platform: str | None = None) -> httpx.AsyncBaseTransport | None:
    """The browser's fetch inside the browser-run build; None (httpx's own) elsewhere."""
    return FetchTransport() if in_browser(platform) else None
