"""Several server processes started at once on a new SQLite file (a shop's second process,
a restart racing a migrate): each waits for the other's migration instead of exiting with
"database is locked"."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.servers import ServerProcess

pytestmark = pytest.mark.skipif(
    os.environ.get("LOYALTY_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="SQLite's start-up race (PostgreSQL waits on its advisory lock); run once",
)


def test_four_processes_started_together_on_a_new_file_all_come_up(tmp_path):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    servers = [ServerProcess(url, log_path=tmp_path / f"server{n}.log") for n in range(4)]
    try:
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(ServerProcess.start, servers))
        for server in servers:
            assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200
    finally:
        for server in servers:
            server.stop()
