"""What the frame around the screens shows: everything, or only the card (full screen)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft


@ft.observable
@dataclass
class Frame:
    #: The card is shown full screen: no navigation, no margins, nothing else.
    card_only: bool = False

    def show_card_only(self, value: bool) -> None:
        self.card_only = value


FrameCtx: ft.ContextProvider[Frame | None] = ft.create_context(None)


def use_frame() -> Frame:
    """The frame's state (a detached one outside the tree, so callers need no None check)."""
    return ft.use_context(FrameCtx) or Frame()
