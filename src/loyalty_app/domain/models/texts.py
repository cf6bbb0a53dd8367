"""Texts in several languages, and picking the one to show a reader."""

from __future__ import annotations

from collections.abc import Mapping

#: The languages every programme text is written in.
LANGUAGES = ("en", "zh-Hans", "zh-Hant")

#: A text in several languages: ``{"en": "Harbor Gold", "zh-Hans": "港湾金卡", ...}``.
Texts = Mapping[str, str]


# Where to look when the wanted language is missing, in order.  The two Chinese scripts
# are closer to each other than to English; English is the programme's common fallback.
_FALLBACKS = {
    "zh-Hant": ("zh-Hant", "zh-Hans", "en"),
    "zh-Hans": ("zh-Hans", "zh-Hant", "en"),
    "en": ("en", "zh-Hant", "zh-Hans"),
}
# Regions that write Traditional Chinese when a tag has no script subtag ("zh-TW").
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


def resolve_language(lang: str) -> str:
    """The LANGUAGES entry for a language tag: "zh-TW" → "zh-Hant", "en-GB" → "en".

    Script subtags win over regions ("zh-Hant-CN" → "zh-Hant"); a bare "zh" is
    Simplified; case and "_" instead of "-" do not matter.  Other languages map to "en",
    the programme's common fallback.
    """
    parts = lang.replace("_", "-").lower().split("-")
    if parts[0] != "zh":
        return "en"
    if "hant" in parts:
        return "zh-Hant"
    if "hans" in parts:
        return "zh-Hans"
    return "zh-Hant" if any(p in _HANT_REGIONS for p in parts[1:]) else "zh-Hans"


def text(texts: Texts | None, lang: str) -> str:
    """The text of *texts* to show to someone reading *lang*.

    An exact tag wins; then the same language (``"zh-TW"`` → ``"zh-Hant"``,
    ``"en-GB"`` → ``"en"``); then the other Chinese script before English for Chinese
    readers, and Traditional before Simplified for everyone else; then any non-empty
    text.  Empty strings count as missing.  No texts at all gives ``""``.
    """
    if not texts:
        return ""
    exact = texts.get(lang)
    if exact:
        return exact
    for candidate in _FALLBACKS[resolve_language(lang)]:
        value = texts.get(candidate)
        if value:
            return value
    # Keys with other spellings ("zh-hant", "en-US") or other languages entirely.
    wanted = resolve_language(lang)
    for key, value in texts.items():
        if value and resolve_language(key) == wanted:
            return value
    return next((value for value in texts.values() if value), "")
