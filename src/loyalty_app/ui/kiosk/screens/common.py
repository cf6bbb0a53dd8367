"""What every kiosk screen shares: the text size and the refusal banner."""

from __future__ import annotations

import flet as ft

from ..context import error_text

BIG = 30
# Touch targets a cashier hits without looking twice: 56 px tall (Material's minimum is 48),
# with 20 px text. Button styles cannot set a height in Flet: it is the control's own.
BIG_BUTTON = ft.ButtonStyle(
    padding=ft.Padding.symmetric(horizontal=24), text_style=ft.TextStyle(size=20)
)
BUTTON_HEIGHT = 56


def error_banner(kiosk) -> ft.Control:  # noqa: ANN001
    return ft.Container(
        ft.Row(
            [
                ft.Icon(ft.Icons.ERROR_OUTLINE, color=ft.Colors.ON_ERROR_CONTAINER),
                ft.Text(
                    error_text(kiosk),
                    size=20,
                    key="kiosk-error",
                    expand=True,
                    color=ft.Colors.ON_ERROR_CONTAINER,
                ),
            ]
        ),
        bgcolor=ft.Colors.ERROR_CONTAINER,
        padding=14,
        border_radius=10,
        visible=bool(kiosk.error),
    )
