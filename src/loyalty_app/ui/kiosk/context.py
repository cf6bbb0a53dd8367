"""The kiosk tree's shared state."""

from __future__ import annotations

import flet as ft

from loyalty_core.problems import PROBLEMS

from ...i18n import problem_text, t
from .state import KioskState

KioskCtx: ft.ContextProvider[KioskState | None] = ft.create_context(None)


def use_kiosk() -> KioskState | None:
    return ft.use_context(KioskCtx)


def error_text(kiosk: KioskState) -> str:
    """The refusal in the kiosk's language: a problem slug's `err.` message, or the kiosk's own
    `kerr.` one. The server's English words are never shown."""
    if not kiosk.error:
        return ""
    if kiosk.error in PROBLEMS:
        return problem_text(kiosk.lang, kiosk.error)
    key = f"kerr.{kiosk.error}"
    text = t(kiosk.lang, key)
    return text if text != key else problem_text(kiosk.lang, "server-error")
