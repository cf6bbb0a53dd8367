"""The inbox in real Chromium against the real server, in en / zh-Hans / zh-Hant on a phone
and a desktop, light and dark: the demo member's messages on first run, the
unread count on the Account page, a message read and one dismissed; then the server stopped
and the app restarted: the inbox still shows, from the store. Every picture is checked
(tests/support/gallery.py: texts by role and name, no error box, no console error, the
theme asked for) and kept in docs/screenshots/member."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loyalty_app.i18n import LANGUAGES, t
from tests.support import member_browser as member
from tests.support.browser import AppProcess, drawn_whole, field_text, wait_cjk_glyphs
from tests.support.gallery import VIEWPORTS, Gallery, button, text

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "docs" / "screenshots" / "member"
DRINKS = {"en": "Drinks", "zh-Hans": "饮品", "zh-Hant": "飲品"}
SHOP = {"en": "Harbor Coffee", "zh-Hans": "港湾咖啡", "zh-Hant": "港灣咖啡"}
# Mei's comment, in her words: no catalogue holds 绵/綿 and 密 (the names font draws them).
COMMENTS = {"en": "Lovely flat white", "zh-Hans": "奶泡绵密服务周到", "zh-Hant": "奶泡綿密服務周到"}
FONT_FALLBACK = re.compile(r"status of 404 .*/assets/fonts/notosans(sc|tc|hk)/")


def _open(browser, app: AppProcess, lang: str, first: str, viewport: str = "phone"):  # noqa: ANN001, ANN202
    """The app's page once its first screen is drawn (in Chinese: with the bundled font's
    glyphs, the text `first` being a catalogue key on that screen) and loaded."""
    page = member.open_app(browser, app.url, *VIEWPORTS[viewport])
    if lang != "en":
        glyphs = wait_cjk_glyphs(page, page.get_by_text(t(lang, first), exact=True).first)
        assert glyphs.verdict, glyphs.summary()
    page.wait_for_load_state("networkidle")
    loading = browser.page_errors(page)
    assert all(FONT_FALLBACK.search(e) for e in loading), loading  # README, Known limits
    return page


def _fonts_settled(browser, page, shots: Gallery) -> None:  # noqa: ANN001
    """Once the page is idle: the only errors since the gallery began may be the known font
    fallback requests (README, Known limits: seen once in zh-Hant after the first sign-in,
    as the card's first Chinese texts were drawn); from here on every error fails."""
    page.wait_for_load_state("networkidle")
    errors = browser.page_errors(page)
    late = errors[shots.errors_seen :]
    assert all(FONT_FALLBACK.search(e) for e in late), late
    shots.errors_seen = len(errors)


def _unread(page, lang: str, expected: int | None = None) -> int:  # noqa: ANN001
    """The unread count the Account page's Inbox entry shows (waiting for `expected`)."""
    before, after = t(lang, "account.inbox_unread", count="\x00").split("\x00")
    number = str(expected) if expected is not None else r"\d+"
    name = (
        rf"^{re.escape(t(lang, 'inbox.title'))}\s+{re.escape(before)}({number}){re.escape(after)}"
    )
    entry = page.get_by_role("button", name=re.compile(name)).first
    entry.wait_for(timeout=member.TIMEOUT_MS)
    label = entry.get_attribute("aria-label") or entry.inner_text()
    return int(re.search(name, label).group(1))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_inbox_read_dismissed_and_shown_offline(browser, demo_server, tmp_path, lang):
    data = member.app_data(tmp_path, "phone", lang)
    app = AppProcess(data, "--backend", demo_server.base_url, log_path=tmp_path / "app.log")
    app.start()
    try:
        page = _open(browser, app, lang, "signin.title")
        viewports = ("phone", "desktop") if lang == "en" else ("phone",)
        shots = Gallery(browser, page, SHOTS, lang, viewports=viewports)
        member.sign_in_demo(page, lang)

        # Mei's first run: a birthday voucher, points and a voucher about to expire, a stamp
        # card one visit from its drink; all unread, counted on the Account page.
        member.go(page, lang, "account")
        count = _unread(page, lang)
        assert count >= 4
        member.go(page, lang, "inbox")
        _fonts_settled(browser, page, shots)
        # After yesterday's coffee: how likely is she to recommend the shop? Answered once.
        question = t(lang, "feedback.question", shop=SHOP[lang])
        shots.capture(
            "inbox",
            "feedback",
            [text(question), button("0", exact=True), button("10", exact=True)],
        )
        page.get_by_role("button", name="9", exact=True).click()
        member.type_into(page, t(lang, "feedback.comment"), COMMENTS[lang])
        field = page.get_by_label(t(lang, "feedback.comment")).first
        # In Chinese, every character drawn, none left blank.
        whole = drawn_whole(len(COMMENTS[lang])) if lang != "en" else lambda report: True
        comment = wait_cjk_glyphs(page, field, inside=field_text, until=whole)
        assert comment.verdict and not comment.boxes and whole(comment), comment.summary()
        page.get_by_role("button", name=t(lang, "feedback.send")).click()
        page.get_by_text(question).wait_for(state="hidden", timeout=member.TIMEOUT_MS)
        birthday = t(lang, "inbox.birthday_voucher.title")
        stamps = t(lang, "inbox.stamp_card.title")
        expiring = t(lang, "inbox.points_expiring.title")
        shots.capture(
            "inbox",
            "default",
            [
                text(birthday),
                text(stamps),
                text(expiring),
                text(t(lang, "inbox.voucher_expiring.title")),
            ],
        )

        # Read one (tap it), dismiss another: the count follows, the dismissed one goes.
        page.get_by_text(birthday).first.click()
        member.go(page, lang, "account")
        _unread(page, lang, count - 1)
        member.go(page, lang, "inbox")
        dismiss = page.get_by_role("button", name=t(lang, "inbox.dismiss", title=stamps))
        dismiss.click()
        # Gone with its message (its title is also in the screen reader's announcement of
        # the tap for a moment, so the text alone may be on the page twice).
        dismiss.wait_for(state="detached", timeout=member.TIMEOUT_MS)
        assert page.locator("flt-semantics").get_by_text(stamps).count() == 0
        member.go(page, lang, "account")
        _unread(page, lang, count - 2)

        # Recommended for you, below the catalogue: Mei often gets drinks.
        member.go(page, lang, "rewards")
        shots = Gallery(browser, page, SHOTS, lang, viewports=("phone",))
        shots.use("phone", "light")
        because = t(lang, "recommend.because_category", category=DRINKS[lang])
        page.get_by_text(because).first.wait_for(timeout=member.TIMEOUT_MS)
        page.mouse.move(200, 500)
        for _ in range(8):  # to the end of the page: the row is below the catalogue
            page.mouse.wheel(0, 1500)
        shots.capture("rewards", "recommended", [text(t(lang, "recommend.title")), text(because)])

        # Offline: the server stops, the app restarts; the inbox draws from the store. The
        # phone's old page goes first: left open, it logged an uncaught error each time its
        # reconnect was refused while the app was down, and it came back as a second session.
        browser.close_page(page)
        demo_server.stop()
        app.stop()
        app.start()
        page = _open(browser, app, lang, "card.number")
        shots = Gallery(browser, page, SHOTS, lang, viewports=("phone",))
        member.go(page, lang, "inbox")
        _fonts_settled(browser, page, shots)  # the inbox's glyphs, new to this page
        shots.capture(
            "inbox",
            "offline",
            [text(expiring), text(t(lang, "sync.offline", when="\x00").split("\x00")[0].strip())],
        )
        assert page.get_by_text(stamps).count() == 0  # dismissed stays dismissed
    finally:
        app.stop()


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_inbox_and_the_feedback_question_on_a_desktop_in_chinese(
    browser, demo_server, tmp_path, lang
):
    """The first run's inbox and feedback question in a desktop window, in a page opened at
    that size (Flutter's web renderer crashed resizing a Chinese page from phone to desktop;
    English is taken by resizing in the test above)."""
    data = member.app_data(tmp_path, "desktop", lang)
    app = AppProcess(data, "--backend", demo_server.base_url, log_path=tmp_path / "app.log")
    app.start()
    try:
        page = _open(browser, app, lang, "signin.title", viewport="desktop")
        shots = Gallery(browser, page, SHOTS, lang, viewports=("desktop",), opened_at="desktop")
        member.sign_in_demo(page, lang)
        member.go(page, lang, "inbox")
        _fonts_settled(browser, page, shots)
        question = t(lang, "feedback.question", shop=SHOP[lang])
        # The question above the messages: both in one picture.
        shots.capture(
            "inbox",
            "feedback",
            [
                text(question),
                button("10", exact=True),
                text(t(lang, "inbox.birthday_voucher.title")),
                text(t(lang, "inbox.points_expiring.title")),
            ],
        )
    finally:
        app.stop()
