"""A voucher redeemed at the till."""

from __future__ import annotations

import flet as ft

from ....domain.models import text
from ....i18n import t
from ...fonts import name_style
from ..context import use_kiosk
from .common import BIG, BUTTON_HEIGHT, big_button


@ft.component
def VoucherScreen() -> ft.Control:
    kiosk = use_kiosk()
    if kiosk is None or kiosk.voucher is None:
        return ft.Container()
    lang, v = kiosk.lang, kiosk.voucher
    return ft.Column(
        [
            ft.Icon(ft.Icons.CHECK_CIRCLE, size=80, color=ft.Colors.PRIMARY),
            ft.Text(
                t(
                    lang,
                    "kiosk.voucher_done",
                    reward=text(v.voucher.reward_name, lang),
                    name=v.member_display_name,
                ),
                style=name_style(lang),
                size=BIG,
                key="voucher-done",
            ),
            ft.FilledButton(
                t(lang, "kiosk.next"),
                on_click=kiosk.reset,
                key="next",
                style=big_button(lang),
                height=BUTTON_HEIGHT,
            ),
        ],
        spacing=14,
    )
