"""The static web app (Python in the browser, `python3 dev.py web-build`) beside the
Python-served member app (`main.py --web`), in the same run, in a phone-sized Chromium.

For each app, RUNS times, interleaved, each run in a fresh browser context (no HTTP cache,
no service worker, no storage):

* cold: open the page (t = 0) -> the sign-in screen ("Try the demo" shown) -> tap it ->
  card QR decoded from a screenshot. The static app downloads everything here (the first
  visit of a member's phone). The Python-served app keeps one member per process: from its
  second run on it opens signed in, on the card (its "sign-in screen" column is then the
  card).
* warm: reload the same context, signed in -> card QR. The static app then comes from its
  service worker's cache and the browser's storage, the Python-served one from its server.

Both apps keep their tokens in the browser's secure storage (app.toml `secrets =
"secure-storage"`), so no keyring is needed. The first visit's download is summed from the
static file server's log (every file it served with 200, at its size on disk: no compression,
as `python -m http.server` sends it), and printed with the files the service worker keeps.

    .venv/bin/python bench/bench_static_app.py [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = 2
LOAD_TIMEOUT_MS = 180_000
QR_NAME = "Member QR code for the cashier to scan"
DEMO = "Try the demo"


def until_qr(page, started: float) -> float:  # noqa: ANN001
    from tests.support.browser import decode_qr

    page.get_by_role("img", name=QR_NAME).wait_for(timeout=LOAD_TIMEOUT_MS)
    while not decode_qr(page.screenshot()):
        page.wait_for_timeout(50)
    return time.perf_counter() - started


def one_run(browser, url: str) -> tuple[float, float, float]:  # noqa: ANN001
    """(cold -> sign-in screen, cold -> card QR, warm reload -> card QR) in seconds."""
    from tests.support.browser import enable_semantics

    started = time.perf_counter()
    page = browser.open(url, width=390, height=844)
    page.wait_for_selector("#loading", state="detached", timeout=LOAD_TIMEOUT_MS)
    enable_semantics(page)
    demo = page.get_by_role("button", name=DEMO)
    # One Python process serves every tab one member: after its first run it is signed in.
    demo.or_(page.get_by_role("img", name=QR_NAME)).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    sign_in = time.perf_counter() - started
    if demo.count():
        demo.click()
    cold = until_qr(page, started)
    # The static app's service worker has kept its files before the warm load.
    has_worker = page.evaluate(
        "async () => { const r = await navigator.serviceWorker.getRegistration();"
        " if (r) await navigator.serviceWorker.ready; return !!r; }"
    )
    if has_worker:
        page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null", timeout=LOAD_TIMEOUT_MS
        )
    started = time.perf_counter()
    page.reload()
    page.wait_for_selector("#loading", state="detached", timeout=LOAD_TIMEOUT_MS)
    enable_semantics(page)
    warm = until_qr(page, started)
    browser.close_page(page)
    return sign_in, cold, warm


def served_bytes(log: Path, folder: Path) -> tuple[int, int]:
    """(bytes, files) of the 200 answers in a `python -m http.server` log."""
    total = count = 0
    for path in re.findall(r'"GET (\S+) HTTP/1\.[01]" 200', log.read_text(errors="replace")):
        name = path.split("?", 1)[0].lstrip("/") or "index.html"
        file = folder / name
        if file.is_file():
            total += file.stat().st_size
            count += 1
    return total, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if not os.path.exists("/usr/bin/chromium"):
        print("bench_static_app: needs Chromium at /usr/bin/chromium (apt-get install chromium)")
        return 0
    from tests.support.browser import AppProcess, Browser
    from tests.support.servers import ServerProcess, free_port
    from tests.support.static_app import StaticServer, build_static_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-static-"))
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs; logs in {tmp}")
    static_port = free_port()
    server = ServerProcess(
        f"sqlite:///{tmp}/loyalty.db",
        demo=True,
        extra_args=["--cors-origin", f"http://127.0.0.1:{static_port}"],
        log_path=tmp / "server.log",
    )
    server.port = free_port()
    started = time.perf_counter()
    build = build_static_app(server.base_url, tmp)
    print(f"web-build: {time.perf_counter() - started:.1f} s")
    config = tmp / "app.toml"
    config.write_text('[app]\nsecrets = "secure-storage"\n', encoding="utf-8")
    served = AppProcess(
        tmp / "served-data",
        "--backend",
        server.base_url,
        log_path=tmp / "served.log",
        env={"LOYALTY_APP_CONFIG": str(config)},
    )
    files = StaticServer(build, tmp / "static.log", port=static_port)
    rows: dict[str, list[tuple[float, float, float]]] = {"static": [], "served": []}
    with server, files, served, Browser() as browser:
        for run in range(args.runs):
            for name, url in (("static", files.url), ("served", served.url)):
                try:
                    rows[name].append(one_run(browser, url))
                except Exception as exc:  # noqa: BLE001 - report the run, keep measuring
                    print(f"run {run + 1} {name} failed: {exc}", flush=True)
                    continue
                sign_in, cold, warm = rows[name][-1]
                print(
                    f"run {run + 1} {name:6}: sign-in screen {sign_in:5.1f} s, card QR "
                    f"{cold:5.1f} s cold, {warm:5.1f} s warm",
                    flush=True,
                )
            if run == 0:
                first_bytes, first_files = served_bytes(tmp / "static.log", build)
    print()
    print(
        f"medians of {args.runs} runs (s)        sign-in screen   cold -> card QR   warm -> card QR"
    )
    for name, label in (("static", "static app (Pyodide)"), ("served", "Python-served app")):
        if rows[name]:
            cols = [statistics.median(r[i] for r in rows[name]) for i in range(3)]
            print(f"{label:28} {cols[0]:14.1f} {cols[1]:17.1f} {cols[2]:17.1f}")
    if rows["static"] and rows["served"]:
        ratio = statistics.median(r[1] for r in rows["static"]) / statistics.median(
            r[1] for r in rows["served"]
        )
        warm = statistics.median(r[2] for r in rows["static"]) / statistics.median(
            r[2] for r in rows["served"]
        )
        print(f"static / served: cold {ratio:.1f}x, warm {warm:.1f}x")
    if rows["static"]:
        print(
            f"first visit downloads {first_bytes / 1e6:.1f} MB in {first_files} files "
            "(uncompressed; includes the service worker's copy of everything it keeps)"
        )
    disk = sum(p.stat().st_size for p in build.rglob("*") if p.is_file())
    print(f"the build on disk: {disk / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
