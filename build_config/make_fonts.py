"""Build the bundled CJK font subsets in assets/fonts from Debian's Noto Sans CJK (OFL).

The web client has no fallback fonts offline, so Chinese needs a bundled font. Subsetting
keeps the repository small: the characters of every message catalogue, the demo programme,
ASCII and common punctuation; and a larger one for members' names (the common Chinese
characters). Run after changing a catalogue or the demo programme:

    apt-get install fonts-noto-cjk
    .venv/bin/python build_config/make_fonts.py
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = ROOT / "assets" / "fonts"
# Face names inside the collection: the SC and TC cuts of Noto Sans CJK.
FACES = {"NotoSansSC-subset.otf": "Noto Sans CJK SC", "NotoSansTC-subset.otf": "Noto Sans CJK TC"}
# Members' names in Chinese, in every language: fetched only for a member who needs it.
NAMES_FILE = "NotoSansCJK-names-subset.otf"
EXTRA = "·…—–“”‘’，。、：；！？（）《》「」『』【】￥×"


def characters() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from loyalty_app.i18n import CATALOGUES, LANGUAGES, formatted_samples

    chars = set(string.printable) | set(EXTRA) | set("".join(LANGUAGES.values()))
    for messages in CATALOGUES.values():
        for text in messages.values():
            chars |= set(text)
    for toml in (ROOT / "src" / "loyalty_server" / "programmes").glob("*.toml"):
        chars |= set(toml.read_text(encoding="utf-8"))
    # Dates, times, amounts as babel writes them in Chinese (zh-Hant's times name the part
    # of the day: 凌晨, 清晨, 晚上…), and the words around them.
    chars |= set(formatted_samples("zh-Hans") + formatted_samples("zh-Hant"))
    chars |= set("年月日时時分秒上下午星期周週一二三四五六七八九十零")
    return "".join(sorted(c for c in chars if c.isprintable()))


def language_names() -> str:
    """The language picker's own labels (简体中文, 繁體中文) must render in every language,
    also in English, which loads no CJK subset: a tiny font just for them."""
    sys.path.insert(0, str(ROOT / "src"))
    from loyalty_app.i18n import LANGUAGES

    return "".join(sorted(set("".join(LANGUAGES.values())) | set(string.printable)))


def common_hanzi() -> str:
    """The characters most Chinese names are written in: the 3,755 of GB2312's first level
    (simplified) and the 5,401 of Big5's (traditional), 6,722 in all, read from Python's own
    codecs. A name is typed by its member: no catalogue can list it."""
    chars: set[str] = set()
    tables = (
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    )
    for codec, leads, trails in tables:
        for lead in leads:
            for trail in trails:
                try:
                    char = bytes([lead, trail]).decode(codec)
                except UnicodeDecodeError:
                    continue
                if "\u4e00" <= char <= "\u9fff":
                    chars.add(char)
    chars |= set(string.printable) | set("·・")
    return "".join(sorted(c for c in chars if c.isprintable()))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    text = characters()
    jobs = [(filename, family, text) for filename, family in FACES.items()]
    jobs.append(("LanguageNames-subset.otf", "Noto Sans CJK TC", language_names()))
    jobs.append((NAMES_FILE, "Noto Sans CJK SC", common_hanzi()))
    for filename, family, chars in jobs:
        collection = TTCollection(str(SOURCE))  # fresh: subsetting changes the font in place
        font = next(f for f in collection.fonts if f["name"].getDebugName(1) == family)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        # Keep the source's head.modified: re-running with unchanged text gives identical bytes.
        font.recalcTimestamp = False
        font.save(str(OUT / filename))
        print(f"{filename}: {len(chars)} characters, {(OUT / filename).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
