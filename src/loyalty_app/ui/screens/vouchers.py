"""My vouchers: code, QR to show at the till, expiry, status."""

from __future__ import annotations

import flet as ft

from ...card.render import qr_png_kept
from ...domain.models import text
from ...i18n import fmt_date, t
from ..context import use_app
from ..widgets import empty_state, sync_note, titled


@ft.component
def VouchersPage() -> ft.Control:
    app = use_app()
    # Opened from Account (/account/vouchers) or from Rewards (/vouchers): back to it.
    came_from = "/account" if ft.use_route_location().startswith("/account") else "/rewards"
    if app is None:
        return ft.Container()
    lang = app.lang
    cards: list[ft.Control] = []
    for v in app.vouchers:
        usable = v.status == "usable"
        cards.append(
            ft.Card(
                ft.Container(
                    ft.Row(
                        [
                            ft.Image(
                                src=qr_png_kept(v.qr_payload, 4),
                                width=120,
                                height=120,
                                semantics_label=t(lang, "vouchers.qr_label", code=v.code),
                            )
                            if usable
                            else ft.Icon(ft.Icons.CHECK_CIRCLE, size=48),
                            ft.Column(
                                [
                                    ft.Text(
                                        text(v.reward_name, lang),
                                        size=18,
                                        weight=ft.FontWeight.BOLD,
                                    ),
                                    ft.Text(t(lang, "vouchers.code", code=v.code)),
                                    ft.Text(
                                        t(
                                            lang,
                                            "vouchers.expires",
                                            date=fmt_date(lang, v.expires_at.date()),
                                        )
                                    ),
                                    ft.Text(
                                        t(lang, f"vouchers.status.{v.status}"),
                                        color=ft.Colors.PRIMARY if usable else ft.Colors.OUTLINE,
                                    ),
                                ],
                                expand=True,
                            ),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    ),
                    padding=12,
                ),
                key=f"voucher-{v.code}",
            )
        )
    return ft.Column(
        [
            sync_note(app),
            titled(lang, t(lang, "vouchers.title"), came_from),
            *[
                ft.Row([ft.Icon(ft.Icons.SCHEDULE, size=16), ft.Text(t(lang, "rewards.queued"))])
                for i in app.pending
                if i.kind == "redeem"
            ],
            *(cards or [empty_state(t(lang, "vouchers.empty"), ft.Icons.CONFIRMATION_NUMBER)]),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=10,
    )
