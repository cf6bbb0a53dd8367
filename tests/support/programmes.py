"""The programme files the integration tests serve.

The demo programme's offers pay by the date and the day of the week (double points on
Tuesdays, a welcome bonus for members who joined lately), and its challenges pay points on a
third visit in a week, so a test that counts points would pass on a Monday and fail on a
Tuesday. Servers started for tests therefore serve the demo programme without its [[offers]]
and [[challenges]] (the last sections of the file) unless a test names a programme; the
tests of offers and challenges write their own."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

DEMO_PROGRAMME = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "loyalty_server"
    / "programmes"
    / "harbor_coffee.toml"
)
_FIRST_OFFER = "\n[[offers]]"


def without_offers(text: str) -> str:
    """A programme file's text cut before its first [[offers]] table (offers, then
    challenges, come last)."""
    return text.split(_FIRST_OFFER)[0]


def write_programme(folder: Path, name: str, text: str) -> Path:
    """``text`` as a programme file in ``folder``, beside the demo's pictures."""
    pictures = folder / "harbor_coffee"
    if not pictures.exists():
        pictures.symlink_to(DEMO_PROGRAMME.parent / "harbor_coffee")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@cache
def steady_programme() -> Path:
    """The demo programme without its offers, written once per test run."""
    folder = Path(tempfile.mkdtemp(prefix="loyalty-programme-"))
    return write_programme(
        folder, "harbor_steady.toml", without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8"))
    )


_FOOD_BONUS = '{ en = "Food bonus", zh-Hans = "轻食奖励", zh-Hant = "輕食獎勵" }'


def category_programme(folder: Path) -> Path:
    """The demo programme with one offer, for purchases marked "food" (+50 points, dated
    around today in every time zone), and one challenge: three categories tried (+150)."""
    today = datetime.now(UTC).date()
    extra = (
        f'\n[[offers]]\nid = "food-bonus"\nname = {_FOOD_BONUS}\ndescription = {_FOOD_BONUS}\n'
        f"points = 50\nstarts = {today - timedelta(days=2)}\nends = {today + timedelta(days=30)}\n"
        'category = "food"\n'
        '\n[[challenges]]\nid = "explorer"\n'
        'name = { en = "Explorer", zh-Hans = "探索家", zh-Hant = "探索家" }\n'
        'description = { en = "Three categories", zh-Hans = "三个类别", zh-Hant = "三個類別" }\n'
        'goal = "categories"\ncount = 3\npoints = 150\n'
    )
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8")) + extra
    return write_programme(folder, "harbor_categories.toml", text)
