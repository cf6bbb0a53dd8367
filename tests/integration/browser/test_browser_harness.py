"""Self-test of the browser harness (tests/support/browser.py) on a tiny Flet app of its own.

The app (tests/support/flet_harness_app.py) takes main.py's options, so AppProcess starts it
exactly as it starts the member app: web mode on 127.0.0.1, client served without a CDN.
"""

from __future__ import annotations

import io
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.browser import (
    AppProcess,
    AppStartError,
    ErrorBoxFound,
    decode_qr,
    enable_semantics,
    error_boxes,
    evaluate,
    glyph_report,
    has_cjk_glyphs,
    screenshot,
    wait_cjk_glyphs,
    wait_first_frame,
    wait_qr,
)
from tests.support.gallery import CaptureFailed, Gallery, button, text

ROOT = Path(__file__).resolve().parents[3]
HARNESS_APP = ROOT / "tests" / "support" / "flet_harness_app.py"
HEADING = "港湾咖啡 会员卡"
DEBIAN_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_SC_FACE = 2  # faces: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK, then the Mono ones


def _covers(font_path: Path, text: str, font_number: int = 0) -> bool:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(font_path, fontNumber=font_number, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception:  # not a font we can read: not a candidate
        return False
    return all(ord(ch) in cmap for ch in text if not ch.isspace())


@pytest.fixture(scope="module")
def cjk_font(tmp_path_factory) -> Path:
    """A font with the heading's characters: the project's own asset if there is one yet,
    else a few-character subset of Debian's Noto Sans CJK SC (fonts-noto-cjk)."""
    pytest.importorskip("fontTools", reason="fonttools is in the dev extra")
    candidates = sorted((ROOT / "assets").rglob("*.[ot]tf")) if (ROOT / "assets").is_dir() else []
    for candidate in candidates:
        if _covers(candidate, HEADING):
            return candidate
    if not DEBIAN_CJK.is_file():
        pytest.skip(
            f"no CJK font: none in assets/ and no {DEBIAN_CJK} (apt-get install fonts-noto-cjk)"
        )
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(DEBIAN_CJK, fontNumber=DEBIAN_SC_FACE)
    options = subset.Options()
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=HEADING + "".join(chr(c) for c in range(0x20, 0x7F)))
    subsetter.subset(font)
    path = tmp_path_factory.mktemp("fonts") / "harness-cjk-subset.otf"
    font.save(path)
    return path


def harness(starter, *args: str) -> AppProcess:
    return starter(*args, script=HARNESS_APP)


# --------------------------------------------------------------------------- AppProcess


def test_app_process_serves_the_flet_client_and_stops(start_app):
    app = harness(start_app)
    with urllib.request.urlopen(app.url, timeout=10) as reply:
        body = reply.read().decode()
    assert reply.status == 200
    assert "flutter" in body.lower()
    assert app.url == f"http://127.0.0.1:{app.port}/"
    assert "--data-dir" in app.log_text()  # the command line heads the log
    app.stop()
    assert not app.running
    assert app.process.returncode is not None


def test_app_process_start_failure_shows_the_log(tmp_path):
    app = AppProcess(tmp_path / "data", script="no_such_script.py", start_timeout=10)
    with pytest.raises(AppStartError) as failure:
        app.start()
    assert "no_such_script.py" in str(failure.value)  # python's own complaint, from the log
    assert not app.running


# --------------------------------------------------------------------------- the browser


@pytest.mark.browser
def test_find_click_screenshot_and_decode_qr(browser, start_app, tmp_path):
    code = "HARBOR-SELFTEST-0042"
    app = harness(start_app, "--qr", code)
    page = browser.open(app.url)
    wait_first_frame(page)
    assert evaluate(page, "() => window.innerWidth") == 420
    enable_semantics(page)

    button = page.get_by_role("button", name="Show QR code")
    # The first frame can come before the app's controls do (under load, by a second or
    # more): wait for the button rather than counting at once.
    button.wait_for(timeout=15_000)
    assert button.count() == 1, browser.page_log(page)
    assert decode_qr(screenshot(page)) == []
    button.click()
    page.get_by_text("QR shown").wait_for(timeout=10_000)
    page.get_by_role("img", name="Harness QR code").wait_for(timeout=10_000)
    assert wait_qr(page, expected=code) == [code]

    png = screenshot(page, tmp_path / "qr.png")
    assert (tmp_path / "qr.png").read_bytes() == png
    assert decode_qr(png) == [code]

    wide = browser.open(app.url, width=1000)
    wait_first_frame(wide)
    assert evaluate(wide, "() => window.innerWidth") == 1000


@pytest.mark.browser
def test_evaluate_gives_up_on_a_page_that_does_not_answer(browser):
    """A page whose main thread never comes back (here: a loop of 20 s) fails the step
    within its deadline; Playwright's own evaluate would wait for the loop to end, and a
    renderer spinning for good held a whole CI run until its limit."""
    page = browser.open("about:blank")
    assert evaluate(page, "(n) => n + 1", 41) == 42
    assert evaluate(page, "async () => null") is None
    evaluate(
        page,
        "() => { setTimeout(() => { const t = Date.now();"
        " while (Date.now() - t < 20000); }, 300); }",
    )
    time.sleep(1)  # the loop has begun
    started = time.monotonic()
    with pytest.raises(PlaywrightTimeout):
        evaluate(page, "() => 1", timeout=1_000)
    assert time.monotonic() - started < 5
    browser.close_page(page)


@pytest.mark.browser
def test_cjk_check_tells_glyphs_from_tofu(browser, start_app, cjk_font, tmp_path):
    reports = {}
    for name, args in {"font": ["--font", str(cjk_font)], "no font": []}.items():
        page = browser.open(harness(start_app, *args).url)
        wait_first_frame(page)
        enable_semantics(page)
        heading = page.get_by_text(HEADING, exact=True)
        reports[name] = wait_cjk_glyphs(page, heading, timeout=10_000 if args else 2_000)
        screenshot(page, tmp_path / f"{name}.png")  # kept for a look when this fails
    assert reports["font"].verdict, reports["font"].summary()
    assert not reports["no font"].verdict, reports["no font"].summary()
    assert reports["no font"].repeated >= 2


@pytest.mark.browser
def test_error_box_check_sees_a_control_whose_build_threw(browser, start_app, tmp_path):
    """The grey box Flutter draws for a failed build is caught, though its texts are in the
    accessibility tree; the screen before it passes the same check."""
    page = browser.open(harness(start_app).url)
    wait_first_frame(page)
    enable_semantics(page)
    button = page.get_by_role("button", name="Show broken row")
    button.wait_for(timeout=15_000)
    normal = screenshot(page, tmp_path / "normal.png")  # checked: raises on an error box
    assert error_boxes(normal) == []

    button.click()
    page.get_by_text("Broken row shown").wait_for(timeout=10_000)
    page.get_by_text("Broken row", exact=True).wait_for(timeout=10_000)  # the a11y tree is fine
    status = page.get_by_text("Broken row shown").bounding_box()
    deadline = time.monotonic() + 10
    while not (boxes := error_boxes(screenshot(page, allow_error_box=True))):
        assert time.monotonic() < deadline, "the harness's broken row drew no error box"
        page.wait_for_timeout(200)
    shot = tmp_path / "broken.png"
    with pytest.raises(ErrorBoxFound) as found:
        screenshot(page, shot)
    message = str(found.value)
    assert found.value.path == str(shot) and shot.is_file()
    assert str(shot) in message and "grey error box" in message
    box = found.value.boxes[0]
    assert f"at x={box.x}, y={box.y}" in message
    # Below the status line, nearly as wide as the 420 px page, reaching the bottom.
    assert box.y >= status["y"] + status["height"] - 1
    assert box.width >= 300 and box.height >= 200
    assert max(box.colour) - min(box.colour) <= 3 and 180 <= box.colour[0] <= 197
    assert boxes[0] == box


@pytest.mark.browser
def test_gallery_capture_fails_on_the_grey_box_of_an_expand_in_a_wrapping_row(
    browser, start_app, cjk_font, tmp_path
):
    """The member gallery's capture (tests/support/gallery.py) on the harness's copy of the
    Rewards tab's old bug: the screen before it passes; with the broken row, whose texts are
    all in the accessibility tree, the capture fails on the picture and names it."""
    page = browser.open(harness(start_app, "--font", str(cjk_font)).url, width=390, height=844)
    wait_first_frame(page)
    enable_semantics(page)
    # Loading, the heading is drawn before its font has arrived: the client's look for
    # fallback fonts fails in the console. The gallery starts once the page has loaded.
    assert wait_cjk_glyphs(page, page.get_by_text(HEADING, exact=True)).verdict
    page.wait_for_load_state("networkidle")
    gallery = Gallery(browser, page, tmp_path, "en", viewports=("phone",), themes=("light",))
    (normal,) = gallery.capture("harness", "normal", [button("Show broken row")])
    assert error_boxes(normal) == []

    page.get_by_role("button", name="Show broken row").click()
    with pytest.raises(CaptureFailed) as failed:
        gallery.capture(
            "harness", "broken", [text("Broken row shown"), text("Broken row", exact=True)]
        )
    shot = tmp_path / "harness-broken-en-phone-light.png"
    assert "grey error box" in str(failed.value), str(failed.value)
    assert failed.value.path == shot and shot.is_file()
    assert error_boxes(shot)


@pytest.mark.browser
def test_gallery_capture_fails_on_a_text_that_should_have_gone(
    browser, start_app, cjk_font, tmp_path
):
    """A capture's ``absent`` texts (a notice that should have left) fail the picture when
    they are still on screen, naming them, with the picture kept."""
    page = browser.open(harness(start_app, "--font", str(cjk_font)).url, width=390, height=844)
    wait_first_frame(page)
    enable_semantics(page)
    assert wait_cjk_glyphs(page, page.get_by_text(HEADING, exact=True)).verdict
    page.wait_for_load_state("networkidle")
    gallery = Gallery(browser, page, tmp_path, "en", viewports=("phone",), themes=("light",))
    with pytest.raises(CaptureFailed) as failed:
        gallery.capture(
            "harness", "stale", [text(HEADING, exact=True)], absent=[button("Show broken row")]
        )
    assert "button 'Show broken row' should have gone" in str(failed.value), str(failed.value)
    assert (tmp_path / "harness-stale-en-phone-light.png").is_file()


@pytest.mark.browser
def test_gallery_capture_fails_on_a_console_error(browser, start_app, tmp_path):
    """Without a CJK font the web client looks for Noto fallbacks that are not served: 404s
    in the console. The capture reports them, with the picture kept."""
    page = browser.open(harness(start_app).url, width=390, height=844)
    gallery = Gallery(browser, page, tmp_path, "en", viewports=("phone",), themes=("light",))
    wait_first_frame(page)
    enable_semantics(page)
    deadline = time.monotonic() + 15
    while not browser.page_errors(page):
        assert time.monotonic() < deadline, "no console error from the missing fonts"
        page.wait_for_timeout(100)
    with pytest.raises(CaptureFailed) as failed:
        gallery.capture("harness", "fonts", [button("Show QR code")])
    assert "logged errors" in str(failed.value) and "404" in str(failed.value)
    assert (tmp_path / "harness-fonts-en-phone-light.png").is_file()


# --------------------------------------------------------------------------- the pixel check


def _png(draw_on) -> bytes:
    image = Image.new("RGB", (320, 60), (250, 250, 252))
    draw_on(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _tofu(draw, x: int, crossed: bool) -> None:
    draw.rectangle((x, 10, x + 14, 40), outline=(30, 30, 30), width=2)
    if crossed:
        draw.line((x, 10, x + 14, 40), fill=(30, 30, 30), width=1)
        draw.line((x + 14, 10, x, 40), fill=(30, 30, 30), width=1)


def _glyph(draw, x: int, n: int) -> None:
    """A made-up character: different strokes for every n, not framed."""
    ink = (30, 30, 30)
    draw.line((x + 2, 12 + n % 3, x + 26, 12 + n % 3), fill=ink, width=2)
    draw.line((x + 6 + n % 5, 10, x + 6 + n % 5, 40), fill=ink, width=2)
    draw.line((x + 18, 16, x + 8 + n % 4 * 3, 38), fill=ink, width=2)
    draw.line((x, 28 + n % 4, x + 24, 26), fill=ink, width=2)
    draw.line((x + 20 + n % 3, 20, x + 26, 40 - n % 2 * 6), fill=ink, width=2)


@pytest.mark.parametrize("crossed", [True, False], ids=["crossed boxes", "empty boxes"])
def test_pixel_check_finds_repeated_boxes(crossed):
    png = _png(lambda d: [_tofu(d, 10 + 22 * i, crossed) for i in range(5)])
    report = glyph_report(png)
    assert not report.verdict, report.summary()
    assert report.repeated == 5
    assert not has_cjk_glyphs(png, (0, 0, 320, 60))


def test_pixel_check_accepts_distinct_glyphs():
    png = _png(lambda d: [_glyph(d, 10 + 34 * i, i) for i in range(6)])
    report = glyph_report(png)
    assert report.verdict, report.summary()
    assert has_cjk_glyphs(png, {"x": 0, "y": 0, "width": 320, "height": 60})


def test_pixel_check_sees_touching_boxes_and_blank_regions():
    touching = _png(lambda d: [_tofu(d, 10 + 14 * i, True) for i in range(5)])
    assert not has_cjk_glyphs(touching), glyph_report(touching).summary()
    blank = _png(lambda d: None)
    assert glyph_report(blank).reason == "no text in the region"
    assert not has_cjk_glyphs(blank)
