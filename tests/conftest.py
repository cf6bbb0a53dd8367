"""Fixtures for every test: a fresh database per test and a mail catcher per module; the
real server and its clients are in tests/integration/conftest.py.

The database is SQLite unless LOYALTY_TEST_DATABASE_URL names a PostgreSQL server
(``python3 dev.py test`` runs tests/integration a second time that way).
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

from tests.support.databases import fresh_database_url, postgres_server_url
from tests.support.mail import MailCatcher
from tests.support.secret_service import secret_service_pid

_SECRET_SERVICE_PIDS: list[int | None] = []

# Property tests check what is computed, not how fast: Hypothesis' default 200 ms deadline per
# example failed a pure test on a machine shared by several test runs (load 36 on 2 cores).
# Speed has its own benchmarks (bench/).
settings.register_profile("loyalty", deadline=None)
settings.load_profile("loyalty")


def pytest_sessionstart(session) -> None:
    _SECRET_SERVICE_PIDS.append(secret_service_pid())


def pytest_terminal_summary(terminalreporter) -> None:
    """Says so when the keyring daemon was replaced during the run (it crashed): the tests
    went on (the test keyring is a plain file, see dev.py), but a crash is worth knowing."""
    first, last = (_SECRET_SERVICE_PIDS or [None])[0], secret_service_pid()
    if first is not None and last != first:
        terminalreporter.write_line(
            f"NOTE: the Secret Service daemon changed during the run (pid {first} -> {last}): "
            "gnome-keyring-daemon died and D-Bus started another.",
            yellow=True,
        )


SCREEN_IN_BRIEF = 160  # characters of each page's line: every page fits in the brief


def pytest_runtest_logreport(report) -> None:
    """With LOYALTY_FAILURE_BRIEF set (``python3 dev.py test`` sets it), each failure adds one
    line to that file: the test, its error's first lines, and what its browser pages showed
    (address, crashes, the start of the screen's texts or that the page did not answer).
    dev.py prints the lines at the very end, where a long run's cut-down output keeps them."""
    path = os.environ.get("LOYALTY_FAILURE_BRIEF")
    if not path or not report.failed:
        return
    crash = getattr(report.longrepr, "reprcrash", None)
    # The first lines: a message ending in ':' goes on with what it lists.
    error = " ".join(crash.message.splitlines()[:4]) if crash and crash.message else report.when
    pages = [
        line.strip()[:SCREEN_IN_BRIEF]
        for title, text in report.sections
        if title == "browser pages"
        for line in text.splitlines()
        if line.startswith("page ") or line.strip().startswith(("pageerror", "screen:"))
    ]
    brief = " | ".join([f"{report.nodeid} ({report.when}): {error[:500]}", *pages])
    with open(path, "a", encoding="utf-8") as out:
        out.write(" ".join(brief.split())[:1200] + "\n")


def pytest_report_header(config) -> str:
    url = postgres_server_url()
    return f"loyalty test database: {'PostgreSQL at ' + url if url else 'SQLite (file per test)'}"


def pytest_collection_modifyitems(config, items) -> None:
    """Skips marked tests whose requirements are absent, always with a visible reason."""
    no_postgres = pytest.mark.skip(
        reason="needs LOYALTY_TEST_DATABASE_URL (python3 dev.py test starts PostgreSQL)"
    )
    no_browser = pytest.mark.skip(reason="needs Chromium (apt-get install chromium)")
    have_browser = any(shutil.which(b) for b in ("chromium", "chromium-browser"))
    # A browser test drives screens; what the database does under them is the server and
    # app tests' job, which run on both. So the PostgreSQL pass runs only the browser tests
    # of the member's and the till's main flows (marked postgres_too), end to end.
    sqlite_pass_only = pytest.mark.skip(
        reason="screens do not depend on the database: the SQLite pass runs this browser test"
    )
    for item in items:
        if "postgres" in item.keywords and not postgres_server_url():
            item.add_marker(no_postgres)
        if "browser" in item.keywords and not have_browser:
            item.add_marker(no_browser)
        if (
            "browser" in item.keywords
            and "postgres_too" not in item.keywords
            and postgres_server_url()
        ):
            item.add_marker(sqlite_pass_only)


@pytest.fixture(scope="module")
def smtp():
    catcher = MailCatcher().start()
    yield catcher
    catcher.stop()


@pytest.fixture
def database_url(tmp_path) -> str:
    return fresh_database_url(tmp_path)
