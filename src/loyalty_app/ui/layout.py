"""The frame: a navigation bar on narrow screens, a rail on wide ones, the outlet in the same
tree position in both (FLET_PATTERNS trap 2); sign-in takes the frame while signed out; the
full-screen card takes all of it.

Five destinations: what a member opens at the till (card), checks (points), spends (rewards)
and shares (invite), and an account page for the rest (tier, vouchers, settings)."""

from __future__ import annotations

import flet as ft

from ..i18n import t
from .context import use_app
from .frame import use_frame
from .pictures import logo, use_pictures
from .screens.sign_in import SignInPage
from .widgets import NoticeBar
from .widgets import notice_text as notice_text  # drawn by NoticeBar; imported from here too

NAV = [
    ("/card", "nav.card", ft.Icons.CREDIT_CARD),
    ("/points", "nav.points", ft.Icons.STARS),
    ("/rewards", "nav.rewards", ft.Icons.REDEEM),
    ("/referral", "nav.referral", ft.Icons.GROUP_ADD),
    ("/account", "nav.account", ft.Icons.ACCOUNT_CIRCLE),
]
#: Pages reached from a destination's page, and the destination they belong to. My vouchers
#: opens from Rewards (/vouchers) and from Account (/account/vouchers): it belongs to each.
UNDER = {
    "/vouchers": "/rewards",
    "/offers": "/rewards",
    "/how-to-earn": "/account",
    "/achievements": "/account",
    "/tier": "/account",
    "/settings": "/account",
    "/inbox": "/account",
}
WIDE = 720
#: On a wide screen the content keeps to a readable column (labels near their values).
MAX_CONTENT = 840
RAIL = 96


def destination(location: str) -> int:
    """The index in NAV of the destination a location belongs to (the card by default)."""
    for below, above in UNDER.items():
        if location.startswith(below):
            location = above
    return next((i for i, (p, _, _) in enumerate(NAV) if location.startswith(p)), 0)


@ft.component
def Layout() -> ft.Control:
    app = use_app()
    outlet = ft.use_route_outlet()
    location = ft.use_route_location()
    page = ft.context.page
    frame = use_frame()
    images = use_pictures()
    if app is None:
        return ft.View(route="/", controls=[])
    idx = destination(location)

    unread = app.inbox_shown().unread if app.phase == "signed_in" else 0

    def nav_icon(key: str, icon: ft.IconData) -> ft.Control:
        """The Account destination shows a dot while the inbox has unread messages."""
        if key != "nav.account" or not unread:
            return ft.Icon(icon)
        # A dot, no number: a badge's text joins the destination's name ("6 Account"), and a
        # badge label wrapped to keep it out of the accessibility tree broke the rail. The
        # Account page's Inbox entry says "N unread" in words.
        return ft.Icon(icon, badge=ft.Badge(small_size=10))

    def go(e: ft.Event) -> None:
        page.navigate(NAV[int(e.control.selected_index)][0])

    lang = app.lang
    width = app.width or page.width or 0
    signed_in = app.phase == "signed_in"
    card_only = signed_in and frame.card_only and idx == 0
    wide = width >= WIDE
    navigating = signed_in and not card_only
    if app.phase == "loading":
        body: ft.Control = ft.Column(
            [ft.ProgressRing(), ft.Text(t(lang, "app.loading"))],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )
    elif not signed_in:
        body = SignInPage()
    else:
        body = outlet
    # The notice bar (it leaves on its own: see NoticeBar); none over the full-screen card.
    notice = ft.Container() if card_only else NoticeBar()
    rail = wide and navigating
    column = min(MAX_CONTENT, width - RAIL - 1) if wide and not card_only else None
    return ft.View(
        route="/",
        padding=0,
        bgcolor=ft.Colors.WHITE if card_only else None,
        navigation_bar=None
        if (wide or not navigating)
        else ft.NavigationBar(
            selected_index=idx,
            on_change=go,
            destinations=[
                # No tooltip: it would only repeat the label under the icon.
                ft.NavigationBarDestination(
                    icon=nav_icon(key, icon), label=t(lang, key), tooltip=""
                )
                for _, key, icon in NAV
            ],
        ),
        controls=[
            ft.SafeArea(
                ft.Row(
                    expand=True,
                    controls=[
                        ft.NavigationRail(
                            visible=rail,
                            selected_index=idx,
                            on_change=go,
                            min_width=RAIL,
                            label_type=ft.NavigationRailLabelType.ALL,
                            leading=ft.Container(
                                logo(images, app.programme, lang, size=48),
                                padding=ft.Padding.only(top=8, bottom=16),
                            ),
                            destinations=[
                                ft.NavigationRailDestination(
                                    icon=nav_icon(key, icon), label=t(lang, key)
                                )
                                for _, key, icon in NAV
                            ],
                        ),
                        ft.VerticalDivider(width=1, visible=rail),
                        ft.Row(
                            [
                                ft.Container(
                                    ft.Column(
                                        [notice, ft.Container(body, expand=True)], expand=True
                                    ),
                                    padding=0 if card_only else 16,
                                    width=column,
                                    expand=column is None,
                                )
                            ],
                            alignment=ft.MainAxisAlignment.CENTER,
                            vertical_alignment=ft.CrossAxisAlignment.STRETCH,
                            expand=True,
                        ),
                    ],
                ),
                expand=True,
            )
        ],
    )
