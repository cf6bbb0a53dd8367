"""Settings: language, theme, the server, sign-out, about."""

from __future__ import annotations

import flet as ft

from ... import __version__
from ...i18n import LANGUAGES, t
from ..context import use_app
from ..fonts import LANGUAGE_NAMES_FONT
from ..widgets import heading, labelled_button


@ft.component
def SettingsPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang = app.lang

    async def sign_out() -> None:
        await app.sign_out()
        ft.context.page.navigate("/")

    return ft.Column(
        [
            heading(t(lang, "settings.title")),
            ft.Text(t(lang, "settings.language"), size=13),
            ft.SegmentedButton(
                selected=[lang],
                key="language",
                segments=[
                    ft.Segment(value=k, label=ft.Text(v, font_family=LANGUAGE_NAMES_FONT))
                    for k, v in LANGUAGES.items()
                ],
                on_change=lambda e: app.set_language(
                    e.control.selected[0] if e.control.selected else lang
                ),
            ),
            ft.Text(t(lang, "settings.theme"), size=13),
            ft.SegmentedButton(
                selected=[app.theme],
                key="theme",
                segments=[
                    ft.Segment(value=v, label=ft.Text(t(lang, f"settings.theme.{v}")))
                    for v in ("system", "light", "dark")
                ],
                on_change=lambda e: app.set_theme(
                    e.control.selected[0] if e.control.selected else "system"
                ),
            ),
            ft.Text(t(lang, "settings.backend"), size=13),
            ft.Text(app.session.backend_url, selectable=True, key="backend-url"),
            ft.Text(
                t(lang, "settings.signed_in_as", name=app.me.name if app.me else ""),
                visible=app.me is not None,
            ),
            labelled_button(
                t(lang, "settings.sign_out"), sign_out, icon=ft.Icons.LOGOUT, key="sign-out"
            ),
            ft.Divider(),
            ft.Text(t(lang, "settings.about"), weight=ft.FontWeight.BOLD),
            ft.Text(t(lang, "settings.version", version=__version__)),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=12,
    )
