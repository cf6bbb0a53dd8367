"""The brand as a member sees it, in real Chromium against the real demo server: the shop's
logo on sign-in and on the card, a picture on every reward tile (two columns on a phone),
locks on what the member cannot afford yet, and the pictures still there offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.browser import enable_semantics, screenshot, wait_first_frame

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1280, 800)
QR = "Member QR code for the cashier to scan"
# The demo catalogue sorted by cost: the first tiles of the grid.
FIRST_REWARDS = ["Oat milk upgrade", "Extra espresso shot", "Any pastry", "Brewed coffee, any size"]
LANGUAGES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
SHOP = {"en": "Harbor Coffee", "zh-Hans": "港湾咖啡", "zh-Hant": "港灣咖啡"}
REWARDS_TAB = {"en": "Rewards", "zh-Hans": "兑换", "zh-Hant": "兌換"}
OAT_MILK = {"en": "Oat milk upgrade", "zh-Hans": "升级燕麦奶", "zh-Hant": "升級燕麥奶"}


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


@pytest.fixture(scope="module")
def app(module_server, tmp_path_factory):
    from tests.support.browser import AppProcess

    tmp = tmp_path_factory.mktemp("brand-app")
    process = AppProcess(
        tmp / "data", "--backend", module_server.base_url, log_path=tmp / "app.log"
    )
    process.start()
    yield process
    process.stop()


def shots(app) -> Path:
    return Path(app.log_path).parent


def settled_screenshot(page, path: Path, *, tries: int = 30) -> bytes:
    """A screenshot once the picture stops changing: the web renderer paints off the main
    thread, so the accessibility tree (what the checks wait on) can be ahead of the pixels."""
    last = page.screenshot()
    for _ in range(tries):
        page.wait_for_timeout(100)
        now = page.screenshot()
        if now == last:
            break
        last = now
    return screenshot(page, path)


def open_app(browser, app, size=PHONE):
    page = browser.open(app.url, width=size[0], height=size[1])
    wait_first_frame(page)
    enable_semantics(page)
    return page


def signed_in(browser, app, size=PHONE):
    page = open_app(browser, app, size)
    demo = page.get_by_role("button", name="Try the demo")
    card = page.get_by_role("img", name=QR)
    demo.or_(card).first.wait_for(timeout=20_000)
    if demo.count():
        demo.click()
    card.wait_for(timeout=20_000)
    return page


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).or_(page.get_by_role("button", name=name)).first.click()


def choose_language(page, lang: str) -> None:
    """Through Settings, in whichever language the app shows now."""
    for name in ("Settings", "设置", "設定"):
        target = page.get_by_role("tab", name=name).or_(page.get_by_role("button", name=name))
        if target.count():
            target.first.click()
            break
    page.get_by_role("button", name=LANGUAGES[lang]).first.click()
    page.get_by_role("button", name=LANGUAGES[lang]).first.wait_for(timeout=10_000)


def test_sign_in_shows_the_shops_logo(browser, start_app, module_server):
    fresh = start_app("--backend", module_server.base_url)
    for size in (PHONE, DESKTOP):
        page = open_app(browser, fresh, size)
        page.get_by_role("img", name="Harbor Coffee").wait_for(timeout=20_000)
        page.get_by_role("button", name="Try the demo").wait_for(timeout=10_000)
        settled_screenshot(page, Path(fresh.log_path).with_name(f"sign-in-{size[0]}.png"))
        browser.close_page(page)


def test_the_card_shows_the_logo_and_the_shops_name(browser, app):
    page = signed_in(browser, app)
    page.get_by_role("img", name="Harbor Coffee").wait_for(timeout=10_000)
    assert page.get_by_text("Harbor Coffee", exact=True).count() >= 1
    settled_screenshot(page, shots(app) / "card-390.png")


def _box(page, name: str) -> dict:
    image = page.get_by_role("img", name=name).first
    image.wait_for(timeout=15_000)
    return image.bounding_box()


def test_reward_tiles_are_two_columns_with_pictures_on_a_phone(browser, app):
    page = signed_in(browser, app)
    tab(page, "Rewards")
    page.get_by_role("group", name=re.compile("^Oat milk upgrade")).wait_for(timeout=10_000)
    first, second, third = (_box(page, name) for name in FIRST_REWARDS[:3])
    # Two tiles side by side, the third on the next row, all inside the 390 px screen.
    assert abs(first["y"] - second["y"]) < 2, (first, second)
    assert second["x"] > first["x"] + first["width"], (first, second)
    assert third["y"] > first["y"] + first["height"], (first, third)
    assert abs(third["x"] - first["x"]) < 2, (first, third)
    assert second["x"] + second["width"] <= PHONE[0]
    settled_screenshot(page, shots(app) / "rewards-390-en.png")
    # Further down, what the member cannot afford yet is locked and says what is missing.
    page.mouse.move(PHONE[0] / 2, PHONE[1] / 2)
    page.mouse.wheel(0, 1200)
    # (Each tile reads as one group: its name, cost and what it still needs.)
    locked = re.compile(r"House Blend beans, 250 g\s+3,000 pts\s+[\d,]+ more points needed")
    page.get_by_role("group", name=locked).wait_for(timeout=10_000)
    settled_screenshot(page, shots(app) / "rewards-390-en-locked.png")


def test_reward_tiles_are_four_columns_on_a_desktop(browser, app):
    page = signed_in(browser, app, DESKTOP)
    tab(page, "Rewards")
    boxes = [_box(page, name) for name in FIRST_REWARDS]
    assert len({round(b["y"]) for b in boxes}) == 1, boxes
    assert boxes == sorted(boxes, key=lambda b: b["x"])
    settled_screenshot(page, shots(app) / "rewards-1280-en.png")


def test_a_rewards_detail_page_shows_its_picture(browser, app):
    page = signed_in(browser, app)
    tab(page, "Rewards")
    page.get_by_role("img", name="Oat milk upgrade").first.click()
    page.get_by_text("Terms", exact=True).wait_for(timeout=10_000)
    page.get_by_role("img", name="Oat milk upgrade").wait_for(timeout=10_000)
    settled_screenshot(page, shots(app) / "reward-detail-390-en.png")


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_pictures_and_tiles_in_chinese(browser, app, lang):
    page = signed_in(browser, app)
    choose_language(page, lang)
    try:
        tab(page, REWARDS_TAB[lang])
        page.get_by_role("img", name=OAT_MILK[lang]).first.wait_for(timeout=15_000)
        settled_screenshot(page, shots(app) / f"rewards-390-{lang}.png")
    finally:
        choose_language(page, "en")


def test_pictures_stay_when_the_server_is_gone(browser, app, module_server):
    browser.close_page(signed_in(browser, app))
    module_server.stop()
    try:
        page = open_app(browser, app)
        page.get_by_role("img", name=QR).wait_for(timeout=20_000)
        page.get_by_role("img", name="Harbor Coffee").wait_for(timeout=10_000)
        tab(page, "Rewards")
        page.get_by_role("img", name="Oat milk upgrade").first.wait_for(timeout=10_000)
        settled_screenshot(page, shots(app) / "rewards-offline-390.png")
    finally:
        module_server.start()
