"""The bundled fonts: CJK subsets per language, and a tiny one for the language names."""

from __future__ import annotations

import flet as ft

from loyalty_core.names import written_in_cjk

FONTS = {"NotoSansSC": "fonts/NotoSansSC-subset.otf", "NotoSansTC": "fonts/NotoSansTC-subset.otf"}
# 63 KB: just the language picker's own labels, which every language must be able to show.
LANGUAGE_NAMES_FONT = "LanguageNames"
# 3.9 MB: the common Chinese characters (build_config/make_fonts.py), for members' names,
# which no catalogue lists. Fetched only while a name needs it (`needs_names_font`).
NAMES_FONT = "MemberNames"
NAMES_FONT_FILE = "fonts/NotoSansCJK-names-subset.otf"


def font_for(lang: str) -> str | None:
    """The bundled CJK subset a language needs; English uses the client's own Roboto, so an
    English launch downloads no CJK font at all."""
    return {"zh-Hans": "NotoSansSC", "zh-Hant": "NotoSansTC"}.get(lang)


def fonts_for(lang: str, *, names: bool = False) -> dict[str, str]:
    """The fonts a page registers: the language's, the language names', and with ``names``
    the one for members' names."""
    fonts = {LANGUAGE_NAMES_FONT: "fonts/LanguageNames-subset.otf"}
    font = font_for(lang)
    if font:
        fonts[font] = FONTS[font]
    if names:
        fonts[NAMES_FONT] = NAMES_FONT_FILE
    return fonts


def needs_names_font(*texts: str | None) -> bool:
    """True when a name is written in CJK (林曉晴): the language's subset may lack its
    characters, and English has no CJK font at all."""
    return any(written_in_cjk(text) for text in texts)


def name_style(lang: str) -> ft.TextStyle:
    """For a text or field showing a member's name or own words: the language's font, and
    what it lacks from the names font (registered while ``needs_names_font``). A style must
    name the language's font: one that names none is drawn without it."""
    return ft.TextStyle(font_family=font_for(lang), font_family_fallback=[NAMES_FONT])
