"""Drives the member app in a real browser: the app as a web server, Chromium via Playwright.

    with AppProcess(tmp_path / "data") as app, Browser() as browser:
        page = browser.open(app.url)
        wait_first_frame(page)
        enable_semantics(page)
        page.get_by_role("button", name="Show card").click()
        png = screenshot(page, tmp_path / "card.png")
        assert decode_qr(png)
        assert has_cjk_glyphs(png, page.get_by_text("会员卡").bounding_box())

Chromium is Debian's (/usr/bin/chromium); Playwright never downloads a browser of its own here
(do not run `playwright install`). Flet's web client is a Flutter canvas: wait for the first
frame, then switch on Flutter's accessibility tree to find controls by role and name.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from .servers import LoggedProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Flet's web client asks a CDN for Rive's runtime at start-up (FLET_NOTES: it only matters for
# the Rive control); offline that request fails with a console error every time.
HARMLESS_REQUESTS = ("https://cdn.jsdelivr.net/npm/@rive-app/",)
START_TIMEOUT = 60.0
FIRST_FRAME_TIMEOUT_MS = 30_000
# Short, so sessions of closed tabs are evicted (and their background tasks stopped) quickly.
SESSION_TIMEOUT = 30


class AppStartError(RuntimeError):
    pass


# --------------------------------------------------------------------------- the app process


class AppProcess(LoggedProcess):
    """``python main.py --web --host 127.0.0.1 --port N --data-dir DIR [extra...]`` from the repo.

    ``script`` may name another Flet app taking the same options (the harness self-test does).
    The app's output goes to ``log_path``; ``start()`` returns once ``GET /`` answers 200.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike,
        *extra_args: str,
        port: int | None = None,
        script: str | os.PathLike = "main.py",
        cwd: str | os.PathLike = ROOT,
        log_path: str | os.PathLike | None = None,
        session_timeout: int = SESSION_TIMEOUT,
        env: Mapping[str, str] | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.extra_args = [str(a) for a in extra_args]
        self.port = port
        self.script = str(script)
        self.cwd = Path(cwd)
        if log_path is None:
            log_path = self.data_dir.parent / f"{self.data_dir.name}-app.log"
        self.log_path = Path(log_path)
        self.session_timeout = session_timeout
        self.extra_env = dict(env or {})
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the app has not been started")
        return f"http://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        return [
            sys.executable,
            self.script,
            "--web",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            *self.extra_args,
        ]

    def environment(self) -> dict[str, str]:
        # No FLET_WEB_NO_CDN here on purpose: the app itself must serve the client without a
        # CDN, and a test that set it would hide an app that forgot to.
        return {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "FLET_SESSION_TIMEOUT": str(self.session_timeout),
            "FLET_FORCE_WEB_SERVER": "true",  # never try to open a desktop browser
            # Each request to the server logged with its answer and time: a failed test's
            # report then tells a tap that sent nothing from a slow answer.
            "LOYALTY_APP_LOG": "debug",
            **self.extra_env,
        }

    def start(self) -> AppProcess:
        if self.running:
            raise RuntimeError("the app is already running")
        if self.port is None:
            self.port = free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"\n--- starting: {' '.join(self.command())}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.environment(),
            )
        self._wait_ready()
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AppStartError(
                    f"the app exited with code {self.process.returncode} before serving\n"
                    f"{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.url, timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.kill()
        raise AppStartError(
            f"GET {self.url} did not answer 200 within {self.start_timeout:.0f} s\n"
            f"{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM (Flet shuts down gracefully), SIGKILL if it lingers.

        Called while a test's failure is on its way out (a ``finally``), it first writes what
        every open page shows to ``<log>-pages.log`` beside the app's log (the failure report
        prints it): after the stop, the pages only show Flet's "Working..." while it tries to
        reconnect, and the report would picture that instead."""
        if not self.running:
            return
        if sys.exc_info()[0] is not None:
            self._describe_pages()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        if not self.running:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def _describe_pages(self) -> None:
        pages = self.log_path.with_name(f"{self.log_path.stem}-pages.log")
        try:
            described = [
                browser.describe_open_pages(self.log_path.parent / "failed-before-stop")
                for browser in _LIVE_BROWSERS
            ]
            pages.write_text("\n".join(described) or "no browser open")
        except Exception as exc:  # noqa: BLE001 - the failure under way is the one to report
            pages.write_text(f"the pages could not be described: {exc!r}")


# --------------------------------------------------------------------------- the browser


# Browsers started and not closed yet: a failing test's app describes their pages before it
# stops (AppProcess.stop).
_LIVE_BROWSERS: list[Browser] = []


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


class Browser:
    """Headless Debian Chromium under sync Playwright; each ``open`` gets a fresh context."""

    def __init__(self, *, headless: bool = True, args: Sequence[str] = CHROMIUM_ARGS) -> None:
        self.headless = headless
        self.args = list(args)
        self._playwright = None
        self._browser = None
        self._contexts: list[Any] = []
        self._logs: dict[int, list[str]] = {}
        self._errors: dict[int, list[str]] = {}

    def start(self) -> Browser:
        from playwright.sync_api import sync_playwright

        if not chromium_available():
            raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, headless=self.headless, args=self.args
            )
        except BaseException:
            self._playwright.stop()
            self._playwright = None
            raise
        _LIVE_BROWSERS.append(self)
        return self

    def open(
        self,
        url: str,
        width: int = 420,
        height: int = 860,
        *,
        device_scale_factor: float = 1,
        locale: str | None = None,
        semantics: bool = True,
        before_goto=None,  # noqa: ANN001
    ):
        """A new page (in its own browser context: no shared storage) showing ``url``.

        420 x 860 is a phone, 1000 x 860 a tablet/desktop/kiosk window. Returns once the
        document has loaded; call ``wait_first_frame`` before looking at the app. The page's
        accessibility tree is on from the start (tests find controls by role and name);
        ``semantics=False`` leaves it off, as for a member without a screen reader.
        ``before_goto(page)`` runs before the page navigates (e.g. to record its frames from
        the first).
        """
        if self._browser is None:
            self.start()
        context = self._browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=device_scale_factor,
            locale=locale,
        )
        if semantics:
            context.add_init_script(SEMANTICS_FROM_THE_START)
        self._contexts.append(context)
        page = context.new_page()
        # New lists, never ones found under the same id: a closed page's object is freed and
        # a new page can get its id (a fresh page was seen to start with a closed one's
        # "pageerror: Exception", logged when that one's app stopped).
        log = self._logs[id(page)] = []
        errors = self._errors[id(page)] = []

        def console(msg) -> None:  # noqa: ANN001
            log.append(f"console.{msg.type}: {msg.text}")
            where = (msg.location or {}).get("url", "")
            if msg.type == "error" and not where.startswith(HARMLESS_REQUESTS):
                errors.append(f"console.error: {msg.text} (at {where or 'unknown'})")

        def uncaught(exc) -> None:  # noqa: ANN001
            log.append(f"pageerror: {exc}")
            errors.append(f"pageerror: {exc}")

        page.on("console", console)
        page.on("pageerror", uncaught)
        if before_goto is not None:
            before_goto(page)
        page.goto(url)
        return page

    def close_page(self, page) -> None:
        """Closes the page like a closed tab (its context goes too); the app sees a disconnect."""
        context = page.context
        context.close()
        if context in self._contexts:
            self._contexts.remove(context)

    def open_contexts(self) -> list:
        """The browser contexts open now (one per ``open``), to close later ones with
        ``close_contexts_except``."""
        return list(self._contexts)

    def close_contexts_except(self, keep: list) -> None:
        """Closes every context opened here but those in ``keep`` (their apps see closed tabs)."""
        for context in [c for c in self._contexts if c not in keep]:
            with contextlib.suppress(Exception):  # a crashed page's context may be gone
                context.close()
            self._contexts.remove(context)

    def describe_open_pages(self, pictures: Path | None = None, *, last: int = 6) -> str:
        """What every page still open shows, for a failed test's report: its address, its
        uncaught errors, its last console lines, the texts of its accessibility tree and (with
        ``pictures``) a screenshot saved there."""
        parts: list[str] = []
        pages = [page for context in list(self._contexts) for page in list(context.pages)]
        for n, page in enumerate(pages, 1):
            lines = [f"page {n}: {page.url}"]
            log = self._logs.get(id(page), [])
            crashes = [line for line in log if line.startswith("pageerror")]
            lines += [f"  {line}" for line in crashes[-5:]]
            lines += [f"  last console: {line[:300]}" for line in log[-last:]]
            try:
                texts = evaluate(
                    page,
                    "() => Array.from(document.querySelectorAll('flt-semantics'))"
                    ".map(n => n.getAttribute('aria-label') || "
                    "(n.querySelector('flt-semantics') ? '' : n.textContent)).filter(Boolean)",
                    timeout=5_000,
                )
                shown = " | ".join(" / ".join(text.split("\n")) for text in texts)
                lines.append(f"  screen: {shown[:1500]}")
            except Exception as exc:  # a crashed or spinning page does not answer
                lines.append(f"  screen: the page did not answer ({type(exc).__name__})")
            if pictures is not None:
                with contextlib.suppress(Exception):
                    pictures.mkdir(parents=True, exist_ok=True)
                    path = pictures / f"page-{n}.png"
                    page.screenshot(path=str(path), timeout=5_000)
                    lines.append(f"  picture: {path}")
            parts.append("\n".join(lines))
        return "\n".join(parts) or "no page open"

    def page_log(self, page) -> list[str]:
        """Console messages and uncaught errors of a page opened here, oldest first."""
        return list(self._logs.get(id(page), []))

    def page_errors(self, page) -> list[str]:
        """Console errors and uncaught exceptions of a page opened here, oldest first, except
        the failed requests in ``HARMLESS_REQUESTS``."""
        return list(self._errors.get(id(page), []))

    def close(self) -> None:
        for context in self._contexts:
            with contextlib.suppress(Exception):  # the browser may already be gone
                context.close()
        self._contexts.clear()
        if self in _LIVE_BROWSERS:
            _LIVE_BROWSERS.remove(self)
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def __enter__(self) -> Browser:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()

    # The page helpers below, also reachable as methods.
    def wait_first_frame(self, page, *, timeout: float = FIRST_FRAME_TIMEOUT_MS) -> None:
        wait_first_frame(page, timeout=timeout)

    def enable_semantics(self, page, *, timeout: float = 10_000) -> None:
        enable_semantics(page, timeout=timeout)

    def screenshot(
        self,
        page,
        path: str | os.PathLike | None = None,
        *,
        allow_error_box: bool = False,
        **kwargs,
    ) -> bytes:
        return screenshot(page, path, allow_error_box=allow_error_box, **kwargs)

    def decode_qr(self, png) -> list[str]:
        return decode_qr(png)

    def has_cjk_glyphs(self, png, region=None, *, scale: float = 1.0) -> bool:
        return has_cjk_glyphs(png, region, scale=scale)


# Flutter's accessibility tree, switched on the moment the engine offers it (each page load,
# reloads too), before the app draws a form. Switched on later, a field that took the focus
# by itself (`autofocus`) keeps it in the engine's hidden editing input, which has no label:
# tapping the field by its label then leaves the page's focus on that unlabelled input, and
# whether the form or the switch came first depended on how fast the app started (the
# kiosk's set-up and the member's sign-in failed "never had the focus" in whole-suite runs).
SEMANTICS_FROM_THE_START = """
new MutationObserver((_, observer) => {
  const placeholder = document.querySelector('flt-semantics-placeholder');
  if (placeholder) {
    observer.disconnect();
    placeholder.click();
  }
}).observe(document, { childList: true, subtree: true });
"""


EVALUATE_TIMEOUT_MS = 10_000


def evaluate(page, function: str, arg: Any = None, *, timeout: float = EVALUATE_TIMEOUT_MS) -> Any:
    """``page.evaluate(function, arg)`` with a deadline.

    Playwright's own ``evaluate`` waits for the page's main thread without limit: a page
    whose renderer never comes back (a WebAssembly renderer spinning) held a test, and with
    it the whole CI run, for good. This runs the function once through ``wait_for_function``,
    whose deadline Playwright keeps outside the page, and hands back its (awaited) result;
    a page that does not answer within ``timeout`` ms raises Playwright's TimeoutError.
    ``function`` is a JavaScript function taking at most one argument.
    """
    once = f"async (arg) => ({{ value: await ({function})(arg) }})"
    return page.wait_for_function(once, arg=arg, timeout=timeout).json_value()["value"]


def wait_first_frame(page, *, timeout: float = FIRST_FRAME_TIMEOUT_MS) -> None:
    """Waits until Flutter has drawn its first frame (the ``#loading`` splash is removed)."""
    page.wait_for_selector("#loading", state="detached", timeout=timeout)


def enable_semantics(page, *, timeout: float = 10_000) -> None:
    """Switches on Flutter's accessibility tree so ``get_by_role``/``get_by_text`` work.

    Flutter web keeps it off until a hidden ``flt-semantics-placeholder`` is activated; a
    Playwright click cannot reach it (it is off screen), so it is clicked from JavaScript.
    Pages opened by ``Browser.open`` have it on from the start (SEMANTICS_FROM_THE_START):
    then this only waits for the tree.
    """
    enabled = "() => document.querySelectorAll('flt-semantics').length > 0"
    either = (
        "() => document.querySelectorAll('flt-semantics').length > 0"
        " || !!document.querySelector('flt-semantics-placeholder')"
    )
    page.wait_for_function(either, timeout=timeout)
    evaluate(page, "() => document.querySelector('flt-semantics-placeholder')?.click()")
    page.wait_for_function(enabled, timeout=timeout)


def screenshot(
    page, path: str | os.PathLike | None = None, *, allow_error_box: bool = False, **kwargs
) -> bytes:
    """A PNG of the viewport (also written to ``path`` if given).

    Fails (``ErrorBoxFound``) if the picture shows Flutter's grey error box, i.e. a control's
    build threw: the accessibility tree keeps the texts around it, so only the pixels tell.
    The PNG is kept (at ``path``, or in a temporary file named in the message).
    ``allow_error_box=True`` is for the harness's own test of that check.
    """
    png = page.screenshot(path=str(path) if path is not None else None, **kwargs)
    if not allow_error_box and error_boxes(png):
        # A dialog's barrier half-way through its fade tints the page a flat grey of the
        # same range for a few frames; an error box stays. Judge the settled picture.
        from .gallery import CaptureFailed, settled_screenshot  # gallery builds on this module

        with contextlib.suppress(CaptureFailed):
            settled_screenshot(page, timeout=5.0)
        png = page.screenshot(path=str(path) if path is not None else None, **kwargs)
        assert_no_error_box(png, where=f"a screenshot of {page.url}", path=path)
    return png


def _image(png: bytes | str | os.PathLike | Image.Image) -> Image.Image:
    if isinstance(png, Image.Image):
        return png
    if isinstance(png, bytes | bytearray):
        return Image.open(io.BytesIO(png))
    return Image.open(png)


def decode_qr(png: bytes | str | os.PathLike | Image.Image) -> list[str]:
    """The texts of every QR code visible in a screenshot (zxing-cpp), top-left first."""
    import zxingcpp

    image = _image(png).convert("RGB")
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    found = sorted(found, key=lambda b: (b.position.top_left.y, b.position.top_left.x))
    return [b.text for b in found]


def wait_qr(page, *, expected: str | None = None, timeout: float = 10_000) -> list[str]:
    """Screenshots until a QR code decodes (or ``expected`` is among the codes) or time is up.

    Flutter can update its accessibility tree a frame before the new pixels reach a
    screenshot, and images decode asynchronously: poll the pixels rather than assert at once.
    Returns the codes of the last screenshot.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        codes = decode_qr(page.screenshot())
        done = expected in codes if expected is not None else bool(codes)
        if done or time.monotonic() >= deadline:
            return codes
        page.wait_for_timeout(200)


# --------------------------------------------------------------------------- CJK glyphs vs tofu
#
# Without a CJK font Flutter draws every Chinese character as the fallback font's ".notdef"
# glyph: in Flet's web client (Roboto) a tall crossed box, elsewhere often an empty one.
# Whatever its shape, ".notdef" is ONE glyph: a run of missing characters renders as a row of
# identical boxes framed on all four sides, each as tall as the line. Real glyphs of different
# characters differ, and few are framed (囗-shaped ones such as 国 or 回; the small 口 radical
# of 咖 or 啡 is framed too, but much shorter than the line).
#
# The check, on the part of a screenshot that should show Chinese text:
#  1. ink: pixels that differ from the region's most common colour (the background) by at least
#     INK_FRACTION of the strongest contrast there (so dark mode and coloured text work too);
#  2. lines: bands of rows holding ink; cells: runs of ink columns in a band (a character, or
#     one part of a left/right compound such as 咖); the line height is the band's tallest cell;
#  3. a cell is a "box" when ink covers >= FRAME_COVERAGE of each of its four edges (within
#     FRAME_BAND px) and it is >= BOX_HEIGHT of the line high. A box up to 1.5 times as wide as
#     high is one glyph; a wider box with inner full-height strokes is several boxes touching
#     (small text at device scale 1) and counts as a run of them;
#  4. two boxes are the same glyph when their sizes differ by <= 1 px and their ink masks,
#     scaled to one size, overlap with IoU >= SAME_IOU;
#  5. verdict False (tofu) when a line holds two or more boxes of the same glyph (or a run of
#     touching boxes), when boxes are at least half of the text-sized cells, or when there is no
#     text; True (glyphs) otherwise.
# Ink complexity (mean count of separate ink runs per row) is reported for diagnostics only: it
# tells empty boxes (<= 2) from glyphs, but Roboto's crossed boxes score like glyphs (2-3.5).

INK_FRACTION = 0.15
MIN_CONTRAST = 40
MIN_CELL_HEIGHT = 6
TEXT_HEIGHT = 0.4
FRAME_BAND = 2
FRAME_COVERAGE = 0.85
BOX_HEIGHT = 0.8
SAME_IOU = 0.8


@dataclass
class Cell:
    x: int
    y: int
    width: int
    height: int
    mask: list[list[bool]] = field(repr=False)
    runs_per_row: float = 0.0
    boxes: int = 0  # 0: not a box; 1: one box; 2 or more: touching boxes
    band: int = 0  # which band of ink rows (a line) it is in, top to bottom


@dataclass
class GlyphReport:
    """What ``glyph_report`` found; ``summary()`` is meant for assertion messages."""

    cells: list[Cell]
    text_cells: list[Cell]
    boxes: list[Cell]
    repeated: int
    verdict: bool
    reason: str

    @property
    def complexity(self) -> float:
        cells = self.text_cells or self.cells
        return sum(c.runs_per_row for c in cells) / len(cells) if cells else 0.0

    def summary(self) -> str:
        return (
            f"{self.reason}: {len(self.text_cells)} text-sized cells, {len(self.boxes)} boxes "
            f"({self.repeated} repeated), ink runs per row {self.complexity:.2f}, "
            f"{self.glyphs_wide():.1f} glyphs wide, widest gap {self.widest_gap():.2f}"
        )

    # For a line of Chinese (a name): a character the engine drew as nothing is no box; it
    # leaves a glyph-wide gap, or a line shorter than its characters (清 5:14 for 清晨5:14).
    # The line is the band with the most text cells (a field's label is a band of its own).
    def _line(self) -> tuple[list[Cell], int]:
        bands: dict[int, list[Cell]] = {}
        for cell in self.text_cells:
            bands.setdefault(cell.band, []).append(cell)
        cells = sorted(max(bands.values(), key=len, default=[]), key=lambda c: c.x)
        # The median glyph's height: a text cursor at the end is taller than the glyphs.
        return cells, int(statistics.median(c.height for c in cells)) if cells else 0

    def glyphs_wide(self) -> float:
        """From the first ink to the last, in glyph heights (about one per Chinese
        character)."""
        cells, height = self._line()
        if not cells:
            return 0.0
        return (max(c.x + c.width for c in cells) - cells[0].x) / height

    def widest_gap(self) -> float:
        """The widest blank between neighbouring glyphs, in glyph heights."""
        cells, height = self._line()
        gaps = [b.x - (a.x + a.width) for a, b in zip(cells, cells[1:], strict=False)]
        return max(gaps, default=0) / height if height else 0.0


def _region_box(region, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    if region is None:
        return 0, 0, size[0], size[1]
    if isinstance(region, Mapping):
        x, y, w, h = region["x"], region["y"], region["width"], region["height"]
    else:
        x, y, w, h = region
    left, top = max(0, int(x * scale)), max(0, int(y * scale))
    right = min(size[0], int(round((x + w) * scale)))
    bottom = min(size[1], int(round((y + h) * scale)))
    if right <= left or bottom <= top:
        raise ValueError(f"region {region!r} lies outside the {size[0]}x{size[1]} image")
    return left, top, right, bottom


def _ink_mask(image: Image.Image) -> list[list[bool]]:
    rgb = image.convert("RGB")
    width, height = rgb.size
    background = max(rgb.getcolors(width * height), key=lambda item: item[0])[1]
    br, bg, bb = background
    flat = getattr(rgb, "get_flattened_data", None) or rgb.getdata  # Pillow >= 13 / older
    diffs = [max(abs(r - br), abs(g - bg), abs(b - bb)) for r, g, b in flat()]
    strongest = max(diffs, default=0)
    if strongest < MIN_CONTRAST:
        return [[False] * width for _ in range(height)]
    threshold = max(MIN_CONTRAST / 2, strongest * INK_FRACTION)
    return [[d >= threshold for d in diffs[r * width : (r + 1) * width]] for r in range(height)]


def _spans(flags: Iterable[bool]) -> list[tuple[int, int]]:
    """[start, end) index ranges where flags are true."""
    spans, start, end = [], None, 0
    for end, flag in enumerate(flags):
        if flag and start is None:
            start = end
        elif not flag and start is not None:
            spans.append((start, end))
            start = None
    if start is not None:
        spans.append((start, end + 1))
    return spans


def _bands(mask: list[list[bool]]) -> list[list[Cell]]:
    """The cells of each band of ink rows (a text line, or a row of controls), top to bottom."""
    bands = []
    for band_no, (top, bottom) in enumerate(_spans(any(row) for row in mask)):
        band, cells = mask[top:bottom], []
        for left, right in _spans(any(row[c] for row in band) for c in range(len(mask[0]))):
            rows = [r for r in range(top, bottom) if any(mask[r][left:right])]
            y0, y1 = rows[0], rows[-1] + 1
            sub = [mask[r][left:right] for r in range(y0, y1)]
            runs = [len(_spans(row)) for row in sub]
            cells.append(
                Cell(left, y0, right - left, y1 - y0, sub, sum(runs) / len(runs), band=band_no)
            )
        bands.append(cells)
    return bands


def _count_boxes(cell: Cell, line_height: int) -> int:
    """0 if the cell is not framed like a missing-glyph box, else how many boxes it holds."""
    w, h, m = cell.width, cell.height, cell.mask
    if h < max(MIN_CELL_HEIGHT, BOX_HEIGHT * line_height) or w < 4 or w < 0.25 * h:
        return 0
    band = FRAME_BAND

    def covered(cells: Iterable[bool], length: int) -> bool:
        return sum(cells) >= FRAME_COVERAGE * length

    if not (
        covered((any(m[r][c] for r in range(band)) for c in range(w)), w)
        and covered((any(m[h - 1 - r][c] for r in range(band)) for c in range(w)), w)
        and covered((any(m[r][c] for c in range(band)) for r in range(h)), h)
        and covered((any(m[r][w - 1 - c] for c in range(band)) for r in range(h)), h)
    ):
        return 0
    if w <= 1.5 * h:
        return 1
    # Wider than a glyph: boxes touching each other share full-height strokes; a framed
    # control (an outlined text field) has none inside.
    full = [sum(m[r][c] for r in range(h)) >= FRAME_COVERAGE * h for c in range(w)]
    inner = _spans(full[band:-band])
    return len(inner) + 1 if len(inner) >= max(1, int(w / (1.5 * h))) else 0


def _same_glyph(a: Cell, b: Cell) -> bool:
    if abs(a.width - b.width) > 1 or abs(a.height - b.height) > 1:
        return False
    w, h = min(a.width, b.width), min(a.height, b.height)
    both = either = 0
    for r in range(h):
        row_a, row_b = a.mask[r * a.height // h], b.mask[r * b.height // h]
        for c in range(w):
            pa, pb = row_a[c * a.width // w], row_b[c * b.width // w]
            both += pa and pb
            either += pa or pb
    return either > 0 and both / either >= SAME_IOU


def glyph_report(
    png: bytes | str | os.PathLike | Image.Image, region=None, *, scale: float = 1.0
) -> GlyphReport:
    """Looks for glyphs and missing-glyph boxes in ``region`` of a screenshot.

    ``region``: (x, y, width, height) in CSS px or a Playwright bounding box; None for the
    whole image. ``scale``: the page's device scale factor.
    """
    image = _image(png)
    bands = _bands(_ink_mask(image.crop(_region_box(region, scale, image.size))))
    cells = [cell for band in bands for cell in band]
    text_cells: list[Cell] = []
    boxes: list[Cell] = []
    repeated = 0
    for band in bands:
        line_height = max(c.height for c in band)
        # Text-sized: no dots or commas, no underlines or wide blobs (buttons, fields).
        texts = [c for c in band if c.height >= max(MIN_CELL_HEIGHT, TEXT_HEIGHT * line_height)]
        for cell in texts:
            cell.boxes = _count_boxes(cell, line_height)
        line_boxes = [c for c in texts if c.boxes]
        texts = [c for c in texts if c.boxes or c.width <= 3 * c.height]
        # The same box twice on a line is a missing glyph; across lines, maybe checkboxes.
        repeated += sum(c.boxes for c in line_boxes if c.boxes > 1)
        singles = [c for c in line_boxes if c.boxes == 1]
        repeated += sum(any(_same_glyph(a, b) for b in singles if b is not a) for a in singles)
        text_cells += texts
        boxes += line_boxes
    if not text_cells:
        return GlyphReport(cells, [], [], 0, False, "no text in the region")
    if repeated >= 2:
        verdict, reason = False, "tofu: the same box repeated on a line"
    elif 2 * len(boxes) >= len(text_cells):
        verdict, reason = False, "tofu: mostly boxes"
    else:
        verdict, reason = True, "glyphs"
    return GlyphReport(cells, text_cells, boxes, repeated, verdict, reason)


def field_text(box: Mapping[str, float]) -> dict[str, float]:
    """The line of text inside an outlined text field's box (its frame, floating label and
    counter left out: the frame would make the whole field one cell of ink)."""
    return {"x": box["x"] + 12, "y": box["y"] + 8, "width": box["width"] - 24, "height": 34}


def wait_cjk_glyphs(
    page,  # noqa: ANN001
    locator,  # noqa: ANN001
    *,
    timeout: float = 10_000,
    scale: float = 1.0,
    inside=None,  # noqa: ANN001
    until=None,  # noqa: ANN001
) -> GlyphReport:
    """Screenshots until ``locator``'s text shows as glyphs or ``timeout`` ms pass.

    Fonts load after the first frame, so the first screenshots can show boxes even when the
    font is there. Returns the last report: assert on ``.verdict``, print ``.summary()``.
    ``inside(box)``: the part of the element's box to look at (``field_text``).
    ``until(report)``: what the text must show beyond glyphs (``drawn_whole``): the first
    glyphs can be a page still sliding in, or a font still arriving.
    """
    deadline = time.monotonic() + timeout / 1000
    while True:
        region = locator.bounding_box()
        if region is not None and inside is not None:
            region = inside(region)
        if region is None:
            report = GlyphReport([], [], [], 0, False, "the element is missing or hidden")
        else:
            report = glyph_report(page.screenshot(), region, scale=scale)
        done = report.verdict and (until is None or until(report))
        if done or time.monotonic() >= deadline:
            return report
        page.wait_for_timeout(250)


def drawn_whole(characters: int):  # noqa: ANN201
    """For ``wait_cjk_glyphs(until=...)``: one line of ``characters`` Chinese characters,
    every one a glyph: no box, no glyph-wide blank, as wide as its characters."""

    def whole(report: GlyphReport) -> bool:
        return (
            not report.boxes
            and report.widest_gap() < 0.5
            and report.glyphs_wide() > characters - 0.5
        )

    return whole


def has_cjk_glyphs(
    png: bytes | str | os.PathLike | Image.Image, region=None, *, scale: float = 1.0
) -> bool:
    """True if the Chinese text in ``region`` of the screenshot is drawn as real glyphs.

    False if it is drawn as tofu (missing-glyph boxes) or the region holds no text. Give the
    region of an element known to show CJK text (``locator.bounding_box()`` after
    ``enable_semantics``) and, for a page opened with ``device_scale_factor``, that ``scale``.
    With no region the whole screenshot is searched for tofu; a line with a single missing
    character may then go unnoticed. Latin-only text also counts as glyphs: this tells glyphs
    from boxes, not one script from another. ``glyph_report(...).summary()`` says why.
    """
    return glyph_report(png, region, scale=scale).verdict


# --------------------------------------------------------------------------- Flutter's error box
#
# When a widget's build throws, Flutter puts an ErrorWidget in its place. In a release build
# (Flet's prebuilt web client is one) that is a RenderErrorBox with no text: a flat rectangle of
# Color(0xF0C0C0C0), grey 192 at alpha 240/255, filling the space the widget was given. The
# page's accessibility tree still holds every text around it, so tests that find controls by
# role and text pass while the user sees a grey slab. Blended over whatever is behind it, each
# channel is 192 * 240/255 + behind * 15/255: 181 (over black) to 196 (over white); seen in
# Chromium as (196, 196, 196) over the light page and (196, 192, 181) over amber.
#
# The check: pixels whose three channels lie in ERROR_BOX_RANGE and that equal their right and
# lower neighbours within FLAT_STEP (flat, not a photo or a gradient); a rectangle of such
# pixels at least MIN_ERROR_BOX (width, height) image px is an error box. Antialiased edges
# fall outside the rectangle, so a found box may be a pixel smaller than the drawn one.
# Material 3 surfaces (light and dark backgrounds, surface containers, disabled buttons,
# progress tracks) are not in the range, and text, icons and 1 px dividers are too small.
# What it cannot tell from an error box: a flat grey of #B5B5B5..#C4C4C4 drawn on purpose
# (Colors.GREY_400 is #BDBDBD; a "silver" tier colour #C0C0C0) at least 40 x 20 px.

ERROR_BOX_RANGE = (180, 197)
FLAT_STEP = 2
MIN_ERROR_BOX = (40, 20)


@dataclass(frozen=True)
class ErrorBox:
    """A grey error box in a screenshot, in image px (device px at a device scale factor)."""

    x: int
    y: int
    width: int
    height: int
    colour: tuple[int, int, int]

    def __str__(self) -> str:
        return (
            f"{self.width}x{self.height} px at x={self.x}, y={self.y} "
            f"(to x={self.x + self.width}, y={self.y + self.height}), colour {self.colour}"
        )


class ErrorBoxFound(AssertionError):
    """A screenshot shows Flutter's grey error box; ``boxes`` and ``path`` say where."""

    def __init__(self, message: str, boxes: list[ErrorBox], path: str | None) -> None:
        super().__init__(message)
        self.boxes = boxes
        self.path = path


def _error_box_mask(rgb: Image.Image) -> Image.Image:
    """L image: 255 where a pixel has the error box's grey and is flat: it equals (within
    FLAT_STEP) its left or right neighbour, and its upper or lower one."""
    from PIL import ImageChops

    def darkest(*images: Image.Image) -> Image.Image:
        result = images[0]
        for other in images[1:]:
            result = ImageChops.darker(result, other)
        return result

    def same_as(dx: int, dy: int) -> Image.Image:
        # 255 where the pixel equals the one at (x + dx, y + dy); edges compare with themselves.
        width, height = rgb.size
        shifted = rgb.copy()
        box = (max(dx, 0), max(dy, 0), width + min(dx, 0), height + min(dy, 0))
        shifted.paste(rgb.crop(box), (max(-dx, 0), max(-dy, 0)))
        step = ImageChops.difference(rgb, shifted)
        return darkest(
            *(band.point(lambda v: 255 if v <= FLAT_STEP else 0) for band in step.split())
        )

    low, high = ERROR_BOX_RANGE
    in_range = darkest(
        *(band.point(lambda v: 255 if low <= v <= high else 0) for band in rgb.split())
    )
    flat_across = ImageChops.lighter(same_as(1, 0), same_as(-1, 0))
    flat_down = ImageChops.lighter(same_as(0, 1), same_as(0, -1))
    return darkest(in_range, flat_across, flat_down)


def error_boxes(
    png: bytes | str | os.PathLike | Image.Image,
    *,
    min_size: tuple[int, int] = MIN_ERROR_BOX,
) -> list[ErrorBox]:
    """Every flat area of the error box's grey holding a solid ``min_size`` rectangle.

    Rows are scanned for runs of masked pixels at least ``min_width`` long. Runs on
    consecutive rows that overlap by ``min_width`` or more grow a rectangle (its width the
    overlap); one ``min_height`` rows or taller proves a box. The box reported is the bounding
    box of all the runs connected to it, so text or a control painted over part of the grey
    does not cut it up. Top-left first.
    """
    import re

    min_width, min_height = min_size
    rgb = _image(png).convert("RGB")
    width, height = rgb.size
    mask = _error_box_mask(rgb).tobytes()
    run_pattern = re.compile(rb"\xff{%d,}" % min_width)
    parent: dict[tuple[int, int], tuple[int, int]] = {}  # union-find over runs (row, index)

    def root(run: tuple[int, int]) -> tuple[int, int]:
        while parent[run] != run:
            parent[run] = parent[parent[run]]
            run = parent[run]
        return run

    rows: list[list[tuple[int, int]]] = []
    proofs: list[tuple[tuple[int, int], int, int, int, int]] = []  # run, x0, y0, x1, y1
    open_: list[tuple[int, int, int, tuple[int, int]]] = []  # x0, x1, first row, last run
    for y in range(height + 1):
        row = mask[y * width : (y + 1) * width] if y < height else b""
        runs = [(m.start(), m.end()) for m in run_pattern.finditer(row)]
        rows.append(runs)
        for i, (r0, r1) in enumerate(runs):
            parent[(y, i)] = (y, i)
            for j, (p0, p1) in enumerate(rows[y - 1] if y else []):
                if min(p1, r1) > max(p0, r0):
                    parent[root((y, i))] = root((y - 1, j))
        grown, continued = [], set()
        for x0, x1, top, last in open_:
            best = None
            for i, (r0, r1) in enumerate(runs):
                a, b = max(x0, r0), min(x1, r1)
                if b - a >= min_width and (best is None or b - a > best[1] - best[0]):
                    best = (a, b, i)
            if best is None:
                if y - top >= min_height:
                    proofs.append((last, x0, top, x1, y))
            else:
                grown.append((best[0], best[1], top, (y, best[2])))
                continued.add(best[2])
        grown += [(r0, r1, y, (y, i)) for i, (r0, r1) in enumerate(runs) if i not in continued]
        open_ = grown
    bounds: dict[tuple[int, int], list[int]] = {}
    for y, runs in enumerate(rows):
        for i, (r0, r1) in enumerate(runs):
            b = bounds.setdefault(root((y, i)), [r0, y, r1, y + 1])
            b[:] = [min(b[0], r0), min(b[1], y), max(b[2], r1), max(b[3], y + 1)]
    boxes: dict[tuple[int, int], ErrorBox] = {}
    for run, x0, y0, x1, y1 in proofs:
        key = root(run)
        if key not in boxes:
            bx0, by0, bx1, by1 = bounds[key]
            colour = tuple(rgb.getpixel(((x0 + x1) // 2, (y0 + y1) // 2)))
            boxes[key] = ErrorBox(bx0, by0, bx1 - bx0, by1 - by0, colour)
    return sorted(boxes.values(), key=lambda b: (b.y, b.x))


def assert_no_error_box(
    png: bytes | str | os.PathLike | Image.Image,
    *,
    where: str = "the screenshot",
    path: str | os.PathLike | None = None,
) -> None:
    """Raises ``ErrorBoxFound`` if the screenshot shows Flutter's grey error box.

    The message names ``where``, each box's place and the PNG's path: ``path`` if given (the
    PNG is written there if it is not yet), else ``png`` itself when that is a path, else a
    new temporary file.
    """
    boxes = error_boxes(png)
    if not boxes:
        return
    image = _image(png)
    if path is None and isinstance(png, str | os.PathLike):
        path = png
    if path is None:
        import tempfile

        handle, path = tempfile.mkstemp(prefix="error-box-", suffix=".png")
        os.close(handle)
        image.save(path)
    elif not Path(path).is_file():
        image.save(path)
    listed = "\n".join(f"  - {box}" for box in boxes)
    raise ErrorBoxFound(
        f"{where} shows Flutter's grey error box (a control's build threw; its texts may "
        f"still be in the accessibility tree):\n{listed}\nscreenshot kept at {path}",
        boxes,
        str(path),
    )
