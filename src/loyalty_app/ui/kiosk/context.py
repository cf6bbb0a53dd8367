"""The kiosk tree's shared state."""

from __future__ import annotations

import flet as ft

from ...kiosk.state import KioskState

KioskCtx: ft.ContextProvider[KioskState | None] = ft.create_context(None)


def use_kiosk() -> KioskState | None:
    return ft.use_context(KioskCtx)


def error_text(kiosk: KioskState) -> str:
    """The refusal in the kiosk's language; the server's words only for unknown kinds."""
    from ...i18n import t

    if not kiosk.error:
        return ""
    key = f"kerr.{kiosk.error}"
    text = t(kiosk.lang, key, detail=kiosk.error_detail)
    return text if text != key else t(kiosk.lang, "kerr.other", detail=kiosk.error_detail)
