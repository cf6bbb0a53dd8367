"""The baseline for bench_launch.py: a blank Flet web app, a page with one Text.

bench_launch.py starts it exactly as it starts the member app (tests/support/browser.py's
AppProcess), so it takes main.py's web options and ignores the rest:

    python bench/blank_flet_app.py --web --host 127.0.0.1 --port PORT --data-dir DIR

It is served the way main.py serves the member app: ``ft.run(..., view=WEB_BROWSER,
host=..., port=..., no_cdn=True)``, without cross-origin isolation so Flutter's renderer runs
single-threaded (loyalty_app/ui/single_threaded_web.py). ``--flet-headers`` serves it with
Flet's own headers instead (isolated, the renderer multi-threaded). Run without arguments
(as ``python3 dev.py bench`` does with every bench/*.py) it only prints this note and
exits 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if not argv:
        print("blank_flet_app.py is the baseline app that bench_launch.py starts; run that.")
        return 0
    p = argparse.ArgumentParser(prog="blank_flet_app.py")
    p.add_argument("--web", action="store_true")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8550)
    p.add_argument("--data-dir", default=None)  # accepted like main.py's, unused
    p.add_argument("--flet-headers", action="store_true")
    args, _ = p.parse_known_args(argv)

    import flet as ft  # imported here: the no-argument note should not pay for it

    if not args.flet_headers:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from loyalty_app.ui import single_threaded_web

        single_threaded_web.install()

    def session(page: ft.Page) -> None:
        page.title = "Blank"
        page.add(ft.Text("Hello"))

    ft.run(session, view=ft.AppView.WEB_BROWSER, host=args.host, port=args.port, no_cdn=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
