"""A screen gallery in real Chromium: every state of a screen pictured on a phone and a
desktop, light and dark, each picture checked the way a person would look at it.

    gallery = Gallery(browser, page, SHOTS, "en")
    gallery.capture("points", "empty", [text(t("en", "points.empty"))])

writes ``points-empty-en-phone-light.png`` … ``points-empty-en-desktop-dark.png``. The colour
scheme (``prefers-color-scheme``, which an app on ThemeMode.SYSTEM follows) changes in place,
and the gallery waits until the page is drawn in it. The viewport is best given once, by the
page opened at that size (``opened_at``): resizing a page from phone to desktop in Chinese
crashed Flutter's web renderer ("memory access out of bounds"). Every picture must:

- show the ``expect``ed controls and texts in the accessibility tree (by role and name);
- be settled: taken once two screenshots in a row differ at most in one small spot (a
  spinner, a countdown), so no picture catches a page in the middle of a transition;
- be in the theme asked for (the top-left pixel is dark or light);
- show no Flutter error box (``assert_no_error_box``);
- come with no new console error or uncaught exception in the page.

Any miss raises ``CaptureFailed`` (an AssertionError) naming the picture, which is kept.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from .browser import ErrorBoxFound, assert_no_error_box

VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
THEMES = ("light", "dark")
# What may still move in a settled picture: a spinner, a "new code in 17 s" countdown.
STILL_SPOT = (200, 48)
SETTLE_TIMEOUT = 15.0
QUIET = 0.3  # seconds a picture must stay alike to count as settled
EXPECT_TIMEOUT_MS = 20_000
THEME_TIMEOUT = 10.0  # seconds to wait for a switched colour scheme to be drawn


class CaptureFailed(AssertionError):
    """A gallery picture failed one of its checks; ``path`` is the picture kept."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Expect:
    """A control or text that must be on screen: ``role`` is an ARIA role or "text"."""

    role: str
    name: str
    exact: bool = False

    def locator(self, page):  # noqa: ANN001, ANN201
        if self.role == "text":
            return page.get_by_text(self.name, exact=self.exact).first
        return page.get_by_role(self.role, name=self.name, exact=self.exact).first

    def __str__(self) -> str:
        return f"{self.role} {self.name!r}"


def text(value: str, exact: bool = False) -> Expect:
    return Expect("text", value, exact)


def button(name: str, exact: bool = False) -> Expect:
    return Expect("button", name, exact)


def image(name: str) -> Expect:
    return Expect("img", name)


def shown_texts(page, limit: int = 30) -> list[str]:  # noqa: ANN001
    """What the accessibility tree holds now (for failure messages)."""
    texts = [t for t in page.locator("flt-semantics").all_inner_texts() if t.strip()]
    return texts[-limit:]


def settled_screenshot(
    page,  # noqa: ANN001
    *,
    timeout: float = SETTLE_TIMEOUT,
    quiet: float = QUIET,
    unlike: bytes | None = None,
) -> bytes:
    """A screenshot once the page has stopped changing: screenshots alike (but for one spot
    of at most ``STILL_SPOT`` px, where a spinner or a countdown may go on) for ``quiet``
    seconds. With ``unlike``, the picture must also differ from that one beyond such a
    spot: the page has shown what the last action did. Flutter can update its accessibility
    tree some 0.2 s before the new pixels reach a screenshot (a refused sign-in code's
    message was seen that late), so neither the tree nor two equal screenshots alone prove
    the picture is current. Raises ``CaptureFailed`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    first = page.screenshot()
    run_started, run_image = time.monotonic(), _rgb(first)
    while True:
        png = page.screenshot()
        now, image = time.monotonic(), _rgb(png)
        if not _alike(image, run_image):
            run_started, run_image = now, image
        elif now - run_started >= quiet and (unlike is None or not _alike(image, _rgb(unlike))):
            return png
        if now >= deadline:
            why = "still changing" if unlike is None else "still changing, or unchanged"
            raise CaptureFailed(f"the page was {why} after {timeout:.0f} s")


def _alike(a: Image.Image, b: Image.Image) -> bool:
    if a.size != b.size:
        return False
    changed = ImageChops.difference(a, b).getbbox()
    if changed is None:
        return True
    return changed[2] - changed[0] <= STILL_SPOT[0] and changed[3] - changed[1] <= STILL_SPOT[1]


def _rgb(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _is_dark(png: bytes) -> bool:
    r, g, b = _rgb(png).getpixel((0, 0))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 100


class Gallery:
    """Pictures of one page in every viewport and theme; see the module's docstring."""

    def __init__(
        self,
        browser,  # noqa: ANN001 - tests.support.browser.Browser
        page,  # noqa: ANN001
        folder: Path,
        lang: str,
        *,
        viewports: Sequence[str] = tuple(VIEWPORTS),
        themes: Sequence[str] = THEMES,
        opened_at: str | None = None,
        allowed_errors: re.Pattern[str] | None = None,
    ) -> None:
        """``allowed_errors``: console errors that fail no picture (a known limit)."""
        self.browser, self.page, self.folder, self.lang = browser, page, Path(folder), lang
        self.variants = [(v, t) for v in viewports for t in themes]
        self.viewport: str | None = opened_at  # the page's size when it was opened
        self.allowed_errors = allowed_errors
        self.theme: str | None = None
        self.errors_seen = len(browser.page_errors(page))
        self.written: list[Path] = []
        self.last: bytes | None = None  # the last picture taken
        self.folder.mkdir(parents=True, exist_ok=True)

    def name(self, screen: str, state: str, viewport: str, theme: str) -> str:
        return f"{screen}-{state}-{self.lang}-{viewport}-{theme}.png"

    def use(self, viewport: str, theme: str, *, themed: bool = True) -> bool:
        """Switch the page's viewport and colour scheme (no reload); True if anything changed.
        A `themed` screen is waited for until it is drawn in the new scheme."""
        switched = False
        if viewport != self.viewport:
            width, height = VIEWPORTS[viewport]
            self.page.set_viewport_size({"width": width, "height": height})
            # Flutter sizes its view to the new window before it draws at that size.
            self.page.wait_for_function(
                f"() => document.querySelector('flutter-view')?.style.width === '{width}px'"
            )
            self.viewport, switched = viewport, True
        if theme != self.theme:
            self.page.emulate_media(color_scheme=theme)
            self.theme, switched = theme, True
            if themed:
                self._wait_drawn_in(theme)
        return switched

    def _wait_drawn_in(self, theme: str) -> None:
        """Until the page is drawn in `theme` (the top-left pixel), so that the picture's
        own settling is not spent waiting for a loaded machine to redraw. A screen drawn
        the same in both themes (the full-screen card) is not waited for."""
        deadline = time.monotonic() + THEME_TIMEOUT
        while time.monotonic() < deadline:
            if _is_dark(self.page.screenshot()) == (theme == "dark"):
                return

    def _order(self) -> list[tuple[str, str]]:
        """The variants from the current one on, so each state costs the fewest switches."""
        current = (self.viewport, self.theme)
        if current in self.variants and self.variants[-1] == current:
            return list(reversed(self.variants))
        return list(self.variants)

    def capture(
        self,
        screen: str,
        state: str,
        expect: Sequence[Expect],
        *,
        before: Callable[[], None] | None = None,
        after: Callable[[], None] | None = None,
        themed: bool = True,
        absent: Sequence[Expect] = (),
    ) -> list[Path]:
        """One picture per variant. ``before``/``after`` run around each picture (to put the
        app in a passing state each time, e.g. a sync held up); ``themed=False`` for a
        screen drawn the same in both themes; ``absent``: texts that must not be on screen
        (a notice that should have gone).

        The first picture must differ from the last one taken (the step before it changed
        the screen), as must each picture taken after ``before``."""
        paths = []
        for viewport, theme in self._order():
            unlike = None if self.use(viewport, theme, themed=themed) else self.last
            if before is not None:
                unlike = settled_screenshot(self.page)
                before()
            try:
                path = self.folder / self.name(screen, state, viewport, theme)
                self.last = self.check(
                    path, expect, theme=theme if themed else None, unlike=unlike, absent=absent
                )
                paths.append(path)
            finally:
                if after is not None:
                    after()
        self.written += paths
        return paths

    def check(
        self,
        path: Path,
        expect: Sequence[Expect],
        *,
        theme: str | None,
        unlike: bytes | None = None,
        absent: Sequence[Expect] = (),
    ) -> bytes:
        """Takes and checks one picture, written to ``path`` (kept when a check fails)."""
        page = self.page
        page.mouse.move(page.viewport_size["width"] - 1, 1)  # no hover highlight or tooltip
        for item in expect:
            try:
                item.locator(page).wait_for(timeout=EXPECT_TIMEOUT_MS)
            except Exception as exc:
                page.screenshot(path=str(path))
                raise CaptureFailed(
                    f"{path.name}: {item} is not on screen; the screen had: "
                    f"{shown_texts(page)}\npicture kept at {path}",
                    path,
                ) from exc
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            try:
                png = settled_screenshot(
                    page, timeout=max(1.0, deadline - time.monotonic()), unlike=unlike
                )
            except CaptureFailed as exc:
                page.screenshot(path=str(path))
                raise CaptureFailed(f"{path.name}: {exc}; picture kept at {path}", path) from exc
            if theme is None or _is_dark(png) == (theme == "dark"):
                break
            if time.monotonic() >= deadline:
                path.write_bytes(png)
                raise CaptureFailed(f"{path.name}: not drawn in the {theme} theme", path)
        path.write_bytes(png)
        shown = [str(item) for item in absent if item.locator(page).count()]
        if shown:
            raise CaptureFailed(
                f"{path.name}: {', '.join(shown)} should have gone; picture kept at {path}", path
            )
        try:
            assert_no_error_box(png, where=path.name, path=path)
        except ErrorBoxFound as exc:
            raise CaptureFailed(str(exc), path) from exc
        errors = self.browser.page_errors(page)
        new, self.errors_seen = errors[self.errors_seen :], len(errors)
        if self.allowed_errors is not None:
            new = [e for e in new if not self.allowed_errors.search(e)]
        if new:
            listed = "\n".join(f"  - {e}" for e in new)
            raise CaptureFailed(
                f"{path.name}: the page logged errors:\n{listed}\npicture kept at {path}", path
            )
        return png
