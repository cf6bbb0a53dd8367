"""Join the programme at the kiosk, then the app's QR."""

from __future__ import annotations

import flet as ft

from ....card.render import qr_png
from ....i18n import t
from ..context import use_kiosk
from .common import BIG, error_banner


@ft.component
def JoinScreen() -> ft.Control:
    kiosk = use_kiosk()
    contact, name, referral = ft.use_ref(None), ft.use_ref(None), ft.use_ref(None)
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    if kiosk.phase == "joined" and kiosk.joined:
        j = kiosk.joined
        return ft.Column(
            [
                ft.Text(
                    t(lang, "kiosk.joined", name=j.display_name, number=j.member_number),
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
                ft.FilledButton(t(lang, "kiosk.done"), on_click=kiosk.reset, key="done"),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
        )

    async def join() -> None:
        await kiosk.join(
            contact.current.value or "", name.current.value or "", referral.current.value or ""
        )

    return ft.Column(
        [
            ft.Text(t(lang, "kiosk.join_title"), size=BIG, weight=ft.FontWeight.BOLD),
            ft.TextField(
                label=t(lang, "kiosk.contact"),
                ref=contact,
                autofocus=True,
                key="contact",
                on_change=lambda: kiosk.touch(),
            ),
            ft.TextField(label=t(lang, "kiosk.name"), ref=name, key="join-name"),
            ft.TextField(label=t(lang, "kiosk.referral"), ref=referral, key="join-referral"),
            error_banner(kiosk),
            ft.Row(
                [
                    ft.FilledButton(t(lang, "kiosk.join_submit"), on_click=join, key="join-submit"),
                    ft.OutlinedButton(t(lang, "kiosk.cancel"), on_click=kiosk.reset),
                ]
            ),
        ],
        spacing=14,
        width=560,
        scroll=ft.ScrollMode.AUTO,
    )
