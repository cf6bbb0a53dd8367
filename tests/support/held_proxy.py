"""A pass-through proxy in front of the real server that can hold chosen requests: a slow
answer on demand, without touching the server or the client.

    with HeldProxy(server.base_url) as proxy:
        proxy.hold("GET", "/v1/rewards")         # such requests wait from now on
        ... point the app at proxy.base_url ...
        proxy.wait_held(1)                       # one has arrived and is waiting
        proxy.release()                          # it (and later ones) go through

Everything else is forwarded at once, unchanged (headers, body, status). The proxy runs in a
thread of its own (uvicorn on a free loopback port), so a test's event loop is not involved.
"""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import suppress

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .servers import free_port

# Hop-by-hop headers are the proxy's own business, not the client's or the server's.
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class HeldProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.port = free_port()
        self._held: set[tuple[str, str]] = set()
        self._gate = threading.Event()
        self._gate.set()
        self._lock = threading.Lock()
        self._waiting = 0
        self._arrived = threading.Condition(self._lock)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hold(self, method: str, path: str) -> None:
        """From now on, `method path` requests wait until `release`."""
        with self._lock:
            self._held.add((method.upper(), path))
            self._gate.clear()

    def release(self) -> None:
        """Lets the waiting requests (and every later one) through."""
        with self._lock:
            self._held.clear()
            self._gate.set()

    def wait_held(self, count: int = 1, timeout: float = 10.0) -> None:
        """Until `count` held requests are waiting."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._waiting >= count, timeout):
                raise TimeoutError(f"{self._waiting} held requests arrived, not {count}")

    async def _forward(self, request: Request) -> Response:
        key = (request.method, request.url.path)
        with self._lock:
            held = key in self._held
            if held:
                self._waiting += 1
                self._arrived.notify_all()
        if held:
            await asyncio.to_thread(self._gate.wait)  # released by the test
            with self._lock:
                self._waiting -= 1
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP}
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.request(
                request.method,
                f"{self.upstream}{request.url.path}",
                params=request.url.query,
                headers=headers,
                content=await request.body(),
            )
        out = {k: v for k, v in answer.headers.items() if k.lower() not in HOP}
        out.pop("content-encoding", None)  # httpx has decoded the body already
        return Response(answer.content, status_code=answer.status_code, headers=out)

    def start(self) -> HeldProxy:
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        app = Starlette(routes=[Route("/{path:path}", self._forward, methods=methods)])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="held-proxy", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the proxy did not start")
            time.sleep(0.02)  # polling for the thread's server to listen
        return self

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            with suppress(RuntimeError):
                self._thread.join(timeout=10)

    def __enter__(self) -> HeldProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
