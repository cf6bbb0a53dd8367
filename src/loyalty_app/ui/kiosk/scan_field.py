"""The scan field: always focused, fresh after each scan, timing keystrokes so a scanner's
burst is told from a person typing."""

from __future__ import annotations

import flet as ft

from ...i18n import t
from .context import use_kiosk


@ft.component
def ScanField() -> ft.Control:
    kiosk = use_kiosk()
    field = ft.use_ref(None)
    scans = kiosk.scans if kiosk else 0
    busy = kiosk.busy if kiosk else False

    async def refocus() -> None:
        # After every scan (a fresh field) and once the answer is in: the next scan must
        # land here without anyone touching the screen.
        if field.current is not None and not busy:
            await field.current.focus()

    ft.use_effect(refocus, dependencies=[scans, busy])
    if kiosk is None:
        return ft.Container()

    async def submit(e: ft.Event) -> None:
        await kiosk.submit_scan(e.control.value or "")

    return ft.TextField(
        key=f"scan-{scans}",
        ref=field,
        autofocus=True,
        label=t(kiosk.lang, "kiosk.scan_field"),
        on_change=lambda e: kiosk.typing(e.control.value or ""),
        on_submit=submit,
        text_size=22,
        prefix_icon=ft.Icons.QR_CODE_SCANNER,
        disabled=kiosk.busy,
    )
