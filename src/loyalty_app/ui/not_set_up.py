"""The screen of a build that has no loyalty server configured and no demo server inside."""

from __future__ import annotations

import flet as ft

from ..i18n import t
from .fonts import font_for, fonts_for


@ft.component
def NotSetUp(lang: str, brand_colour: str) -> ft.Control:
    page = ft.context.page
    font = font_for(lang)

    def apply_page_settings() -> None:
        page.fonts = fonts_for(lang)
        page.theme = ft.Theme(color_scheme_seed=brand_colour, font_family=font)
        page.dark_theme = ft.Theme(color_scheme_seed=brand_colour, font_family=font)

    ft.use_effect(apply_page_settings, dependencies=[lang])
    return ft.SafeArea(
        ft.Container(
            ft.Column(
                [
                    ft.Icon(ft.Icons.CLOUD_OFF, size=48),
                    ft.Text(
                        t(lang, "setup.title"),
                        theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                        font_family=font,
                    ),
                    ft.Text(
                        t(lang, "setup.no_backend"),
                        text_align=ft.TextAlign.CENTER,
                        font_family=font,
                    ),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                tight=True,
                spacing=16,
            ),
            alignment=ft.Alignment.CENTER,
            padding=24,
            expand=True,
        ),
        expand=True,
    )
