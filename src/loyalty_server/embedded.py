"""The demo server run inside the app process when no backend is configured, so a newcomer's
first `python main.py` shows a working card. Loopback only. The member app's entry point
(`run.py`) is the one place on the client side that may start it."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from .app import build_context, create_app
from .db import Database
from .demo import seed
from .migrate import upgrade
from .settings import Settings


class EmbeddedServerError(RuntimeError):
    pass


def start_embedded_server(data_dir: Path, programme: Path | None = None) -> str:
    """Start the demo server on 127.0.0.1 in a daemon thread; returns its base URL."""
    server_dir = data_dir / "embedded-server"
    server_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        database_url=f"sqlite:///{server_dir / 'loyalty.db'}", programme_path=programme, demo=True
    )
    db = Database(settings.database_url)
    upgrade(db)
    db.dispose()
    ctx = build_context(settings)
    seed(ctx)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(ctx), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="embedded-loyalty-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise EmbeddedServerError("the embedded demo server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}"
