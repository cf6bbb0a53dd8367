"""The scan field: always focused, fresh after each scan, timing keystrokes so a scanner's
burst is told from a person typing."""

from __future__ import annotations

import asyncio
import contextlib

import flet as ft

from ...i18n import t
from .context import use_kiosk

REFOCUS_EVERY_SECONDS = 1.5


@ft.component
def ScanField() -> ft.Control:
    kiosk = use_kiosk()
    field = ft.use_ref(None)
    scans = kiosk.scans if kiosk else 0

    async def focus() -> None:
        if field.current is None or kiosk is None or kiosk.busy or kiosk.staff_open:
            return
        # The control may be between renders (not on the page yet): try again next time.
        with contextlib.suppress(RuntimeError):
            await field.current.focus()

    async def keep_focus() -> None:
        # A scanner types into whatever has focus. Anything can take it away (a window
        # that pops up, a touch elsewhere, a re-render), so take it back regularly.
        while True:
            await focus()
            await asyncio.sleep(REFOCUS_EVERY_SECONDS)

    ft.use_effect(keep_focus, dependencies=[], cleanup=lambda: None)
    ft.use_effect(focus, dependencies=[scans])
    if kiosk is None:
        return ft.Container()

    async def submit(e: ft.Event) -> None:
        await kiosk.submit_scan(e.control.value or "")

    return ft.TextField(
        key=f"scan-{scans}",
        ref=field,
        value=kiosk.activity.scan_text,  # as typed so far: a redraw must not empty it
        autofocus=True,
        label=t(kiosk.lang, "kiosk.scan_field"),
        on_change=lambda e: kiosk.typing(e.control.value or ""),
        on_submit=submit,
        text_size=22,
        prefix_icon=ft.Icons.QR_CODE_SCANNER,
    )
