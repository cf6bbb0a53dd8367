"""Flet 1.0.5 drops a web session's connection when the browser answers a method call (a
focus, a camera picture) for a control that a re-render removed meanwhile: the receive loop
ends, the client reconnects, and whatever was clicked or typed in between is lost (a till's
keystrokes). The guard (loyalty_app/ui/flet_guard.py) answers the call and keeps the
connection."""

from __future__ import annotations

import pytest

from tests.support.browser import ROOT, enable_semantics, wait_first_frame

pytestmark = pytest.mark.browser
RACE_APP = ROOT / "tests" / "support" / "focus_race_app.py"


def race(browser, app) -> int:  # noqa: ANN001
    """Three races, then a click that must still be answered; the WebSockets the page
    opened (1 when the connection held)."""
    page = browser.open(app.url, width=600, height=400)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    wait_first_frame(page)
    enable_semantics(page)
    opened_before = len(sockets)
    for _ in range(3):
        page.get_by_role("button", name="Race").click()
        page.wait_for_timeout(400)
    page.get_by_role("button", name="Count").click()
    page.get_by_text("Count 1").wait_for(timeout=10_000)
    return len(sockets) - opened_before


def test_without_the_guard_flet_drops_the_connection(browser, start_app):
    """Shows the failure is Flet's and still there: when this fails, Flet answers such
    replies itself and the guard can go."""
    app = start_app(script=RACE_APP)
    reconnects = race(browser, app)
    assert "is not registered" in app.log_text()
    assert reconnects >= 1


def test_with_the_guard_the_connection_holds(browser, start_app):
    app = start_app("--guard", script=RACE_APP)
    assert race(browser, app) == 0
    assert "Receive loop error" not in app.log_text()
