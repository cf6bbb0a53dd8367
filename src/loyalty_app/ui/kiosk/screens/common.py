"""What every kiosk screen shares: the text size, the refusal banner and form values."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

import flet as ft

from ...fonts import font_for
from ..context import error_text

BIG = 30
BUTTON_HEIGHT = 56


def big_button(lang: str) -> ft.ButtonStyle:
    """Touch targets a cashier hits without looking twice: 56 px tall (Material's minimum is
    48; button styles cannot set a height in Flet, so give ``height=BUTTON_HEIGHT`` too), with
    20 px text. The text style names the language's font: a style without one falls back to
    a font with no Chinese, and every label becomes a row of boxes."""
    return ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=24),
        text_style=ft.TextStyle(size=20, font_family=font_for(lang)),
    )


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


def submit_keeping_focus(kiosk, action: Callable[[], Awaitable[object]]):  # noqa: ANN001, ANN201
    """``on_submit`` for a form's fields: Enter runs `action`, and when it is refused the
    focus goes back to the field Enter was pressed in (Flutter takes it away on Enter), so the
    person corrects what they typed without reaching for the field again."""

    async def submit(e: ft.Event) -> None:
        await action()
        if kiosk.error:
            # The field may have left the page meanwhile: then there is nothing to focus.
            with contextlib.suppress(RuntimeError):
                await e.control.focus()

    return submit


class FormValues(dict[str, str]):
    """What has been typed into a form's fields, kept across renders without causing any.

    A field drawn with ``value=None`` after a refusal re-render sends that empty value to the
    browser and wipes what the person typed (and a refused PIN would have to be typed from
    scratch); drawn with the value typed so far, the re-render changes nothing in the field,
    which also keeps its focus.
    """

    on_typing: Callable[[], None] | None = None  # e.g. the kiosk's idle timer

    def field(self, name: str) -> dict:
        """``value`` and ``on_change`` for the TextField called ``name``."""

        def changed(e: ft.Event) -> None:
            self[name] = e.control.value or ""
            if self.on_typing is not None:
                self.on_typing()

        return {"value": self.get(name, ""), "on_change": changed}


def use_form(on_typing: Callable[[], None] | None = None) -> FormValues:
    values, _ = ft.use_state(FormValues)
    values.on_typing = on_typing
    return values
