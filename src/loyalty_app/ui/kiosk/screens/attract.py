"""The start screen: scan a card (checkout) or scan your card / join (self-service)."""

from __future__ import annotations

import flet as ft

from ....i18n import problem_text, t
from ..camera_view import CameraScanner
from ..context import use_kiosk
from ..scan_field import ScanField
from .common import BIG, BUTTON_HEIGHT, big_button, error_banner


@ft.component
def AttractScreen() -> ft.Control:
    kiosk = use_kiosk()
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    checkout = kiosk.mode == "checkout"
    title = t(lang, "kiosk.scan_card" if checkout else "kiosk.self_title")
    hint = t(lang, "kiosk.scan_hint" if checkout else "kiosk.self_hint")
    rejected = [
        ft.Text(
            t(
                lang,
                "kiosk.rejected",
                amount=r.payload.get("amount", ""),
                reason=problem_text(lang, r.problem),
            ),
            color=ft.Colors.ERROR,
            key=f"rejected-{r.id}",
        )
        for r in kiosk.rejected
    ]
    return ft.Column(
        [
            CameraScanner()
            if kiosk.camera
            else ft.Icon(ft.Icons.QR_CODE_SCANNER, size=96, color=ft.Colors.PRIMARY),
            ft.Text(
                title,
                size=BIG + 6,
                weight=ft.FontWeight.BOLD,
                text_align=ft.TextAlign.CENTER,
                key="attract-title",
            ),
            # With the camera on, its own line says where to hold the code.
            ft.Text(hint, size=18, text_align=ft.TextAlign.CENTER, visible=not kiosk.camera),
            ft.Container(ScanField(), width=620),
            error_banner(kiosk),
            ft.FilledButton(
                t(lang, "kiosk.join"),
                icon=ft.Icons.PERSON_ADD,
                key="join",
                on_click=kiosk.open_join,
                visible=not checkout,
                style=big_button(lang),
                height=BUTTON_HEIGHT,
            ),
            *rejected,
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=18,
        scroll=ft.ScrollMode.AUTO,
    )
