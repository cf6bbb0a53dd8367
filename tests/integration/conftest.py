"""The real server, an HTTP client for it and a till, for every integration test.

- `server` and `demo_server` start a server on a fresh database for each test: for tests that
  stop it, restart it or need it empty.
- `module_server` is one server on its own fresh database for a whole test module, and
  `client` and `till` talk to it. A module starts it differently by overriding
  `server_options` (a programme variant, ``demo=True``) and names the till's staff member
  by overriding `till_staff`.

Every server mails its sign-in codes to the module's `smtp` catcher.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import fresh_database_url
from tests.support.loyalty_http import Till, client_for
from tests.support.mail import MailCatcher
from tests.support.servers import ServerProcess, add_staff


def _running_server(
    database_url: str, smtp: MailCatcher, log_dir: Path, **options
) -> Iterator[ServerProcess]:
    server = ServerProcess(
        database_url, smtp_port=smtp.port, log_path=log_dir / "server.log", **options
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server(database_url, smtp, tmp_path):
    """The reference server with its default programme, on a fresh database for this test."""
    yield from _running_server(database_url, smtp, tmp_path)


@pytest.fixture
def demo_server(database_url, smtp, tmp_path):
    """Like `server`, started with --demo (demo members and data)."""
    yield from _running_server(database_url, smtp, tmp_path, demo=True)


@pytest.fixture(scope="module")
def server_options() -> dict:
    """`ServerProcess` options for `module_server`: the default programme, not demo mode."""
    return {}


@pytest.fixture(scope="module")
def module_server(request, tmp_path_factory, smtp, server_options):
    """One server for the whole module, on a database of its own."""
    tmp = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    yield from _running_server(fresh_database_url(tmp), smtp, tmp, **server_options)


@pytest.fixture(scope="module")
def client(module_server):
    with client_for(module_server) as c:
        yield c


@pytest.fixture(scope="module")
def till_staff() -> tuple[str, str]:
    """The till's staff member and store."""
    return "Test Till", "Harbor Coffee Pier 7"


@pytest.fixture(scope="module")
def till(client, module_server, till_staff):
    """Staff calls to `module_server` with a staff credential of their own."""
    return Till(client, add_staff(module_server.database_url, *till_staff))
