"""Card (home): the rotating QR with its countdown, member number, name, tier, balance."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import flet as ft

from loyalty_core.member_number import format_member_number

from ...card.render import qr_png
from ...domain.models import text
from ...i18n import fmt_number, t
from ...session import NotSignedIn
from ..context import use_app
from ..fonts import name_style
from ..frame import use_frame
from ..pictures import logo, shop_name, use_pictures
from ..screen_keeper import ScreenKeeper
from ..widgets import sync_note
from .stamps import stamp_card

FULL_SCREEN_QR = 440


@ft.observable
@dataclass
class CardState:
    token: str = ""
    png: bytes = b""
    seconds_left: int = 0
    missing: bool = False


@ft.component
def CardPage() -> ft.Control:
    app = use_app()

    def first_card() -> CardState:
        # The secret is usually in memory already: the QR is in this screen's first frame.
        ready = app.session.card_token_now(time.time()) if app is not None else None
        if ready is None:
            return CardState()
        token, seconds = ready
        return CardState(token, qr_png(token, box_size=8), max(1, round(seconds)))

    card, _ = ft.use_state(first_card)
    images = use_pictures()
    frame = use_frame()
    page = ft.context.page
    keeper, _ = ft.use_state(lambda: ScreenKeeper(page))

    async def ticker() -> None:
        # The secret is on the device: the code rotates with no network at all.
        while True:
            if page.session.connection is not None:
                try:
                    token, seconds = await app.session.card_token(time.time())
                except NotSignedIn:
                    card.missing = True
                else:
                    if token != card.token:
                        card.token, card.png = token, qr_png(token, box_size=8)
                    card.seconds_left = max(1, round(seconds))
            await asyncio.sleep(1)

    ft.use_effect(ticker, dependencies=[], cleanup=lambda: None)

    async def hold_screen() -> None:
        await keeper.hold(frame.card_only)

    ft.use_effect(hold_screen, dependencies=[frame.card_only])

    async def watch() -> None:
        # While the card shows, a cheap `GET /v1/me` every few seconds: a credit at the till
        # shows up without a refresh.
        if app is not None:
            await app.watch_card(lambda: page.session.connection is not None)

    # A callable cleanup, even one that does nothing, is what makes Flet cancel the task
    # when the screen unmounts (without one, every visit left a poll running).
    ft.use_effect(watch, dependencies=[], cleanup=lambda: None)
    if app is None:
        return ft.Container()

    # Each control says which way it goes, rather than flipping: a tap delivered twice (seen
    # in CI: the page closed full screen, then went straight back) then changes nothing more.
    def open_full_screen() -> None:
        frame.show_card_only(True)

    def close_full_screen() -> None:
        frame.show_card_only(False)

    me, lang = app.me, app.lang
    if card.missing:
        return ft.Column([sync_note(app), ft.Text(t(lang, "card.no_card"))])
    qr = (
        ft.Image(
            src=card.png,
            width=260,
            height=260,
            semantics_label=t(lang, "card.qr_label"),
            gapless_playback=True,
            key="card-qr",
        )
        if card.png
        else ft.ProgressRing()
    )
    number = format_member_number(me.number) if me else ""
    tier_name = text(me.tier_name, lang) if me else ""
    tier_colour = me.tier_colour if me else ft.Colors.PRIMARY
    # No tooltip here: a hover tooltip would cover the code the cashier scans.
    qr_box = ft.Container(
        qr,
        bgcolor=ft.Colors.WHITE,
        padding=12,
        border_radius=12,
        on_click=open_full_screen,
        key="card-qr-box",
    )
    if frame.card_only:
        # As large as the screen allows: an arm's length from the scanner still reads it.
        full_side = max(240, min(FULL_SCREEN_QR, (app.width or page.width or 0) - 32))
        return ft.Container(
            ft.Column(
                [
                    ft.Image(
                        src=card.png,
                        width=full_side,
                        height=full_side,
                        semantics_label=t(lang, "card.qr_label"),
                    )
                    if card.png
                    else qr,
                    ft.Text(
                        number,
                        size=30,
                        weight=ft.FontWeight.BOLD,
                        color=ft.Colors.BLACK,
                        font_family="RobotoMono",
                    ),
                    ft.Text(
                        t(lang, "card.next_code", seconds=card.seconds_left), color=ft.Colors.BLACK
                    ),
                    ft.FilledButton(
                        t(lang, "card.close_full"),
                        on_click=close_full_screen,
                        key="close-full",
                    ),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                scroll=ft.ScrollMode.AUTO,
            ),
            bgcolor=ft.Colors.WHITE,
            expand=True,
            alignment=ft.Alignment.CENTER,
            padding=16,
        )
    return ft.Column(
        [
            sync_note(app),
            ft.Container(
                ft.Column(
                    [
                        ft.Row(
                            [
                                logo(images, app.programme, lang, size=36),
                                ft.Text(
                                    shop_name(app.programme, lang),
                                    size=16,
                                    weight=ft.FontWeight.BOLD,
                                    color=ft.Colors.WHITE,
                                    expand=True,
                                ),
                            ],
                            spacing=10,
                        ),
                        ft.Row(
                            [
                                ft.Text(
                                    me.name if me else "",
                                    style=name_style(lang),
                                    size=20,
                                    weight=ft.FontWeight.BOLD,
                                    color=ft.Colors.WHITE,
                                    expand=True,
                                ),
                                ft.Container(
                                    ft.Text(tier_name, color=ft.Colors.BLACK, size=13),
                                    bgcolor=ft.Colors.WHITE,
                                    padding=ft.Padding.symmetric(horizontal=10, vertical=4),
                                    border_radius=12,
                                ),
                            ]
                        ),
                        ft.Text(
                            t(
                                lang,
                                "card.balance",
                                points=fmt_number(lang, me.balance if me else 0),
                            ),
                            size=28,
                            weight=ft.FontWeight.BOLD,
                            color=ft.Colors.WHITE,
                            key="card-balance",
                        ),
                    ]
                ),
                bgcolor=tier_colour,
                padding=16,
                border_radius=16,
            ),
            ft.Row([qr_box], alignment=ft.MainAxisAlignment.CENTER),
            ft.Row(
                [
                    ft.Text(
                        t(lang, "card.next_code", seconds=card.seconds_left),
                        size=13,
                        key="countdown",
                    ),
                    ft.TextButton(
                        t(lang, "card.tap_full"),
                        icon=ft.Icons.FULLSCREEN,
                        on_click=open_full_screen,
                        key="full-screen",
                    ),
                ],
                alignment=ft.MainAxisAlignment.CENTER,
                wrap=True,
            ),
            ft.Column(
                [
                    ft.Text(t(lang, "card.number"), size=13),
                    ft.Text(
                        number,
                        size=30,
                        weight=ft.FontWeight.BOLD,
                        key="member-number",  # not selectable: that hid it from screen readers
                    ),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            *([stamps] if (stamps := stamp_card(app)) else []),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        scroll=ft.ScrollMode.AUTO,
        spacing=14,
    )
