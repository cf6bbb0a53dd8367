"""What the component tree shares: the app state (never None once mounted)."""

from __future__ import annotations

import flet as ft

from .state import AppState

AppCtx: ft.ContextProvider[AppState | None] = ft.create_context(None)


def use_app() -> AppState | None:
    """The app state; None only for a stale component re-rendering outside the tree
    (FLET_PATTERNS trap 2), which must then draw nothing rather than raise."""
    return ft.use_context(AppCtx)
