"""A member's name in Chinese, drawn on the card and the Account page, in every language, in
real Chromium against the real server: signed up with that name, the name shows as glyphs,
none of them a box or a blank. The language's font subset holds only the catalogues'
characters and English has no CJK font: the names font (the common Chinese characters) is
fetched for such a name. The card is kept in docs/screenshots/member."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from loyalty_app.i18n import t
from tests.support import member_browser as member
from tests.support.browser import AppProcess, drawn_whole, wait_cjk_glyphs
from tests.support.gallery import VIEWPORTS, Gallery, image, text

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "docs" / "screenshots" / "member"
FONT_FALLBACK = re.compile(r"status of 404 .*/assets/fonts/notosans(sc|tc|hk)/")
# None of these characters is in the catalogues' subsets.
NAMES = {"en": "陳美玲", "zh-Hans": "王晓明", "zh-Hant": "林曉晴"}


def _drawn(page, name: str) -> None:  # noqa: ANN001
    """The name's text shows every character as a glyph: no box, no blank."""
    shown = page.get_by_text(name, exact=True).first
    shown.wait_for(timeout=member.TIMEOUT_MS)
    whole = drawn_whole(len(name))
    glyphs = wait_cjk_glyphs(page, shown, timeout=15_000, until=whole)
    assert glyphs.verdict and whole(glyphs), f"{name}: {glyphs.summary()}"


@pytest.mark.parametrize("lang", list(NAMES))
def test_a_name_in_chinese_is_drawn_in_every_language(browser, demo_server, smtp, tmp_path, lang):
    name = NAMES[lang]
    data = member.app_data(tmp_path, "phone", lang, "light")
    app = AppProcess(data, "--backend", demo_server.base_url, log_path=tmp_path / "app.log")
    app.start()
    try:
        page = member.open_app(browser, app.url, *VIEWPORTS["phone"])
        page.get_by_role("button", name=t(lang, "signin.send_code")).wait_for()
        page.wait_for_load_state("networkidle")
        shots = Gallery(
            browser,
            page,
            SHOTS,
            lang,
            viewports=("phone",),
            themes=("light",),
            allowed_errors=FONT_FALLBACK,  # README, Known limits
        )
        email = f"name.{lang.lower()}.{uuid.uuid4().hex[:6]}@example.com"
        mark = smtp.mark()
        member.request_code(page, lang, email)
        member.enter_code(page, lang, smtp.wait_for_code(email, after=mark), name=name)
        member.wait_card(page, lang)
        _drawn(page, name)
        shots.capture("card", "chinese_name", [image(t(lang, "card.qr_label")), text(name)])
        member.go(page, lang, "account")
        _drawn(page, name)
    finally:
        app.stop()
