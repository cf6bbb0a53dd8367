"""Join the programme at the kiosk, then the app's QR."""

from __future__ import annotations

import flet as ft

from ....card.render import qr_png
from ....i18n import t
from ...fonts import name_style
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
def JoinScreen() -> ft.Control:
    kiosk = use_kiosk()
    form = use_form(kiosk.touch if kiosk else None)
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    if kiosk.phase == "joined" and kiosk.joined:
        j = kiosk.joined
        return ft.Column(
            [
                ft.Text(
                    t(lang, "kiosk.joined", name=j.display_name, number=j.member_number),
                    style=name_style(lang),
                    size=BIG,
                    key="joined",
                ),
                ft.Text(t(lang, "kiosk.get_app"), size=20),
                ft.Container(
                    ft.Image(
                        src=qr_png(j.app_link, box_size=8),
                        width=260,
                        height=260,
                        semantics_label=t(lang, "kiosk.app_qr"),
                    ),
                    bgcolor=ft.Colors.WHITE,
                    padding=10,
                ),
                ft.FilledButton(
                    t(lang, "kiosk.done"),
                    on_click=kiosk.reset,
                    key="done",
                    style=big_button(lang),
                    height=BUTTON_HEIGHT,
                ),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
        )

    async def join() -> None:
        await kiosk.join(form.get("contact", ""), form.get("name", ""), form.get("referral", ""))

    submit = submit_keeping_focus(kiosk, join)

    return ft.Column(
        [
            ft.Text(t(lang, "kiosk.join_title"), size=BIG, weight=ft.FontWeight.BOLD),
            # Enter in any field joins: a refusal then leaves the focus in that field.
            ft.TextField(
                label=t(lang, "kiosk.contact"),
                **form.field("contact"),
                autofocus=True,
                key="contact",
                on_submit=submit,
            ),
            ft.TextField(
                label=t(lang, "kiosk.name"),
                key="join-name",
                text_style=name_style(lang),  # a name typed in Chinese, in any language
                on_submit=submit,
                **form.field("name"),
            ),
            ft.TextField(
                label=t(lang, "kiosk.referral"),
                key="join-referral",
                on_submit=submit,
                **form.field("referral"),
            ),
            error_banner(kiosk),
            ft.Row(
                [
                    ft.FilledButton(
                        t(lang, "kiosk.join_submit"),
                        on_click=join,
                        key="join-submit",
                        style=big_button(lang),
                        height=BUTTON_HEIGHT,
                    ),
                    ft.OutlinedButton(
                        t(lang, "kiosk.cancel"),
                        on_click=kiosk.reset,
                        style=big_button(lang),
                        height=BUTTON_HEIGHT,
                    ),
                ]
            ),
        ],
        spacing=14,
        width=560,
        scroll=ft.ScrollMode.AUTO,
    )
