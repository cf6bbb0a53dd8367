"""The frame: a navigation bar on narrow screens, a rail on wide ones, the outlet in the same
tree position in both (FLET_PATTERNS trap 2); sign-in takes the frame while signed out."""

from __future__ import annotations

import flet as ft

from ..i18n import t
from .context import use_app
from .screens.sign_in import SignInPage
from .widgets import NoticeBar
from .widgets import notice_text as notice_text  # drawn by NoticeBar; imported from here too

NAV = [
    ("/card", "nav.card", ft.Icons.CREDIT_CARD),
    ("/points", "nav.points", ft.Icons.STARS),
    ("/tier", "nav.tier", ft.Icons.MILITARY_TECH),
    ("/rewards", "nav.rewards", ft.Icons.REDEEM),
    ("/referral", "nav.referral", ft.Icons.GROUP_ADD),
    ("/settings", "nav.settings", ft.Icons.SETTINGS),
]
WIDE = 720


@ft.component
def Layout() -> ft.Control:
    app = use_app()
    outlet = ft.use_route_outlet()
    location = ft.use_route_location()
    page = ft.context.page
    if app is None:
        return ft.View(route="/", controls=[])
    idx = next((i for i, (p, _, _) in enumerate(NAV) if location.startswith(p)), 0)
    if location.startswith("/vouchers"):
        idx = 3

    def go(e: ft.Event) -> None:
        page.navigate(NAV[int(e.control.selected_index)][0])

    lang = app.lang
    wide = (app.width or page.width or 0) >= WIDE
    signed_in = app.phase == "signed_in"
    if app.phase == "loading":
        body: ft.Control = ft.Column(
            [ft.ProgressRing(), ft.Text(t(lang, "app.loading"))],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )
    elif not signed_in:
        body = SignInPage()
    else:
        body = outlet
    notice = NoticeBar()
    return ft.View(
        route="/",
        padding=0,
        navigation_bar=None
        if (wide or not signed_in)
        else ft.NavigationBar(
            selected_index=idx,
            on_change=go,
            destinations=[
                ft.NavigationBarDestination(icon=icon, label=t(lang, key)) for _, key, icon in NAV
            ],
        ),
        controls=[
            ft.SafeArea(
                ft.Row(
                    expand=True,
                    controls=[
                        ft.NavigationRail(
                            visible=wide and signed_in,
                            selected_index=idx,
                            on_change=go,
                            label_type=ft.NavigationRailLabelType.ALL,
                            destinations=[
                                ft.NavigationRailDestination(icon=icon, label=t(lang, key))
                                for _, key, icon in NAV
                            ],
                        ),
                        ft.VerticalDivider(width=1, visible=wide and signed_in),
                        ft.Container(
                            ft.Column([notice, ft.Container(body, expand=True)], expand=True),
                            padding=16,
                            expand=True,
                        ),
                    ],
                ),
                expand=True,
            )
        ],
    )
