"""Account: who is signed in, and the pages a member opens less often than the card (tier,
vouchers, settings) and the inbox, so the navigation keeps to five destinations."""

from __future__ import annotations

import flet as ft

from ...domain.models import text
from ...i18n import t
from ..context import use_app
from ..fonts import name_style
from ..pictures import logo, shop_name, use_pictures
from ..widgets import heading
from .badges import badges_summary


def _entry(icon: ft.IconData, title: str, route: str, subtitle: str | None = None) -> ft.Control:
    return ft.ListTile(
        leading=ft.Icon(icon),
        title=ft.Text(title),
        subtitle=ft.Text(subtitle) if subtitle else None,
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda: ft.context.page.navigate(route),
        key=f"account-{route.strip('/')}",
    )


@ft.component
def AccountPage() -> ft.Control:
    app = use_app()
    images = use_pictures()
    if app is None:
        return ft.Container()
    lang, me = app.lang, app.me
    tier = t(lang, "account.tier", tier=text(me.tier_name, lang)) if me else None
    unread = app.inbox_shown().unread
    unread_text = t(lang, "account.inbox_unread", count=unread) if unread else None
    return ft.Column(
        [
            heading(t(lang, "nav.account")),
            ft.Row(
                [
                    logo(images, app.programme, lang, size=48),
                    ft.Column(
                        [
                            ft.Text(
                                me.name if me else "",
                                style=name_style(lang),
                                size=18,
                                weight=ft.FontWeight.BOLD,
                            ),
                            ft.Text(shop_name(app.programme, lang), size=13),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                ],
                spacing=12,
            ),
            ft.Divider(),
            _entry(ft.Icons.INBOX, t(lang, "inbox.title"), "/inbox", unread_text),
            _entry(ft.Icons.MILITARY_TECH, t(lang, "nav.tier"), "/tier", tier),
            _entry(
                ft.Icons.CONFIRMATION_NUMBER, t(lang, "rewards.my_vouchers"), "/account/vouchers"
            ),
            _entry(
                ft.Icons.EMOJI_EVENTS,
                t(lang, "badges.entry"),
                "/achievements",
                badges_summary(lang, app.badges) if app.badges else None,
            ),
            _entry(ft.Icons.SAVINGS, t(lang, "earn.entry"), "/how-to-earn"),
            _entry(ft.Icons.SETTINGS, t(lang, "nav.settings"), "/settings"),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=8,
    )
