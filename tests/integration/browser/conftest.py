"""Fixtures for the browser tests: one headless Chromium per module, and app processes:

pytestmark = pytest.mark.browser

def test_card(browser, start_app):
    app = start_app()                      # python main.py --web ... in the repo root
    page = browser.open(app.url)
    ...
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, AppProcess, Browser, chromium_available
from tests.support.servers import ServerProcess


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test's report says what the pages showed and what the apps logged:
    a lost tap and a crashed renderer look alike from the test's side (a control that never
    came)."""
    report = yield
    if report.when == "call" and report.failed:
        running = item.funcargs.get("browser")
        if isinstance(running, Browser):
            pictures = Path(str(item.funcargs.get("tmp_path") or tempfile.mkdtemp())) / "failed"
            report.sections.append(("browser pages", running.describe_open_pages(pictures)))
        processes = (AppProcess, ServerProcess)
        logs = {Path(v.log_path) for v in item.funcargs.values() if isinstance(v, processes)}
        if item.funcargs.get("tmp_path"):
            logs |= set(Path(item.funcargs["tmp_path"]).rglob("*.log"))
        for log in sorted(path for path in logs if path.exists()):
            tail = log.read_text(errors="replace").splitlines()[-40:]
            report.sections.append((f"log {log}", "\n".join(tail)))
    return report


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module; every ``browser.open`` gets a fresh context."""
    if not chromium_available():
        pytest.skip(
            f"needs Chromium at {CHROMIUM} (python3 dev.py test installs it; "
            "or apt-get install chromium)"
        )
    with Browser() as running:
        yield running


@pytest.fixture(autouse=True)
def close_the_tests_pages(request):
    """The pages a test opened are closed when it ends (after a failure's report has
    described them); pages of module fixtures (a till) stay. Left open, every earlier test's
    page went on drawing its card, polling and syncing beside the later tests of the module,
    up to seven pages at once: a load that made taps and keys go astray."""
    if "browser" not in request.fixturenames:
        yield
        return
    running = request.getfixturevalue("browser")
    before = running.open_contexts()
    yield
    running.close_contexts_except(before)


@pytest.fixture
def start_app(tmp_path):
    """Starts app processes (``AppProcess(...)`` arguments); all are stopped after the test.

    Each gets its own data directory and log under tmp_path unless given one.
    """
    apps: list[AppProcess] = []
    numbers = itertools.count(1)

    def start(*extra_args: str, data_dir=None, **kwargs) -> AppProcess:
        n = next(numbers)
        data_dir = data_dir if data_dir is not None else tmp_path / f"app{n}-data"
        kwargs.setdefault("log_path", tmp_path / f"app{n}.log")
        app = AppProcess(data_dir, *extra_args, **kwargs)
        apps.append(app)
        return app.start()

    yield start
    for app in apps:
        app.stop()
