"""The bundled fonts: CJK subsets per language, and a tiny one for the language names."""

from __future__ import annotations

FONTS = {"NotoSansSC": "fonts/NotoSansSC-subset.otf", "NotoSansTC": "fonts/NotoSansTC-subset.otf"}
# 63 KB: just the language picker's own labels, which every language must be able to show.
LANGUAGE_NAMES_FONT = "LanguageNames"


def font_for(lang: str) -> str | None:
    """The bundled CJK subset a language needs; English uses the client's own Roboto, so an
    English launch downloads no CJK font at all."""
    return {"zh-Hans": "NotoSansSC", "zh-Hant": "NotoSansTC"}.get(lang)


def fonts_for(lang: str) -> dict[str, str]:
    fonts = {LANGUAGE_NAMES_FONT: "fonts/LanguageNames-subset.otf"}
    font = font_for(lang)
    if font:
        fonts[font] = FONTS[font]
    return fonts
