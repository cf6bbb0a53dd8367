"""A pass-through proxy in front of the real server that can hold chosen requests: a slow
answer on demand, without touching the server or the client.

    with HeldProxy(server.base_url) as proxy:
        proxy.hold("GET", "/v1/rewards")         # such requests wait from now on
        ... point the app at proxy.base_url ...
        proxy.wait_held(1)                       # one has arrived and is waiting
        proxy.release()                          # it (and later ones) go through
        proxy.hold_answer("POST", "/v1/checkout/credit")  # forwarded, the answer kept back


Everything else is forwarded at once, unchanged (headers, body, status). The proxy runs in a
thread of its own (uvicorn on a free loopback port), so a test's event loop is not involved.
"""

from __future__ import annotations

import asyncio
import threading

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .thread_server import ThreadServer

# Hop-by-hop headers are the proxy's own business, not the client's or the server's.
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class HeldProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self._held: set[tuple[str, str]] = set()
        self._held_answers: set[tuple[str, str]] = set()
        self._gate = threading.Event()
        self._gate.set()
        self._lock = threading.Lock()
        self._waiting = 0
        self._arrived = threading.Condition(self._lock)
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        app = Starlette(routes=[Route("/{path:path}", self._forward, methods=methods)])
        self._server = ThreadServer(app, "held-proxy")

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def hold(self, method: str, path: str) -> None:
        """From now on, `method path` requests wait until `release`."""
        with self._lock:
            self._held.add((method.upper(), path))
            self._gate.clear()

    def hold_answer(self, method: str, path: str) -> None:
        """From now on, `method path` requests reach the server at once, but their answers
        wait until `release` (a slow link: the server did the work, the client hears late)."""
        with self._lock:
            self._held_answers.add((method.upper(), path))
            self._gate.clear()

    def release(self) -> None:
        """Lets the waiting requests and answers (and every later one) through."""
        with self._lock:
            self._held.clear()
            self._held_answers.clear()
            self._gate.set()

    def wait_held(self, count: int = 1, timeout: float = 10.0) -> None:
        """Until `count` held requests are waiting."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._waiting >= count, timeout):
                raise TimeoutError(f"{self._waiting} held requests arrived, not {count}")

    async def _wait_if(self, held: set[tuple[str, str]], key: tuple[str, str]) -> None:
        with self._lock:
            waits = key in held
            if waits:
                self._waiting += 1
                self._arrived.notify_all()
        if waits:
            await asyncio.to_thread(self._gate.wait)  # released by the test
            with self._lock:
                self._waiting -= 1

    async def _forward(self, request: Request) -> Response:
        key = (request.method, request.url.path)
        await self._wait_if(self._held, key)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP}
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.request(
                request.method,
                f"{self.upstream}{request.url.path}",
                params=request.url.query,
                headers=headers,
                content=await request.body(),
            )
        await self._wait_if(self._held_answers, key)
        out = {k: v for k, v in answer.headers.items() if k.lower() not in HOP}
        out.pop("content-encoding", None)  # httpx has decoded the body already
        return Response(answer.content, status_code=answer.status_code, headers=out)

    def start(self) -> HeldProxy:
        self._server.start()
        return self

    def stop(self) -> None:
        self.release()
        self._server.stop()

    def __enter__(self) -> HeldProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
