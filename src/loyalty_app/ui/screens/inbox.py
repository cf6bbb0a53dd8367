"""Inbox: the messages the programme sends (an offer for the member, points or a voucher about
to expire, a stamp card one visit from its reward, the birthday voucher, a tier reached or at
risk). Opening a message marks it read (an offer's also opens the offers); a dismissed one
goes for good. Both work offline (queued)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import flet as ft

from ...domain.inbox import opens, text_keys
from ...domain.models import InboxMessage, text
from ...i18n import fmt_date, fmt_number, t
from ..context import use_app
from ..feedback import FeedbackBar
from ..state import AppState
from ..widgets import empty_state, heading, icon_button, labelled_button, sync_note

_ICONS = {
    "offer": ft.Icons.LOCAL_OFFER,
    "points_expiring": ft.Icons.HOURGLASS_BOTTOM,
    "voucher_expiring": ft.Icons.CONFIRMATION_NUMBER,
    "stamp_card": ft.Icons.LOCAL_CAFE,
    "birthday_voucher": ft.Icons.CAKE,
    "tier_reached": ft.Icons.MILITARY_TECH,
    "tier_at_risk": ft.Icons.TRENDING_DOWN,
}


def message_texts(lang: str, m: InboxMessage, today: date | None = None) -> tuple[str, str]:
    """The title and the sentence of a message in `lang` (``today``: the device's date)."""
    values = {
        "points": fmt_number(lang, m.points or 0),
        "date": fmt_date(lang, m.on) if m.on else "",
        "code": m.voucher_code or "",
        "reward": text(m.reward_name, lang) if m.reward_name else "",
        "tier": text(m.tier_name, lang) if m.tier_name else "",
        "offer": text(m.offer_name, lang) if m.offer_name else "",
    }
    title, body = text_keys(m, today or datetime.now(UTC).date())
    return t(lang, title, **values), t(lang, body, **values)


def _message_card(app: AppState, m: InboxMessage) -> ft.Control:
    lang = app.lang
    title, body = message_texts(lang, m)

    async def read() -> None:
        page, route = ft.context.page, opens(m)
        await app.read_message(m.id)
        if route is not None:
            page.navigate(route)

    async def dismiss() -> None:
        await app.dismiss_message(m.id)

    return ft.Card(
        ft.Container(
            ft.Row(
                [
                    ft.Icon(_ICONS.get(m.kind, ft.Icons.MAIL), size=28),
                    ft.Column(
                        [
                            ft.Row(
                                [
                                    ft.Text(
                                        title,
                                        size=16,
                                        weight=ft.FontWeight.NORMAL
                                        if m.read
                                        else ft.FontWeight.BOLD,
                                        expand=True,
                                    ),
                                    *(
                                        []
                                        if m.read
                                        else [
                                            ft.Text(t(lang, "inbox.new"), color=ft.Colors.PRIMARY)
                                        ]
                                    ),
                                ]
                            ),
                            ft.Text(body),
                        ],
                        spacing=4,
                        expand=True,
                    ),
                    icon_button(
                        ft.Icons.CLOSE,
                        t(lang, "inbox.dismiss", title=title),
                        dismiss,
                        key=f"dismiss-{m.id}",
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            padding=12,
            on_click=read,
        ),
        key=f"message-{m.id}",
    )


@ft.component
def InboxPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang = app.lang
    inbox = app.inbox_shown()
    cards = [_message_card(app, m) for m in inbox.items]
    return ft.Column(
        [
            sync_note(app),
            ft.Row(
                [
                    heading(t(lang, "inbox.title")),
                    ft.Container(expand=True),
                    labelled_button(
                        t(lang, "rewards.back"),
                        lambda: ft.context.page.navigate("/account"),
                        icon=ft.Icons.ARROW_BACK,
                        key="back-account",
                    ),
                ]
            ),
            FeedbackBar(),
            *(cards or [empty_state(t(lang, "inbox.empty"), ft.Icons.INBOX)]),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=10,
    )
