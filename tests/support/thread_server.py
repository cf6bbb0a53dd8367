"""An ASGI app served over loopback by uvicorn in a thread of its own: the test's event loop
is not involved, and the app can be stopped and started again on the same port (a server
going away and coming back, as a till sees it)."""

from __future__ import annotations

import threading
import time
from contextlib import suppress

import uvicorn

from .servers import free_port


class ThreadServer:
    def __init__(self, app, name: str = "thread-server") -> None:  # noqa: ANN001
        self.app = app
        self.name = name
        self.port = free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadServer:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=self.name, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"{self.name} did not start")
            time.sleep(0.02)  # polling for the thread's server to listen
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            with suppress(RuntimeError):
                self._thread.join(timeout=10)
        self._server, self._thread = None, None

    def __enter__(self) -> ThreadServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
