"""Fixtures for the browser tests: one headless Chromium per module, and app processes:

pytestmark = pytest.mark.browser

def test_card(browser, start_app):
    app = start_app()                      # python main.py --web ... in the repo root
    page = browser.open(app.url)
    ...
"""

from __future__ import annotations

import itertools

import pytest

from tests.support.browser import CHROMIUM, AppProcess, Browser, chromium_available


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
