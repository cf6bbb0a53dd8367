"""Member app interactions in a real Chromium: tab switch (tap -> the new screen drawn) and
redeem (tap "Redeem now" -> "Redeeming…" or "Queued…" drawn), p50 and p95.

Starts the reference server (``--demo``, SQLite in a temp dir, loopback) and the member app
(``main.py --web --backend URL``), signs in through its UI ("Try the demo", a 420 px wide
phone page) and credits the demo member enough points at the till for every redeem.

Each time is taken in the page, the way bench_kiosk_scan.py does: a capture-phase
``pointerup`` listener stamps the tap (Flutter acts on the pointer going up), and a
MutationObserver stamps the first DOM change after it that leaves Flutter's accessibility
tree showing the expected text (that tree is updated with the frame that draws it). The
Playwright round trips are not in the figures.

* tab switch: the bottom tabs in turn (Card, Points, Rewards, Invite, Account), each
  tap timed until a text only the new screen has is drawn; ROUNDS rounds after one warm-up.
* redeem: on the "Oat milk upgrade" reward, "Redeem", then the tap on "Redeem now" is timed
  until the redeem's first feedback is drawn ("Redeeming…", or the answer itself if it came
  first); also until the server's answer (the voucher) is drawn. Then the same offline (the
  server stopped, the app told by a refresh): until "Queued…" is drawn.

Target: redeem feedback p95 <= 100 ms on a quiet machine. Prints the load average before and
after: on a shared, loaded machine the figures are slower than the app.

Needs Chromium (/usr/bin/chromium) and a Secret Service keyring; when no session bus is set,
the script re-runs itself inside ``dbus-run-session`` with an unlocked gnome-keyring.

``--checkout DIR`` measures DIR/main.py instead (another checkout, e.g. ``git archive`` of
the commit before a change), for a before/after comparison back to back.

``--trace`` runs the app through bench/trace_app.py, which times the Python side of each
"Redeem now" tap: from the tap's event arriving in Flet's session to the message carrying
"Redeeming…" being sent (p50/p95), and profiles that work (the top functions printed).

    .venv/bin/python bench/bench_interactions.py [--rounds 5] [--redeems 20] [--checkout DIR]
        [--trace]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as scripts by path: the repository root makes the test helpers importable as tests.support.
sys.path.insert(0, str(ROOT))

ROUNDS = 5
REDEEMS = 20
OFFLINE_REDEEMS = 10
TARGET_P95_MS = 100.0
QR_NAME = "Member QR code for the cashier to scan"
REWARD = "Oat milk upgrade"
# Each tab, and a text that only its screen draws.
TABS = [
    ("Card", "Member number"),
    ("Points", "History"),
    ("Rewards", "I can afford"),
    ("Invite", "Your code"),
    ("Account", "Achievements"),
]
FEEDBACK = ["Redeeming…", "Redeemed. Your voucher", "Queued: will redeem"]
ANSWER = ["Redeemed. Your voucher"]
QUEUED = ["Queued: will redeem"]
TIMEOUT_MS = 20_000

# Texts in Flutter's accessibility tree: labels of nodes and their text spans.
SHOWN = """(prefixes) => {
  const texts = [];
  for (const el of document.querySelectorAll('flt-semantics, flt-semantics *')) {
    const label = el.getAttribute('aria-label');
    if (label) texts.push(label);
    if (el.tagName === 'SPAN') texts.push(el.textContent || '');
    // A button's own texts (Account's entries) are its text content, not a label or a span.
    if (el.getAttribute('role') === 'button') texts.push(el.textContent || '');
  }
  return prefixes.some((p) => texts.some((t) => t.startsWith(p)));
}"""
# Stamp the next tap (pointer up, capture phase) and the first DOM change after it that
# leaves one of `prefixes` shown.
ARM = (
    """(prefixes) => {
  const shown = """
    + SHOWN
    + """;
  const probe = { tap: null, seen: null };
  window.__probe = probe;
  const onUp = () => { if (probe.tap === null) probe.tap = performance.now(); };
  window.addEventListener('pointerup', onUp, true);
  const observer = new MutationObserver(() => {
    if (probe.tap !== null && probe.seen === null && shown(prefixes)) {
      probe.seen = performance.now();
      observer.disconnect();
      window.removeEventListener('pointerup', onUp, true);
    }
  });
  observer.observe(document.documentElement,
                   { subtree: true, childList: true, characterData: true, attributes: true });
}"""
)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms   "
        f"min {min(values):6.1f}   max {max(values):6.1f}   (n={len(values)})"
    )


def shown(page, prefixes: list[str]) -> bool:
    return bool(page.evaluate(SHOWN, prefixes))


def wait_shown(page, prefixes: list[str], timeout: float = TIMEOUT_MS) -> None:
    page.wait_for_function(f"(p) => ({SHOWN})(p)", arg=prefixes, polling=20, timeout=timeout)


def timed_tap(page, locator, prefixes: list[str]) -> float:
    """Taps `locator`; ms from the tap until one of `prefixes` is drawn."""
    page.evaluate(ARM, prefixes)
    locator.click()
    page.wait_for_function(
        "() => window.__probe && window.__probe.seen !== null", polling=5, timeout=TIMEOUT_MS
    )
    probe = page.evaluate("() => window.__probe")
    return probe["seen"] - probe["tap"]


def tab(page, name: str):  # noqa: ANN201
    return page.get_by_role("tab", name=name).or_(page.get_by_role("button", name=name)).first


def sign_in(browser, app):  # noqa: ANN001, ANN201
    from tests.support.browser import enable_semantics, wait_first_frame

    page = browser.open(app.url, width=420)
    wait_first_frame(page)
    enable_semantics(page)
    demo = page.get_by_role("button", name="Try the demo")
    card = page.get_by_role("img", name=QR_NAME)
    demo.or_(card).first.wait_for(timeout=30_000)
    if demo.count():
        demo.click()
    card.wait_for(timeout=30_000)
    return page


def give_points(base_url: str, database_url: str, amount: str) -> None:
    import uuid

    import httpx

    from tests.support.servers import add_staff

    staff = add_staff(database_url, "Bench Till")
    member = httpx.post(f"{base_url}/v1/auth/demo", json={}, timeout=10).json()
    me = httpx.get(
        f"{base_url}/v1/me",
        headers={"Authorization": f"Bearer {member['access_token']}"},
        timeout=10,
    ).json()
    reply = httpx.post(
        f"{base_url}/v1/checkout/credit",
        json={"amount": amount, "member_number": me["member_number"]},
        headers={"Authorization": f"Bearer {staff}", "Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    reply.raise_for_status()


def tab_switches(page, rounds: int) -> tuple[list[float], list[str]]:
    times, missed = [], []
    for n in range(rounds + 1):  # the first round warms up, not counted
        for name, marker in TABS:
            if shown(page, [marker]):
                continue  # already there (the round starts on the card)
            try:
                ms = timed_tap(page, tab(page, name), [marker])
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                missed.append(f"{name}: {str(exc).splitlines()[0]}")
                continue
            if n:
                times.append(ms)
    return times, missed


def open_reward(page) -> None:
    tab(page, "Rewards").click()
    # The tile: a group labelled with the name (and cost) once its picture is there, a button
    # with those texts before; not "Waiting to redeem <name>".
    tile = re.compile("^" + re.escape(REWARD) + r"\s")
    page.get_by_role("group", name=tile).or_(page.get_by_role("button", name=tile)).first.click()
    page.get_by_text("Terms", exact=True).wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Redeem", exact=True).click()
    page.get_by_role("button", name="Redeem now").wait_for(timeout=TIMEOUT_MS)


def redeems(
    page, count: int, *, online: bool, shots: Path
) -> tuple[list[float], list[float], list[str]]:
    feedback, answers, failures = [], [], []
    for i in range(count + 1):  # the first one warms up, not counted
        try:
            open_reward(page)
            started = time.perf_counter()
            ms = timed_tap(
                page, page.get_by_role("button", name="Redeem now"), FEEDBACK if online else QUEUED
            )
            if online:
                wait_shown(page, ANSWER)
                answer_ms = (time.perf_counter() - started) * 1000
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            shot = shots / f"redeem-{'online' if online else 'offline'}-{i}.png"
            page.screenshot(path=str(shot))
            failures.append(f"{str(exc).splitlines()[0]} (see {shot})")
            page.keyboard.press("Escape")
            continue
        if i:
            feedback.append(ms)
            if online:
                answers.append(answer_ms)
    return feedback, answers, failures


TRACED = re.compile(r"TRACE click confirm-redeem: 'Redeeming' sent after ([\d.]+) ms")


def report_trace(log: str, profile: Path) -> None:
    """The Python side of the redeem taps (bench/trace_app.py): event in -> message out."""
    import pstats

    times = [float(m[1]) for m in TRACED.finditer(log)][1:]  # the first one warms up
    print(f"redeem, Python side, event -> 'Redeeming…' sent: {summary(times)}")
    if profile.exists():
        print("where that time goes (cumulative, all traced taps):")
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--redeems", type=int, default=REDEEMS)
    parser.add_argument("--offline-redeems", type=int, default=OFFLINE_REDEEMS)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument(
        "--trace", action="store_true", help="time and profile the Python side of a redeem tap"
    )
    args = parser.parse_args()

    from tests.support.browser import AppProcess, Browser, chromium_available
    from tests.support.servers import ServerProcess

    if not chromium_available():
        print("bench_interactions: needs Chromium at /usr/bin/chromium (apt-get install chromium)")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-interactions-"))
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs; logs in {tmp}")
    server = ServerProcess(f"sqlite:///{tmp}/loyalty.db", demo=True, log_path=tmp / "server.log")
    server.start()
    checkout = args.checkout.resolve()
    print(f"measuring {checkout / 'main.py'}")
    profile = tmp / "redeem.prof"
    app = AppProcess(
        tmp / "phone",
        "--backend",
        server.base_url,
        script=ROOT / "bench" / "trace_app.py" if args.trace else checkout / "main.py",
        cwd=checkout,
        log_path=tmp / "phone.log",
        env={"LOYALTY_TRACE_CHECKOUT": str(checkout), "LOYALTY_TRACE_PROFILE": str(profile)}
        if args.trace
        else None,
    )
    browser = Browser()
    feedback_ms: list[float] = []
    queued_ms: list[float] = []
    missed: list[str] = []
    problems: list[str] = []
    try:
        app.start()
        browser.start()
        page = sign_in(browser, app)
        give_points(server.base_url, server.database_url, "900.00")  # 9,000 points
        tab(page, "Points").click()
        tab(page, "Card").click()
        wait_shown(page, ["Member number"])

        switch_ms, missed = tab_switches(page, args.rounds)
        print(f"tab switch, tap -> new screen drawn:   {summary(switch_ms)}", flush=True)
        for line in missed:
            print(f"  missed: {line}")

        feedback_ms, answer_ms, failed = redeems(page, args.redeems, online=True, shots=tmp)
        print(f"redeem, tap -> first feedback drawn:   {summary(feedback_ms)}", flush=True)
        print(f"redeem, tap -> the voucher (answer):   {summary(answer_ms)}", flush=True)
        for line in failed:
            print(f"  failed: {line}")
        problems += failed

        server.stop()
        tab(page, "Card").click()
        page.get_by_role("button", name="Refresh").first.click()
        wait_shown(page, ["Offline"])
        queued_ms, _, failed = redeems(page, args.offline_redeems, online=False, shots=tmp)
        print(f"redeem offline, tap -> 'Queued' drawn: {summary(queued_ms)}", flush=True)
        for line in failed:
            print(f"  failed: {line}")
        problems += failed
    finally:
        browser.close()
        app.stop()
        server.stop()
    worst = max([percentile(v, 95) for v in (feedback_ms, queued_ms) if v] or [math.inf])
    verdict = "ok" if worst <= TARGET_P95_MS else "SLOWER THAN TARGET"
    print(
        f"redeem feedback p95 (worst of online/offline): {worst:.1f} ms "
        f"(target <= {TARGET_P95_MS:.0f} ms on a quiet machine) {verdict}"
    )
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min average)")
    if args.trace:
        report_trace(app.log_text(), profile)
    if not (missed or problems):
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    from tests.support.keyring_session import reexec_in_keyring_session

    reexec_in_keyring_session(__file__)
    raise SystemExit(main())
