"""The API client and a server's keep-alive: a connection left idle is dropped by the client
well before the server closes its end (uvicorn: 5 s), so no request is ever sent down a
connection at the moment the server closes it. That race read as "Offline" at a busy till (a
scan, a join) while the server was up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from loyalty_app.api.client import LoyaltyApi
from loyalty_app.api.http import KEEPALIVE_SECONDS

pytestmark = pytest.mark.anyio
SERVER_KEEPALIVE_SECONDS = 5.0  # uvicorn's default, the reference server's
HEALTH = b'{"status": "ok", "database": "ok", "demo": false, "version": "test"}'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def keep_alive_server() -> AsyncIterator[tuple[str, list[int]]]:
    """A real socket on 127.0.0.1 answering GET /healthz on kept-alive connections; the list
    counts the requests each connection carried."""
    connections: list[int] = []
    handlers: set[asyncio.Task] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())
        connections.append(0)
        n = len(connections) - 1
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                connections[n] += 1
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(HEALTH)}\r\n\r\n".encode()
                    + HEALTH
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", connections
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


def test_idle_connections_are_dropped_well_before_the_servers_keep_alive_ends() -> None:
    assert KEEPALIVE_SECONDS <= SERVER_KEEPALIVE_SECONDS / 2


async def test_a_connection_idle_past_the_clients_limit_is_not_reused() -> None:
    async with keep_alive_server() as (url, connections), LoyaltyApi(url, timeout=5) as api:
        await api.health()
        await api.health()  # at once: the same connection
        # Idle for longer than the client keeps a connection, shorter than a server's limit.
        await asyncio.sleep(KEEPALIVE_SECONDS + 1)
        await api.health()
    assert connections == [2, 1]
