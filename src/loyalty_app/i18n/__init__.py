"""Message catalogues (en, zh-Hans, zh-Hant) and locale-aware formatting with babel."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from . import en, zh_hans, zh_hant

LANGUAGES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
CATALOGUES: dict[str, dict[str, str]] = {
    "en": en.MESSAGES,
    "zh-Hans": zh_hans.MESSAGES,
    "zh-Hant": zh_hant.MESSAGES,
}
BABEL_LOCALES = {"en": "en_US", "zh-Hans": "zh_Hans_CN", "zh-Hant": "zh_Hant_TW"}


def language_for(tag: str | None) -> str:
    """Map a system or browser locale tag (en_GB, zh-TW, zh_CN.UTF-8…) to a catalogue."""
    value = (tag or "").replace("_", "-").split(".")[0].lower()
    if value.startswith("zh"):
        traditional = any(x in value for x in ("hant", "-tw", "-hk", "-mo"))
        return "zh-Hant" if traditional else "zh-Hans"
    return "en"


def t(lang: str, key: str, **values: object) -> str:
    """The message for `key` in `lang` (English when missing), with `{values}` filled in."""
    text = CATALOGUES.get(lang, en.MESSAGES).get(key) or en.MESSAGES.get(key, key)
    return text.format(**values) if values else text


def t_count(lang: str, key: str, count: int, **values: object) -> str:
    """`t` for a message about `count` things: `<key>_one` when there is one thing and the
    catalogues have such a form ("1 credit", not "1 credits"), else `key`."""
    chosen = f"{key}_one" if count == 1 and f"{key}_one" in en.MESSAGES else key
    return t(lang, chosen, **values)


def problem_text(lang: str, slug: str | None) -> str:
    """What a refusal means, for a person: the catalogue's `err.<slug>` (never the server's
    English `detail`). An unknown slug falls back to the generic server-error message."""
    key = f"err.{slug}"
    text = t(lang, key)
    return text if text != key else t(lang, "err.server-error")


def fmt_number(lang: str, value: int | float | Decimal) -> str:
    return format_decimal(value, locale=BABEL_LOCALES.get(lang, "en_US"))


def fmt_money(lang: str, amount: Decimal | str, currency: str) -> str:
    return format_currency(Decimal(str(amount)), currency, locale=BABEL_LOCALES.get(lang, "en_US"))


def fmt_date(lang: str, value: date | datetime) -> str:
    return format_date(value, format="medium", locale=BABEL_LOCALES.get(lang, "en_US"))


def fmt_datetime(lang: str, value: datetime) -> str:
    text = format_datetime(value, format="short", locale=BABEL_LOCALES.get(lang, "en_US"))
    # CLDR puts a narrow no-break space (U+202F) before AM/PM. The web client's Roboto has no
    # glyph for it, so Flutter asked for a Noto fallback font at every such time (404s, and
    # a box until it gave up); a plain no-break space looks the same and is in Roboto.
    return text.replace("\u202f", "\u00a0")


# Currencies a shop is likely to price in; their signs must be drawable in every language.
COMMON_CURRENCIES = ("USD", "CNY", "TWD", "HKD", "EUR", "GBP", "JPY")


def formatted_samples(lang: str) -> str:
    """What the formatters above can write in ``lang``: a time at every hour and half hour
    (zh-Hant names the part of the day: 凌晨, 清晨, 晚上…), a date in every month, amounts
    in the common currencies. The bundled font subsets are cut to cover these."""
    times = [datetime(2026, 1, 1, hour, minute) for hour in range(24) for minute in (0, 1, 30)]
    dates = [date(2026, month, 28) for month in range(1, 13)]
    parts = [fmt_datetime(lang, value) for value in times]
    parts += [fmt_date(lang, value) for value in dates]
    parts += [fmt_money(lang, "1234.5", currency) for currency in COMMON_CURRENCIES]
    parts.append(fmt_number(lang, 1234567.89))
    return "\n".join(parts)
