"""The Flutter locales of the three catalogues (date pickers, text direction, plurals)."""

from __future__ import annotations

import flet as ft

LOCALES = {
    "en": ft.Locale("en", "US"),
    "zh-Hans": ft.Locale("zh", "CN", script_code="Hans"),
    "zh-Hant": ft.Locale("zh", "TW", script_code="Hant"),
}
