"""`loyalty-server report --html FILE` opened in real Chromium: the page draws its tables and
charts with no request leaving the file, and its picture is the README's."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_server.db import Database
from loyalty_server.migrate import upgrade
from tests.support import report_ledger as ledger
from tests.support.browser import ROOT, screenshot
from tests.support.servers import run_cli

pytestmark = pytest.mark.browser

SCREENSHOT = ROOT / "docs" / "screenshots" / "report.png"


@pytest.fixture
def report_file(database_url, tmp_path) -> Path:
    db = Database(database_url)
    upgrade(db)
    ledger.insert(db)
    db.dispose()
    path = tmp_path / "report.html"
    result = run_cli(
        "report",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-28",
        "--point-value",
        "0.01",
        "--html",
        str(path),
        database_url=database_url,
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {path}" in result.stdout
    return path


def test_report_page_opens_offline_with_every_chart(browser, report_file):
    page = browser.open("about:blank", width=1100, height=900)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report_file.as_uri())
    assert requests == [report_file.as_uri()]  # the file itself, and nothing else
    assert page.title().startswith("Harbor Coffee: the owner's report, 2026-10-01 to 2026-10-28")
    stores = page.locator("table").first
    assert "All stores" in stores.inner_text() and ledger.PIER in stores.inner_text()
    assert page.get_by_role("cell", name="87.5 %").count() == 1  # the redemption rate
    charts = page.locator("svg[role=img]")
    assert charts.count() == 5  # weekly activity and points, tiers, top rewards, weekly NPS
    for index in range(5):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 80
    assert page.get_by_role("term").filter(has_text="Breakage").count() == 1
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    screenshot(page, SCREENSHOT, full_page=True)
    assert browser.page_errors(page) == []  # a CSP violation would be a console error
