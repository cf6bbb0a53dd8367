"""A tiny Flet web app that asks the browser to focus a field and, in the same handler,
removes that field from the page — the browser's reply then names a control that is gone.

    python tests/support/focus_race_app.py --web --host 127.0.0.1 --port N --data-dir DIR \
        [--guard]

"Race" does that; "Count" adds one to the number shown, so a test can tell whether the
session still answers afterwards. With --guard the app installs loyalty_app.ui.flet_guard.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

import flet as ft

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))


def main(page: ft.Page) -> None:
    count = ft.Text("Count 0", key="count")
    slot = ft.Column([ft.TextField(label="Soon gone", key="field-0")])
    n = [0]

    async def race(_: ft.Event) -> None:
        focusing = asyncio.create_task(slot.controls[0].focus())
        await asyncio.sleep(0)  # the call is on its way to the browser...
        n[0] += 1
        slot.controls = [ft.TextField(label="Soon gone", key=f"field-{n[0]}")]
        slot.update()  # ...and the field is gone before the browser's reply arrives
        with contextlib.suppress(RuntimeError):
            await focusing

    def add(_: ft.Event) -> None:
        count.value = f"Count {int(count.value.split()[1]) + 1}"

    page.add(
        ft.FilledButton("Race", key="race", on_click=race),
        ft.FilledButton("Count", key="add", on_click=add),
        count,
        slot,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--web", action="store_true")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir")
    parser.add_argument("--guard", action="store_true")
    args = parser.parse_args()
    if args.guard:
        from loyalty_app.ui import flet_guard

        flet_guard.install()
    ft.run(main, view=ft.AppView.WEB_BROWSER, host=args.host, port=args.port, no_cdn=True)
