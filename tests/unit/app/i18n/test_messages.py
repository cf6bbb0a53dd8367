"""The message catalogues: the same keys in every language, an `err.<slug>` message for every
registered problem type, matching placeholders, and bundled fonts that can draw the Chinese."""

from __future__ import annotations

import string
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from loyalty_app.i18n import CATALOGUES, LANGUAGES, formatted_samples
from loyalty_app.ui.fonts import (
    FONTS,
    LANGUAGE_NAMES_FONT,
    NAMES_FONT,
    NAMES_FONT_FILE,
    font_for,
    fonts_for,
    needs_names_font,
)
from loyalty_core.problems import PROBLEMS

ROOT = Path(__file__).resolve().parents[4]
ASSETS = ROOT / "assets"
PROGRAMMES = ROOT / "src" / "loyalty_server" / "programmes"
LANGS = sorted(CATALOGUES)


def _err_keys(messages: dict[str, str]) -> list[str]:
    return [key for key in messages if key.startswith("err.")]


def _placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_three_languages_are_there():
    assert LANGS == ["en", "zh-Hans", "zh-Hant"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_registered_problem_has_a_message(lang):
    missing = [slug for slug in PROBLEMS if f"err.{slug}" not in CATALOGUES[lang]]
    assert missing == [], f"{lang} has no err.<slug> for {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_for_an_unregistered_problem(lang):
    stray = [key for key in _err_keys(CATALOGUES[lang]) if key[len("err.") :] not in PROBLEMS]
    assert stray == [], f"{lang}: {stray} are not in loyalty_core.problems"


@pytest.mark.parametrize("lang", LANGS)
def test_problem_messages_are_grouped_in_registry_order(lang):
    keys = list(CATALOGUES[lang])
    errs = _err_keys(CATALOGUES[lang])
    assert errs == [f"err.{slug}" for slug in PROBLEMS]
    start = keys.index(errs[0])
    assert keys[start : start + len(errs)] == errs, f"{lang}: err.* keys are not together"


def test_the_catalogues_have_the_same_keys():
    english = set(CATALOGUES["en"])
    for lang in LANGS:
        keys = set(CATALOGUES[lang])
        assert sorted(english - keys) == [], f"{lang} lacks these keys"
        assert sorted(keys - english) == [], f"{lang} has keys English does not"


def test_placeholders_match_across_languages():
    differ = {}
    for key, text in CATALOGUES["en"].items():
        found = {lang: _placeholders(CATALOGUES[lang].get(key, text)) for lang in LANGS}
        if len({tuple(names) for names in found.values()}) > 1:
            differ[key] = found
    assert differ == {}


@pytest.mark.parametrize("lang", LANGS)
def test_problem_messages_are_real_text_without_placeholders(lang):
    for key in _err_keys(CATALOGUES[lang]):
        text = CATALOGUES[lang][key]
        assert text.strip(), f"{lang} {key} is empty"
        assert text != key, f"{lang} {key} is just its key"
        assert _placeholders(text) == [], f"{lang} {key}: shown without values, no {{…}}"


# ---- bundled fonts (build_config/make_fonts.py cuts them) -----------------------------------


def _cmap(relative: str) -> set[int]:
    path = ASSETS / relative
    assert path.is_file(), f"{path} is missing: run build_config/make_fonts.py"
    return set(TTFont(path, lazy=True).getBestCmap())


def _chinese_text() -> set[str]:
    """Every character the CJK subsets must draw: both Chinese catalogues and the programme
    files (reward names and the like), as make_fonts.py collects them."""
    text = "".join(CATALOGUES["zh-Hans"].values()) + "".join(CATALOGUES["zh-Hant"].values())
    for toml in sorted(PROGRAMMES.glob("*.toml")):
        text += toml.read_text(encoding="utf-8")
    return {c for c in text if c.isprintable()}


def test_the_app_bundles_the_subset_fonts():
    assert fonts_for("zh-Hans") == {
        LANGUAGE_NAMES_FONT: "fonts/LanguageNames-subset.otf",
        "NotoSansSC": FONTS["NotoSansSC"],
    }
    assert fonts_for("zh-Hant")["NotoSansTC"] == FONTS["NotoSansTC"]


@pytest.mark.parametrize("family", sorted(FONTS))
def test_the_cjk_subsets_cover_every_chinese_message_and_the_programme(family):
    cmap = _cmap(FONTS[family])
    missing = "".join(sorted(c for c in _chinese_text() if ord(c) not in cmap))
    assert missing == "", (
        f"{FONTS[family]} lacks {missing!r}: run build_config/make_fonts.py (needs fonts-noto-cjk)"
    )


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_the_cjk_subsets_cover_every_date_time_and_amount_the_app_writes(lang):
    """zh-Hant's times name the part of the day; 凌晨 (after midnight), 清晨 and 晚上 were
    missing, and the sync line drew a blank before dawn and every evening."""
    cmap = _cmap(FONTS[font_for(lang)])
    missing = "".join(sorted({c for c in formatted_samples(lang) if ord(c) not in cmap} - {"\n"}))
    assert missing == "", f"{FONTS[font_for(lang)]} lacks {missing!r}: run make_fonts.py"


def test_the_language_names_font_covers_the_language_picker():
    cmap = _cmap(fonts_for("en")[LANGUAGE_NAMES_FONT])
    missing = "".join(sorted({c for c in "".join(LANGUAGES.values()) if ord(c) not in cmap}))
    assert missing == ""


def test_the_names_font_covers_the_common_chinese_characters():
    """Members' names: GB2312's and Big5's first levels (make_fonts.common_hanzi), and so
    the names the browser test signs up with, in either script."""
    sys.path.insert(0, str(ROOT / "build_config"))
    import make_fonts

    wanted = make_fonts.common_hanzi()
    assert len(wanted) > 6_700
    assert {"陳", "曉", "晓", "婷"} <= set(wanted)
    cmap = _cmap(NAMES_FONT_FILE)
    missing = "".join(c for c in wanted if ord(c) not in cmap)
    assert missing == "", f"{NAMES_FONT_FILE} lacks {missing[:40]!r}: run make_fonts.py"


def test_the_names_font_is_registered_only_for_a_name_that_needs_it():
    assert needs_names_font("林曉晴") and needs_names_font("Mei 王")
    assert not needs_names_font("Mei Lin", "José Müller", "Zoë", None, "")
    assert NAMES_FONT not in fonts_for("zh-Hant")
    assert fonts_for("en", names=True)[NAMES_FONT] == NAMES_FONT_FILE
