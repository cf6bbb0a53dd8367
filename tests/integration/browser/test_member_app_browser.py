"""The member app end to end in real Chromium against the real server: demo sign-in, the
card QR accepted at the till, balance, redeem, three languages, offline, 200 % text, dark mode.
The pictures of every screen are test_member_gallery.py's."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from loyalty_app.i18n import LANGUAGES, t
from loyalty_app.i18n.en import MESSAGES as EN_MESSAGES
from tests.support import member_browser
from tests.support.browser import (
    enable_semantics,
    evaluate,
    glyph_report,
    screenshot,
    wait_cjk_glyphs,
    wait_first_frame,
    wait_qr,
)
from tests.support.gallery import settled_screenshot
from tests.support.kiosk_browser import SETTLED
from tests.support.member_browser import (
    request_code,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres_too]


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def app(module_server, tmp_path_factory):
    """One member app process for the module: its store is the member's phone."""
    from tests.support.browser import AppProcess

    tmp = tmp_path_factory.mktemp("member-app")
    process = AppProcess(
        tmp / "data", "--backend", module_server.base_url, log_path=tmp / "app.log"
    )
    process.start()
    yield process
    process.stop()


def member_headers(backend) -> dict[str, str]:
    session = httpx.post(f"{backend.base_url}/v1/auth/demo", json={}, timeout=10).json()
    return {"Authorization": f"Bearer {session['access_token']}"}


def server_balance(backend) -> int:
    return httpx.get(
        f"{backend.base_url}/v1/me", headers=member_headers(backend), timeout=10
    ).json()["balance"]


def open_app(browser, app, width: int = 420):
    page = browser.open(app.url, width=width)
    wait_first_frame(page)
    enable_semantics(page)
    return page


def signed_in_page(browser, app):
    page = open_app(browser, app)
    demo = page.get_by_role("button", name="Try the demo")
    card = page.get_by_role("img", name="Member QR code for the cashier to scan")
    demo.or_(card).first.wait_for(timeout=20_000)
    if demo.count():
        demo.click()
    card.wait_for(timeout=20_000)
    return page


# A destination's name as shown (any language) -> the language and the destination, for
# the shared helper: "Points", "積分", "Tier" (an entry of the Account page) ...
SHOWN = {
    t(lang, key): (lang, destination)
    for lang in ("en", "zh-Hans", "zh-Hant")
    for destination, key in (member_browser.DESTINATIONS | member_browser.UNDER_ACCOUNT).items()
}


def go(page, name: str) -> None:
    """Open a destination by the name shown (``member_browser.go``: each tap once the page
    has stopped moving), then wait until the new page has stopped moving too."""
    lang, destination = SHOWN[name]
    member_browser.go(page, lang, destination)
    settled_screenshot(page)


def test_demo_sign_in_shows_a_card_whose_qr_the_till_accepts_once(browser, app, till):
    page = signed_in_page(browser, app)
    codes = wait_qr(page, timeout=15_000)
    assert len(codes) == 1 and codes[0].startswith("HBR:"), codes
    first = till.scan(codes[0])
    assert first.status_code == 200, first.text
    assert first.json()["display_name"] == "Mei L."
    again = till.scan(codes[0])
    assert again.status_code == 409
    assert page.get_by_text("Member number").count() == 1
    # The number itself is read out too (a selectable text was hidden from screen readers).
    number = page.get_by_text(re.compile(r"^\d{4} \d{4} \d{4}$"))
    number.wait_for(timeout=10_000)
    assert number.count() == 1


def test_points_screen_shows_the_servers_balance(browser, app, module_server):
    page = signed_in_page(browser, app)
    go(page, "Points")
    balance = f"{server_balance(module_server):,}"
    page.get_by_text(balance, exact=True).first.wait_for(timeout=10_000)
    assert page.get_by_text("History").count() == 1


def test_redeem_a_reward_shows_the_voucher_and_spends_once(browser, app, module_server):
    page = signed_in_page(browser, app)
    before = server_balance(module_server)
    go(page, "Rewards")
    page.get_by_role("img", name="Oat milk upgrade").first.click()
    page.get_by_text("Terms", exact=True).wait_for(timeout=10_000)
    page.get_by_role("button", name="Redeem", exact=True).click()
    page.get_by_role("button", name="Redeem now").click()
    try:
        page.get_by_text(re.compile(r"^Redeemed\. Your voucher \S+ is ready\.$")).wait_for(
            timeout=15_000
        )
    finally:
        screenshot(page, Path(app.log_path).with_name("redeem.png"))
    # The voucher list may come a frame after the notice: wait for it rather than count.
    page.get_by_text("My vouchers").first.wait_for(timeout=10_000)
    assert server_balance(module_server) == before - 200
    time.sleep(1.5)
    assert server_balance(module_server) == before - 200
    vouchers = httpx.get(
        f"{module_server.base_url}/v1/vouchers", headers=member_headers(module_server), timeout=10
    ).json()["items"]
    assert sum(v["reward_id"] == "oat-milk" and v["status"] == "usable" for v in vouchers) == 1


def test_the_card_poll_stops_when_the_card_is_left(browser, app):
    """The card polls GET /v1/me while it shows; each visit starts one and leaving stops it
    (a poll left running per visit would pile up and hold the session's sync lock)."""
    page = signed_in_page(browser, app)
    seen = len(app.log_text().splitlines())
    for _ in range(3):
        go(page, "Points")
        page.get_by_text("History", exact=True).wait_for(timeout=10_000)
        go(page, "Card")
        page.get_by_role("img", name="Member QR code for the cashier to scan").wait_for(
            timeout=10_000
        )
    lines = app.log_text().splitlines()[seen:]
    running = [int(m[1]) for m in map(CARD_WATCH.search, lines) if m]
    assert len(running) >= 6, lines[-20:]  # three visits: started, stopped, ...
    # One page's count (earlier pages of the module have their own): never more than one.
    assert max(running) == 1, running


CARD_WATCH = re.compile(r"card watch (?:started|stopped) \((\d+) running\)")


def _painted(page) -> None:
    """Waits until the browser has drawn two more frames (what the semantics say is on screen
    may not be painted yet when the screenshot is taken)."""
    evaluate(page, SETTLED)


def _en_day(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def _zh_day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _server_history(backend) -> tuple[list[dict], dict]:
    headers = member_headers(backend)
    ledger = httpx.get(
        f"{backend.base_url}/v1/ledger", params={"limit": 20}, headers=headers, timeout=10
    ).json()["items"]
    me = httpx.get(f"{backend.base_url}/v1/me", headers=headers, timeout=10).json()
    return ledger, me


def _history_rows(page) -> list[str]:
    """The history lines on the Points screen, top to bottom, as a screen reader reads them
    (read in one go: the tree is rebuilt while the list grows)."""
    nodes = evaluate(
        page,
        "() => Array.from(document.querySelectorAll('flt-semantics'))"
        ".map(n => [n.getBoundingClientRect().y, n.innerText.trim()])",
    )
    rows = {
        (y, text)
        for y, text in nodes
        if "\n" not in text and re.search(r"^[^+-]+ [+-]\d[\d,]*$", text)
    }
    return [text for _, text in sorted(rows)]


def _expiry_day(entry: dict) -> date:
    return date.fromisoformat(entry["details"]["expired_on"])


def _earned_day(entry: dict) -> date:
    return date.fromisoformat(entry["details"]["earned_on"][0])


def _expiring_words(me: dict, words: dict[str, str]) -> str:
    """What the line about points expiring soon must say: the first day's points, "today" /
    "tomorrow" when it is, and all that expire within 30 days when that is more."""
    soon = me["expiring"][0]
    day = date.fromisoformat(soon["on"])
    today = datetime.now(UTC).date()
    near = {today: "today", today + timedelta(days=1): "tomorrow"}.get(day)
    said = words[near or "date"].format(
        points=f"{soon['points']:,}", en=_en_day(day), zh=_zh_day(day)
    )
    horizon = today + timedelta(days=30)
    total = sum(e["points"] for e in me["expiring"] if date.fromisoformat(e["on"]) <= horizon)
    if total > soon["points"]:
        said += " · " + words["window"].format(points=f"{total:,}")
    return said


def test_history_reads_newest_first_with_the_store_and_the_day_points_expired(
    browser, app, module_server
):
    page = signed_in_page(browser, app)
    page.get_by_text("Up to date").first.wait_for(timeout=20_000)  # the first sync is over
    go(page, "Points")
    ledger, me = _server_history(module_server)
    newest = ledger[0]
    page.get_by_text(
        _en_day(datetime.fromisoformat(newest["at"]).astimezone().date())
    ).first.wait_for(timeout=10_000)
    rows = _history_rows(page)
    assert len(rows) >= 8, rows
    # Each line's first date, top to bottom: newest first, never an older one above a newer.
    shown = [
        datetime.strptime(re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", row).group(), "%b %d, %Y")
        for row in rows
    ]
    assert shown == sorted(shown, reverse=True), rows
    # The two expiries the demo settled on the same day say which day each lot expired and
    # when it was earned (a year before), and sit where those days are.
    expiries = [e for e in ledger if e["reason"] == "points_expired"]
    assert len(expiries) == 2
    for entry in expiries:
        line = (
            f"Points expired {_en_day(_expiry_day(entry))} · earned "
            f"{_en_day(_earned_day(entry))} -{-entry['amount']}"
        )
        assert line in rows, rows
    # The top line is the server's newest booking: a purchase or a redeem made by the tests
    # before this one, or the demo member's birthday bonus when it is booked today.
    assert rows[0].startswith(EN_MESSAGES[f"reason.{newest['reason']}"].split("{")[0]), rows
    purchases = [row for row in rows if row.startswith("Purchase ")]
    assert purchases and all(" · Harbor Coffee Pier 7 · expires " in row for row in purchases)
    expiring = _expiring_words(
        me,
        {
            "today": "{points} points expire today",
            "tomorrow": "{points} points expire tomorrow",
            "date": "{points} points expire on {en}",
            "window": "{points} in the next 30 days",
        },
    )
    page.get_by_text(expiring, exact=True).wait_for(timeout=5_000)
    page.mouse.move(5, 300)
    _painted(page)
    screenshot(page, Path(app.log_path).with_name("history-en.png"))

    go(page, "Settings")
    try:
        _choose_language(page, "繁體中文")
        _history_in_traditional_chinese(page, app, me, expiries[0])
    finally:
        _back_to_english(browser, app, page, "繁體中文")


def _history_in_traditional_chinese(page, app, me: dict, entry: dict) -> None:
    go(page, "積分")
    line = f"{_zh_day(_expiry_day(entry))} · {_zh_day(_earned_day(entry))} 獲得"
    page.get_by_text(line).first.wait_for(timeout=10_000)
    expiring = _expiring_words(
        me,
        {
            "today": "{points} 積分將於今天到期",
            "tomorrow": "{points} 積分將於明天到期",
            "date": "{points} 積分將於 {zh} 到期",
            "window": "未來 30 天內共 {points} 積分",
        },
    )
    label = page.get_by_text(expiring, exact=True)
    label.wait_for(timeout=5_000)
    page.mouse.move(5, 300)
    report = wait_cjk_glyphs(page, label)
    _painted(page)
    screenshot(page, Path(app.log_path).with_name("history-zh-Hant.png"))
    assert report.verdict, report.summary()


def _screen_text(page) -> str:
    return evaluate(
        page,
        "() => Array.from(document.querySelectorAll('flt-semantics'))"
        ".map(n => n.innerText).join('\\n')",
    )


def test_tier_and_invite_say_when_points_come_and_only_real_multipliers(browser, app):
    page = signed_in_page(browser, app)
    page.get_by_text("Up to date").first.wait_for(timeout=20_000)  # the first sync is over
    go(page, "Tier")
    page.get_by_text("from 3,000 points · ×1.25 points on every purchase").wait_for(timeout=10_000)
    page.mouse.move(5, 300)
    _painted(page)
    screenshot(page, Path(app.log_path).with_name("tier-words.png"))
    shown = _screen_text(page)
    # The base tier (×1.0) says its threshold and nothing about a multiplier.
    assert "Harbor Green Your tier from 0 points Earn 10 points" in shown, shown
    assert "×1.0" not in shown and "×1 " not in shown
    assert "500 points when a friend you invite makes their first purchase" in shown
    assert "joins" not in shown
    go(page, "Invite")
    page.get_by_text(
        "When a friend you invite makes their first purchase, they get 250 points and you get "
        "500 points."
    ).wait_for(timeout=10_000)


def test_a_mistyped_e_mail_address_is_called_an_e_mail_address(browser, start_app, module_server):
    fresh = start_app("--backend", module_server.base_url)
    page = open_app(browser, fresh)
    field = page.get_by_role("textbox", name="E-mail address")
    field.wait_for(timeout=20_000)
    type_into(page, "E-mail address", "not-an-email")
    page.get_by_role("button", name="Send code").click()
    page.get_by_text("That e-mail address does not look right.").wait_for(timeout=10_000)
    page.mouse.move(5, 600)
    _painted(page)
    screenshot(page, Path(fresh.log_path).with_name("sign-in-not-an-email.png"))
    assert "phone" not in _screen_text(page)
    # The refused address stays in the field, to be corrected rather than typed again.
    field.click()
    page.wait_for_function("() => document.activeElement?.value === 'not-an-email'", timeout=10_000)
    page.keyboard.press("End")
    page.keyboard.type("@harbor.demo", delay=8)
    page.wait_for_function(
        "() => document.activeElement?.value === 'not-an-email@harbor.demo'", timeout=10_000
    )
    page.keyboard.press("Enter")
    page.get_by_text("A code is on its way to not-an-email@harbor.demo.").wait_for(timeout=10_000)


def test_a_wrong_code_stays_in_its_field_with_the_reason(browser, start_app, module_server):
    """A refused code is kept (one wrong digit is corrected, not the six typed again), with
    the reason under it; the name typed with it stays too."""
    fresh = start_app("--backend", module_server.base_url)
    page = open_app(browser, fresh)
    page.get_by_role("textbox", name="E-mail address").wait_for(timeout=20_000)
    # Each field is typed into once it has the focus and checked to hold what was typed: a
    # loaded machine lost the first keys of an address typed while its field took the focus.
    request_code(page, "en", "wrong.code@harbor.demo")
    code = page.get_by_role("textbox", name="6-digit code")
    type_into(page, "6-digit code", "000000")
    name = page.get_by_role("textbox", name="Your name (new members)")
    type_into(page, "Your name (new members)", "Ana")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("That code is wrong or has expired. Check it, or ask for a new one.").wait_for(
        timeout=10_000
    )
    _painted(page)
    assert code.input_value() == "000000"
    assert name.input_value() == "Ana"


def test_pages_under_account_go_back_to_account(browser, app):
    """Tier, My vouchers and Settings opened from Account: Account is the destination shown
    and Back goes there; My vouchers opened from Rewards goes back to Rewards."""
    page = signed_in_page(browser, app)
    for entry, title in (
        ("Tier", "Tier"),
        ("My vouchers", "My vouchers"),
        ("Settings", "Settings"),
    ):
        go(page, "Account")
        page.get_by_role("button", name=re.compile(rf"^{entry}(\s|$)")).first.click()
        page.get_by_text(title, exact=True).first.wait_for(timeout=10_000)
        assert page.get_by_role("tab", name="Account", selected=True).count() == 1, entry
        if entry == "Settings":  # About's small print reaches screen readers (not selectable)
            about = page.get_by_text(re.compile(r"^Loyalty server · http://127\.0\.0\.1:\d+$"))
            about.wait_for(timeout=10_000)
        page.get_by_role("button", name="Back", exact=True).click()
        page.get_by_role("button", name=re.compile(r"^Settings(\s|$)")).wait_for(timeout=10_000)
        assert page.get_by_role("tab", name="Account", selected=True).count() == 1, entry
    go(page, "Rewards")
    page.get_by_role("button", name="My vouchers").click()
    page.get_by_text("My vouchers", exact=True).first.wait_for(timeout=10_000)
    assert page.get_by_role("tab", name="Rewards", selected=True).count() == 1
    page.get_by_role("button", name="Back", exact=True).click()
    page.get_by_role("textbox", name="Search rewards").wait_for(timeout=10_000)


@pytest.mark.parametrize(
    "language,tab,title", [("简体中文", "设置", "语言"), ("繁體中文", "設定", "語言")]
)
def test_chinese_renders_as_glyphs_not_boxes(browser, app, language, tab, title):
    page = signed_in_page(browser, app)
    go(page, "Settings")
    try:
        _choose_language(page, language)
        heading = page.get_by_text(title, exact=True).first
        heading.wait_for(timeout=10_000)
        tab_name = page.get_by_role("tab", name=tab).first
        report = wait_cjk_glyphs(page, tab_name.or_(page.get_by_text(tab, exact=True).first).first)
        assert report.verdict, report.summary()
    finally:
        _back_to_english(browser, app, page, language)


# The Account tab's name in each language: it changes with the next frame after a switch.
ACCOUNT_TAB = {"English": "Account", "简体中文": "我的", "繁體中文": "我的"}


LANGUAGE_CODES = {name: code for code, name in LANGUAGES.items()}


def _back_to_english(browser, app, page, language: str) -> None:
    """Puts the module's app back in English after a test in ``language``: on the test's
    page, or, if that page no longer answers (a renderer that crashed in Chinese), on a fresh
    one. The app keeps its language for every later page: left in Chinese, each later test
    of the module failed waiting for English names, one crash costing eight tests."""
    lang = LANGUAGE_CODES[language]
    try:
        go(page, t(lang, "nav.settings"))
        _choose_language(page, "English")
        return
    except Exception:  # noqa: BLE001 - the fresh page below is the way back
        pass
    fresh = open_app(browser, app)
    card = fresh.get_by_role("img", name=t(lang, "card.qr_label"))
    english = fresh.get_by_role("img", name=t("en", "card.qr_label"))
    card.or_(english).first.wait_for(timeout=20_000)
    if card.count():
        member_browser.go(fresh, lang, "settings")
        _choose_language(fresh, "English")
    browser.close_page(fresh)


def _choose_language(page, language: str) -> None:
    page.get_by_role("button", name=language).first.click()
    page.get_by_role("tab", name=ACCOUNT_TAB[language], exact=True).wait_for(timeout=20_000)
    settled_screenshot(page)


def test_with_the_server_stopped_a_reload_still_shows_the_card_and_says_offline(
    browser,
    app,
    module_server,
):
    signed_in_page(browser, app).close()
    module_server.stop()
    try:
        page = open_app(browser, app)
        page.get_by_role("img", name="Member QR code for the cashier to scan").wait_for(
            timeout=20_000
        )
        codes = wait_qr(page, timeout=15_000)
        assert codes and codes[0].startswith("HBR:")
        page.get_by_text("Offline", exact=False).first.wait_for(timeout=20_000)
    finally:
        module_server.start()


def test_screens_hold_at_200_percent_text(browser, app):
    """Flutter web scales text with the page's root font size: 32 px is 200 %."""
    page = browser.open(app.url, width=420)
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => "
        "{ document.documentElement.style.fontSize = '32px'; });"
    )
    page.goto(app.url)
    wait_first_frame(page)
    enable_semantics(page)
    demo = page.get_by_role("button", name="Try the demo")
    card = page.get_by_role("img", name="Member QR code for the cashier to scan")
    demo.or_(card).first.wait_for(timeout=20_000)
    if demo.count():
        demo.click()
    codes = wait_qr(page, timeout=15_000)
    assert codes and codes[0].startswith("HBR:"), "the card QR must stay whole at 200 %"
    for tab, text in (
        ("Points", "Balance"),
        ("Tier", "Your tier"),
        ("Rewards", "Oat milk upgrade"),
        ("Invite", "Your code"),
        ("Settings", "Language"),
    ):
        go(page, tab)
        try:
            # (A reward tile reads as one group; its picture is named alone.)
            page.get_by_text(text).or_(page.get_by_role("img", name=text)).first.wait_for(
                timeout=10_000
            )
        except Exception as exc:
            shown = page.locator("flt-semantics").all_inner_texts()[:6]
            raise AssertionError(f"{tab}: {text!r} not shown at 200 %: {shown}") from exc
        screenshot(page, Path(app.log_path).with_name(f"200-{tab}.png"))
    assert "Error" not in " ".join(page.locator("flt-semantics").all_inner_texts()[:3])


def test_language_names_render_in_english_too(browser, app):
    """English loads no CJK subset, yet the picker must show 简体中文 and 繁體中文."""
    page = signed_in_page(browser, app)
    go(page, "Settings")
    page.mouse.move(5, 300)
    buttons = [page.get_by_role("button", name=name).first for name in ("简体中文", "繁體中文")]
    for button in buttons:
        button.wait_for(timeout=10_000)

    def reports() -> list:
        shot = page.screenshot()
        found = []
        for button in buttons:
            box = button.bounding_box()
            # Inside the segment's outline: the border lines are not text.
            inner = (box["x"] + 8, box["y"] + 5, box["width"] - 16, box["height"] - 10)
            found.append(glyph_report(shot, inner))
        return found

    # The names' tiny font arrives after the screen: look until both are drawn as glyphs (or
    # 15 s pass), instead of a fixed pause that a loaded machine outlasts.
    deadline = time.monotonic() + 15
    found = reports()
    while not all(r.verdict for r in found) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        found = reports()
    screenshot(page, Path(app.log_path).with_name("language-names.png"))
    for name, report in zip(("简体中文", "繁體中文"), found, strict=True):
        assert report.verdict, f"{name}: {report.summary()}"


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _is_dark_page(page) -> bool:  # noqa: ANN001
    from io import BytesIO

    from PIL import Image

    pixel = Image.open(BytesIO(page.screenshot())).convert("RGB").getpixel((0, 0))
    return _luminance(pixel) < 0.05


def test_dark_mode_keeps_text_contrast(browser, app):
    from io import BytesIO

    from PIL import Image

    page = signed_in_page(browser, app)
    go(page, "Settings")
    page.get_by_role("button", name="Dark").first.click()
    # Until the page is drawn dark (its top-left pixel), not a fixed pause.
    deadline = time.monotonic() + 15
    while not _is_dark_page(page) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    go(page, "Points")
    label = page.get_by_text("History", exact=True).first
    label.wait_for(timeout=10_000)
    box = label.bounding_box()
    shot = Image.open(BytesIO(screenshot(page))).convert("RGB")
    region = shot.crop(
        (int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"]))
    )
    lums = sorted(_luminance(p) for p in region.get_flattened_data())
    background, ink = lums[len(lums) // 2], lums[-1]
    assert background < 0.05, "the page background must be dark in dark mode"
    ratio = (ink + 0.05) / (background + 0.05)
    go(page, "Settings")
    page.get_by_role("button", name="System").first.click()
    assert ratio >= 4.5, f"text contrast {ratio:.1f}:1 in dark mode (WCAG AA needs 4.5:1)"
