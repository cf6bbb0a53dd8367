"""The app serves its web client without cross-origin isolation, so Flutter's WebAssembly
renderer runs on the page's one thread (loyalty_app/ui/single_threaded_web.py): its
multi-threaded build has a glyph-cache race that crashed and froze pages in these tests."""

from __future__ import annotations

import urllib.request

import pytest

from tests.support.browser import ROOT, wait_first_frame

pytestmark = pytest.mark.browser
PLAIN_FLET_APP = ROOT / "tests" / "support" / "focus_race_app.py"
ISOLATION = ("Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy")


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return {k.lower(): v for k, v in reply.headers.items()}


def isolation(browser, url: str) -> tuple[bool, int, object]:  # noqa: ANN001
    """(the page is cross-origin isolated, how many workers it runs, the page) once its first
    frame is drawn."""
    page = browser.open(url, width=420, height=800)
    wait_first_frame(page)
    page.wait_for_timeout(500)
    return page.evaluate("() => window.crossOriginIsolated"), len(page.workers), page


def test_flet_alone_isolates_the_page_and_renders_on_a_worker(browser, start_app):
    """Flet's own server still sends the headers: when this fails, an upgrade changed that
    and the wrapper may not be needed any more."""
    app = start_app(script=PLAIN_FLET_APP)
    sent = headers(app.url)
    assert all(name.lower() in sent for name in ISOLATION), sent
    isolated, workers, _ = isolation(browser, app.url)
    assert isolated is True
    assert workers >= 1


def test_the_app_serves_its_page_unisolated_and_renders_on_one_thread(browser, start_app):
    app = start_app()
    for path in ("/", "/flutter_bootstrap.js", "/canvaskit/skwasm.wasm"):
        sent = headers(app.url.rstrip("/") + path)
        assert not [name for name in ISOLATION if name.lower() in sent], (path, sent)
    isolated, workers, page = isolation(browser, app.url)
    assert isolated is False
    assert workers == 0
    page.get_by_role("button", name="Try the demo").wait_for(timeout=30_000)
