"""Where this Python runs: a desktop or server process, or the member's browser (Pyodide on
Emscripten), where there are no threads and no sockets."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def in_browser(platform: str | None = None) -> bool:
    """True inside the browser-run build (Pyodide: ``sys.platform == "emscripten"``)."""
    return (platform or sys.platform) == "emscripten"


async def off_the_loop(call: Callable[..., T], *args: Any) -> T:
    """Runs a short blocking call in a worker thread, so the UI loop keeps drawing; in the
    browser, which has no threads, it runs in place."""
    if in_browser():
        return call(*args)
    return await asyncio.to_thread(call, *args)
