"""First start: the staff credential and the PIN."""

from __future__ import annotations

import flet as ft

from ....i18n import t
from ..context import use_kiosk
from .common import (
    BIG,
    BUTTON_HEIGHT,
    big_button,
    error_banner,
    submit_keeping_focus,
    use_form,
)


@ft.component
def SetupScreen() -> ft.Control:
    kiosk = use_kiosk()
    form = use_form()
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang

    async def save() -> None:
        await kiosk.set_up(form.get("credential", ""), form.get("pin", ""), form.get("pin2", ""))

    return ft.Column(
        [
            ft.Text(t(lang, "kiosk.setup_title"), size=BIG, weight=ft.FontWeight.BOLD),
            ft.Text(t(lang, "kiosk.setup_intro")),
            ft.TextField(
                label=t(lang, "kiosk.credential"),
                **form.field("credential"),
                password=True,
                can_reveal_password=True,
                key="credential",
                autofocus=True,
            ),
            ft.TextField(
                label=t(lang, "kiosk.pin"),
                **form.field("pin"),
                password=True,
                key="pin",
                keyboard_type=ft.KeyboardType.NUMBER,
            ),
            ft.TextField(
                label=t(lang, "kiosk.pin_again"),
                **form.field("pin2"),
                password=True,
                key="pin-again",
                keyboard_type=ft.KeyboardType.NUMBER,
                on_submit=submit_keeping_focus(kiosk, save),
            ),
            ft.FilledButton(
                t(lang, "kiosk.setup_save"),
                on_click=save,
                key="setup-save",
                style=big_button(lang),
                height=BUTTON_HEIGHT,
            ),
            error_banner(kiosk),
        ],
        spacing=14,
        width=560,
        scroll=ft.ScrollMode.AUTO,
    )
