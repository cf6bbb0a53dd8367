"""Launch of the member app in web mode, beside a blank Flet app; and its memory.

(a) Launch -> card QR visible. Starts the reference server (``--demo``, SQLite in a temp dir)
and signs the member app in once through its UI ("Try the demo"), so every measured launch
starts signed in, like a member opening the app. Then, RUNS times each, interleaved:

* member app: ``python main.py --web --backend URL`` is started (t = 0), ``GET /`` is polled
  every few ms, a fresh Chromium context opens the page, and the page's screencast (CDP
  ``Page.startScreencast``: every frame the compositor draws, with the time it was drawn,
  recorded from before the navigation) is read until a frame after Flutter's first (the
  ``flutter-first-frame`` event, timed in the page) shows a card QR that decodes. "card QR"
  is the first frame of all showing one: since 1 Dec the loading screen shows the card's code
  while the client starts (loyalty_app/ui/splash_card.py); "card screen's QR" is the first
  drawn by Flutter, after the loading screen.
* blank app: ``python bench/blank_flet_app.py --web`` (one Text, served as main.py serves),
  from process start to its first frame; also to the first frame showing its text.

``--screenshots`` finds content and QR the old way (before 1 Dec): screenshots taken back to
back after Playwright saw the splash go, each timed when captured. On this machine a
screenshot took about 0.7 s, so that was the resolution, and Playwright saw the splash go up
to 0.5 s after the page's event.

Chromium itself is launched once beforehand (its own start-up is printed, not counted); every
run gets a fresh browser context, so nothing is cached between runs. The measured pages open
with Flutter's accessibility tree off, as a member's browser without a screen reader does
(the tests turn it on from the start to find controls by role); ``--semantics`` measures
with it on. Each app gets one
warm-up launch first. Prints the medians and the ratio member card QR / blank first frame
(target <= 1.3x), and beside it the ratio to the blank app's text being drawn.

(b) Memory: VmRSS (from /proc, children included) of the member app process once the card
shows (each run), and after visiting every tab (last run); target <= 150 MB. The blank
app's RSS once its text shows is printed for comparison.

``--isolated-blank`` also launches the blank app with Flet's own cross-origin isolation
headers (``--flet-headers``: Flutter's renderer multi-threaded, as both apps were served
before 1 Dec), and prints the member app's ratio to that first frame too.

``--compare DIR`` also launches DIR/main.py (another checkout, e.g. ``git archive`` of the
commit before a change) the same way, interleaved with the two above, and prints its row and
ratio: a before/after comparison measured in one run on the same (shared) machine.

Needs Chromium (/usr/bin/chromium) and a Secret Service keyring; when no session bus is set,
the script re-runs itself inside ``dbus-run-session`` with an unlocked gnome-keyring.

    .venv/bin/python bench/bench_launch.py [--runs 5] [--compare DIR] [--semantics]
        [--isolated-blank] [--screenshots]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import io
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
# Run as scripts by path: the repository root makes the test helpers importable as tests.support.
sys.path.insert(0, str(ROOT))

RUNS = 5
TARGET_RATIO = 1.3
TARGET_RSS_MB = 150.0
QR_NAME = "Member QR code for the cashier to scan"
TABS = ["Card", "Points", "Rewards", "Invite", "Account"]  # the five destinations
QR_TIMEOUT = 60.0
READY_POLL = 0.005


# --------------------------------------------------------------------------- environment


def rss_kb(pid: int) -> int:
    """VmRSS of ``pid`` and all its descendants, in kB (0 for a process that is gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def descendants(pid: int) -> int:
    count, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            kids = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            kids = []
        count += len(kids)
        todo += [int(k) for k in kids]
    return count


def mb(kb: int) -> float:
    return kb / 1024


# --------------------------------------------------------------------------- measuring


def fast_app_process_class():
    from tests.support.browser import AppProcess, AppStartError

    class FastAppProcess(AppProcess):
        """AppProcess that polls ``GET /`` every few ms (the harness polls every 200 ms)."""

        def _wait_ready(self) -> None:
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AppStartError(
                        f"the app exited with code {self.process.returncode}\n{self.log_tail()}"
                    )
                try:
                    with urllib.request.urlopen(self.url, timeout=2) as reply:
                        if reply.status == 200:
                            return
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(READY_POLL)
            self.kill()
            raise AppStartError(f"GET {self.url} did not answer 200\n{self.log_tail()}")

    return FastAppProcess


class Launch:
    """Times of one launch, in seconds from process start."""

    def __init__(self) -> None:
        self.serving = self.loaded = self.first_frame = self.content = float("nan")
        #: The first frame showing a card QR: the loading screen's (ui/splash_card.py) when
        #: it has one; ``app_qr`` the first after Flutter's first frame (the card screen's).
        self.qr = self.app_qr = float("nan")
        self.rss_kb = 0
        self.screenshots = 0
        self.screenshot_s: list[float] = []


def _uniform(png: bytes) -> bool:
    """True for a screenshot of one colour (nothing drawn yet)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return all(low == high for low, high in image.getextrema())


# Run in the page before its own scripts: the wall-clock time of Flutter's first frame, in
# ms, from the event on which the page removes its loading screen.
FIRST_FRAME_CLOCK = """
window.addEventListener('flutter-first-frame', () => { window.__firstFrameAt = Date.now(); },
                        { once: true });
"""


class Screencast:
    """The frames the browser's compositor draws (CDP ``Page.startScreencast``), each with the
    wall-clock time it was drawn, so a launch's content and QR are timed to the frame that
    first showed them (back-to-back screenshots took about 0.7 s each on this machine, and
    timed the QR to the screenshot's end)."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.cdp = page.context.new_cdp_session(page)
        self.frames: list[tuple[float, bytes]] = []
        self.cdp.on("Page.screencastFrame", self._frame)
        self.cdp.send("Page.startScreencast", {"format": "png", "everyNthFrame": 1})

    def _frame(self, params: dict) -> None:
        drawn = params["metadata"].get("timestamp") or time.time()
        self.frames.append((drawn, base64.b64decode(params["data"])))
        with contextlib.suppress(Exception):  # a frame that arrives as the page closes
            self.cdp.send("Page.screencastFrameAck", {"sessionId": params["sessionId"]})

    def stop(self) -> None:
        self.cdp.send("Page.stopScreencast")
        self.cdp.detach()


def launch_one(
    app, browser, *, want_qr: bool, semantics: bool = False, screenshots: bool = False
) -> tuple[Launch, object]:
    """Starts ``app`` and opens it; returns the times and the open page (app left running).

    ``content`` is the first frame showing anything (Flutter's first frame is an empty page),
    ``qr`` the first in which a card QR decodes: frames from a screencast, timed when drawn
    (only the newest is decoded while waiting, the earlier ones afterwards). With
    ``screenshots`` they are screenshots taken back to back, timed when each was captured.
    """
    from tests.support.browser import wait_first_frame

    result = Launch()
    started, started_wall = time.monotonic(), time.time()
    app.start()
    result.serving = time.monotonic() - started
    casts: list[Screencast] = []

    def record(page) -> None:  # noqa: ANN001 - every frame from before the navigation on
        page.add_init_script(FIRST_FRAME_CLOCK)
        if not screenshots:
            casts.append(Screencast(page))

    page = browser.open(app.url, semantics=semantics, before_goto=record)
    result.loaded = time.monotonic() - started
    cast = casts[0] if casts else None
    try:
        wait_first_frame(page)
        result.first_frame = time.monotonic() - started
        if cast is None:
            _by_screenshots(page, result, started, want_qr=want_qr)
        else:
            _by_screencast(page, cast, result, started_wall, want_qr=want_qr)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{app.log_tail()}") from None
    finally:
        if cast is not None:
            cast.stop()
    return result, page


def _by_screenshots(page, result: Launch, started: float, *, want_qr: bool) -> None:  # noqa: ANN001
    deadline = time.monotonic() + QR_TIMEOUT
    while time.monotonic() < deadline:
        shot_at = time.monotonic()
        png = page.screenshot()
        captured = time.monotonic()
        result.screenshot_s.append(captured - shot_at)
        result.screenshots += 1
        if math.isnan(result.content) and not _uniform(png):
            result.content = captured - started
        if not want_qr and not math.isnan(result.content):
            return
        if want_qr and _has_card_qr(png):
            result.qr = result.app_qr = captured - started
            return
    raise RuntimeError(f"no {'card QR' if want_qr else 'content'} within {QR_TIMEOUT:.0f} s")


def _by_screencast(page, cast: Screencast, result: Launch, wall: float, *, want_qr: bool) -> None:  # noqa: ANN001
    """Waits for a frame from Flutter's first on that shows content (the card's QR with
    ``want_qr``). Content counts from Flutter's first frame (before it the page shows its
    loading screen); a card QR counts in any frame, the loading screen's too."""
    flutter_first = page.evaluate("() => window.__firstFrameAt") / 1000
    # Timed in the page: Playwright saw the splash go up to 0.5 s later on a busy machine.
    result.first_frame = flutter_first - wall
    # A frame's time is when its drawing began, which may come a little before the event
    # that the same frame fires: 50 ms of slack (the splash's frames come ~0.5 s apart).
    first_frame = flutter_first - 0.05
    deadline = time.monotonic() + QR_TIMEOUT
    seen = 0
    while time.monotonic() < deadline:
        page.wait_for_timeout(30)  # lets the frames' events in
        if len(cast.frames) == seen:
            continue
        seen = len(cast.frames)
        drawn, newest = cast.frames[-1]
        if drawn < first_frame:
            continue
        if _has_card_qr(newest) if want_qr else not _uniform(newest):
            break
    else:
        raise RuntimeError(f"no {'card QR' if want_qr else 'content'} within {QR_TIMEOUT:.0f} s")
    frames = [(drawn, png) for drawn, png in cast.frames[:seen] if drawn >= first_frame]
    result.screenshots = len(frames)
    result.content = next(drawn - wall for drawn, png in frames if not _uniform(png))
    if want_qr:
        result.app_qr = next(drawn - wall for drawn, png in frames if _has_card_qr(png))
        result.qr = next(drawn - wall for drawn, png in cast.frames[:seen] if _has_card_qr(png))


def _has_card_qr(png: bytes) -> bool:
    from tests.support.browser import decode_qr

    return any(code.startswith("HBR:") for code in decode_qr(png))


def sign_in_once(app, browser) -> None:
    from tests.support.browser import enable_semantics, wait_first_frame

    app.start()
    try:
        page = browser.open(app.url)
        wait_first_frame(page)
        enable_semantics(page)
        demo = page.get_by_role("button", name="Try the demo")
        card = page.get_by_role("img", name=QR_NAME)
        demo.or_(card).first.wait_for(timeout=30_000)
        if demo.count():
            demo.click()
        card.wait_for(timeout=30_000)
        browser.close_page(page)
    finally:
        app.stop()


def visit_every_tab(page) -> list[str]:
    from tests.support.browser import enable_semantics

    enable_semantics(page)
    missed = []
    for tab in TABS:
        target = page.get_by_role("tab", name=tab).or_(page.get_by_role("button", name=tab))
        try:
            target.first.click(timeout=10_000)
        except Exception:  # noqa: BLE001 - a benchmark reports, it does not stop
            missed.append(tab)
            continue
        time.sleep(1.5)  # let the screen load its data and draw
    return missed


def median(values: list[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--compare", type=Path, default=None, help="another checkout's root")
    parser.add_argument(
        "--semantics", action="store_true", help="open the pages with the accessibility tree on"
    )
    parser.add_argument(
        "--screenshots",
        action="store_true",
        help="find content and QR by back-to-back screenshots instead of a screencast",
    )
    parser.add_argument(
        "--isolated-blank",
        action="store_true",
        help="also launch the blank app with Flet's own headers (multi-threaded renderer)",
    )
    args = parser.parse_args()
    launch = functools.partial(launch_one, screenshots=args.screenshots)

    from tests.support.browser import Browser, chromium_available
    from tests.support.servers import ServerProcess

    if not chromium_available():
        print("bench_launch: needs Chromium at /usr/bin/chromium (apt-get install chromium)")
        return 2
    app_class = fast_app_process_class()
    tmp = Path(tempfile.mkdtemp(prefix="bench-launch-"))
    print(
        f"load before: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs; accessibility "
        f"tree {'on' if args.semantics else 'off'}; logs in {tmp}"
    )
    server = ServerProcess(f"sqlite:///{tmp}/loyalty.db", demo=True, log_path=tmp / "server.log")
    server.start()
    browser = Browser()
    try:
        chromium_at = time.monotonic()
        browser.start()
        chromium_s = time.monotonic() - chromium_at
        member = app_class(tmp / "phone", "--backend", server.base_url, log_path=tmp / "phone.log")
        blank = app_class(
            tmp / "blank",
            script=ROOT / "bench" / "blank_flet_app.py",
            log_path=tmp / "blank.log",
        )
        isolated = None
        if args.isolated_blank:
            isolated = app_class(
                tmp / "isolated",
                "--flet-headers",
                script=ROOT / "bench" / "blank_flet_app.py",
                log_path=tmp / "isolated.log",
            )
        sign_in_once(member, browser)  # also the member app's warm-up run
        other = None
        if args.compare is not None:
            other = app_class(
                tmp / "other",
                "--backend",
                server.base_url,
                script=args.compare.resolve() / "main.py",
                cwd=args.compare.resolve(),
                log_path=tmp / "other.log",
            )
            sign_in_once(other, browser)

        # Warm-up of the blank app (file cache, bytecode), not counted.
        for baseline in (blank, isolated):
            if baseline is not None:
                _, page = launch(baseline, browser, want_qr=False, semantics=args.semantics)
                browser.close_page(page)
                baseline.stop()

        members: list[Launch] = []
        blanks: list[Launch] = []
        others: list[Launch] = []
        isolateds: list[Launch] = []
        tabs_rss_kb, children, missed_tabs = 0, 0, list(TABS)
        for run in range(args.runs):
            try:
                result, page = launch(member, browser, want_qr=True, semantics=args.semantics)
                time.sleep(1.0)  # the card is up; let the first sync settle
                result.rss_kb = rss_kb(member.process.pid)
                children = descendants(member.process.pid)
                if run == args.runs - 1:
                    missed_tabs = visit_every_tab(page)
                    tabs_rss_kb = rss_kb(member.process.pid)
                browser.close_page(page)
                members.append(result)

                result, page = launch(blank, browser, want_qr=False, semantics=args.semantics)
                time.sleep(1.0)
                result.rss_kb = rss_kb(blank.process.pid)
                browser.close_page(page)
                blanks.append(result)

                if other is not None:
                    result, page = launch(other, browser, want_qr=True, semantics=args.semantics)
                    time.sleep(1.0)
                    result.rss_kb = rss_kb(other.process.pid)
                    browser.close_page(page)
                    others.append(result)

                if isolated is not None:
                    result, page = launch(
                        isolated, browser, want_qr=False, semantics=args.semantics
                    )
                    browser.close_page(page)
                    isolateds.append(result)
            except Exception as exc:  # noqa: BLE001 - report the run, go on with the next
                print(f"run {run + 1} failed: {exc}", flush=True)
                continue
            finally:
                member.stop()
                blank.stop()
                if other is not None:
                    other.stop()
                if isolated is not None:
                    isolated.stop()
            m, b = members[-1], blanks[-1]
            compared = f" | compared card QR {others[-1].qr * 1000:5.0f} ms" if others else ""
            print(
                f"run {run + 1}: member first frame {m.first_frame * 1000:5.0f} ms, "
                f"card QR {m.qr * 1000:5.0f} ms (card screen's {m.app_qr * 1000:5.0f} ms) | "
                "blank first frame "
                f"{b.first_frame * 1000:5.0f} ms, text {b.content * 1000:5.0f} ms{compared}",
                flush=True,
            )
    finally:
        browser.close()
        server.stop()

    if not members or not blanks:
        print(f"no complete run; logs in {tmp}")
        return 1
    report(members, blanks, chromium_s, tabs_rss_kb, missed_tabs, children)
    if others:
        qr, blank_ff = median([r.qr for r in others]), median([r.first_frame for r in blanks])
        print(
            f"compared checkout ({args.compare}): first frame "
            f"{ms(median([r.first_frame for r in others]))}, card QR {ms(qr)}; "
            f"ratio card QR / blank first frame {qr / blank_ff:.2f}x "
            f"(this checkout: {median([r.qr for r in members]) / blank_ff:.2f}x); card "
            f"screen's QR {ms(median([r.app_qr for r in others]))}"
        )
    if isolateds:
        first = median([r.first_frame for r in isolateds])
        print(
            f"blank app with Flet's own headers (multi-threaded renderer): first frame "
            f"{ms(first)}, text {ms(median([r.content for r in isolateds]))}; "
            f"ratio member card QR / its first frame {median([r.qr for r in members]) / first:.2f}x"
        )
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report(members, blanks, chromium_s, tabs_rss_kb, missed_tabs, children) -> None:  # noqa: ANN001
    def col(rows: list[Launch], name: str) -> float:
        return median([getattr(r, name) for r in rows])

    shots = [s for r in members for s in r.screenshot_s]
    print()
    print(f"Chromium launch (once, before the runs, not counted): {chromium_s * 1000:.0f} ms")
    print(f"medians of {len(members)} runs, ms from process start:")
    print(
        "                    GET / 200   page loaded   first frame   first content   card QR"
        "   card screen's QR"
    )
    for name, rows in (("member app", members), ("blank Flet app", blanks)):
        qr = ms(col(rows, "qr")) if rows is members else "      -"
        app_qr = ms(col(rows, "app_qr")) if rows is members else "      -"
        print(
            f"  {name:<16} {ms(col(rows, 'serving'))}    {ms(col(rows, 'loaded'))}    "
            f"{ms(col(rows, 'first_frame'))}      {ms(col(rows, 'content'))}   {qr}   {app_qr}"
        )
    print(
        "  (card QR: the first frame showing one, the loading screen's included; card "
        "screen's QR: the first drawn by Flutter)"
    )
    if shots:
        print(
            f"  (content and QR are found by screenshots taken back to back after the first "
            f"frame: {statistics.median(shots) * 1000:.0f} ms each, so that is their resolution)"
        )
    else:
        frames = median([r.screenshots for r in members])
        print(
            f"  (content and QR: the first frame of the page's screencast showing them, timed "
            f"when drawn; {frames:.0f} frames a member launch after the first frame)"
        )
    ratio = col(members, "qr") / col(blanks, "first_frame")
    verdict = "ok" if ratio <= TARGET_RATIO else "SLOWER THAN TARGET"
    print(
        f"ratio member card QR / blank first frame:    {ratio:.2f}x "
        f"(target <= {TARGET_RATIO}x) {verdict}"
    )
    print(
        "ratio card screen's QR / blank first frame:  "
        f"{col(members, 'app_qr') / col(blanks, 'first_frame'):.2f}x (Flutter's card, after "
        "the loading screen)"
    )
    print(
        "ratio member card QR / blank text visible:   "
        f"{col(members, 'qr') / col(blanks, 'content'):.2f}x "
        "(Flutter's first frame is an empty page; this compares drawn content)"
    )
    print(
        "ratio member first frame / blank first frame: "
        f"{col(members, 'first_frame') / col(blanks, 'first_frame'):.2f}x"
    )
    print()
    card_mb = median([mb(r.rss_kb) for r in members])
    worst = max(mb(tabs_rss_kb), card_mb)
    verdict = "ok" if worst <= TARGET_RSS_MB else "OVER TARGET"
    print(f"member app RSS, card shown:     {card_mb:6.1f} MB (median of {len(members)} runs)")
    if tabs_rss_kb:
        print(
            f"member app RSS, every tab seen: {mb(tabs_rss_kb):6.1f} MB "
            f"(target <= {TARGET_RSS_MB:.0f} MB) {verdict}"
        )
    else:
        print("member app RSS, every tab seen: not measured (the last run failed)")
    if missed_tabs:
        print(f"  tabs not found, not visited: {', '.join(missed_tabs)}")
    print(f"  (child processes of the member app: {children}; their RSS is included)")
    print(f"blank Flet app RSS, text shown: {median([mb(r.rss_kb) for r in blanks]):6.1f} MB")
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min average)")


if __name__ == "__main__":
    from tests.support.keyring_session import reexec_in_keyring_session

    reexec_in_keyring_session(__file__)
    raise SystemExit(main())
