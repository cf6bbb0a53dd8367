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


def settled_screenshot(page, path: Path, *, tries: int = 40) -> bytes:
    """A screenshot once the picture has stopped changing for three captures in a row: the
    web renderer paints off the main thread, so the accessibility tree (what the checks
    wait on) can be ahead of the pixels. (Only the pictures depend on this, not the checks.)"""
    last, same = page.screenshot(), 0
    for _ in range(tries):
        page.wait_for_timeout(150)
        now = page.screenshot()
        same = same + 1 if now == last else 0
        if same == 2:
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
    """A destination: a tab on a phone, a rail item on a desktop (exact: "我的" also begins
    "我的兑换券")."""
    rail_item = page.get_by_role("button", name=re.compile(rf"^{name}\s+Tab \d of \d$"))
    page.get_by_role("tab", name=name, exact=True).or_(rail_item).click()


ACCOUNT = {"en": "Account", "zh-Hans": "我的", "zh-Hant": "我的"}
SETTINGS = {"en": "Settings", "zh-Hans": "设置", "zh-Hant": "設定"}


SIGN_OUT = {"zh-Hans": "退出登录", "zh-Hant": "登出"}
SIGN_OUT_QUESTION = {"zh-Hans": "退出港湾咖啡的登录？", "zh-Hant": "登出港灣咖啡？"}
CANCEL = {"zh-Hans": "取消", "zh-Hant": "取消"}


def choose_language(page, lang: str, now: str = "en") -> None:
    """Through Account → Settings, named in the language the app shows `now`."""
    tab(page, ACCOUNT[now])
    page.get_by_role("button", name=SETTINGS[now]).click()
    page.get_by_role("button", name=LANGUAGES[lang]).first.click()
    page.get_by_role("tab", name=ACCOUNT[lang]).wait_for(timeout=10_000)


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
        tab(page, ACCOUNT[lang])
        page.get_by_role("button", name=SETTINGS[lang]).wait_for(timeout=10_000)
        settled_screenshot(page, shots(app) / f"account-390-{lang}.png")
        page.get_by_role("button", name=SETTINGS[lang]).click()
        page.get_by_role("button", name=SIGN_OUT[lang]).first.click()
        page.get_by_text(SIGN_OUT_QUESTION[lang]).wait_for(timeout=10_000)
        settled_screenshot(page, shots(app) / f"sign-out-confirm-390-{lang}.png")
        page.get_by_role("button", name=CANCEL[lang]).click()
        page.get_by_text(SIGN_OUT_QUESTION[lang]).wait_for(state="detached", timeout=10_000)
    finally:
        choose_language(page, "en", now=lang)


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


NAV = ["Card", "Points", "Rewards", "Invite", "Account"]
RAIL_ITEM = re.compile(r"Tab \d of 5")
# Records the page's Screen Wake Lock requests and releases (the Flutter plugin calls them).
WAKE_LOCK_PROBE = """
window.__wakeLocks = [];
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = async (type) => {
    const lock = await request(type);
    window.__wakeLocks.push(type);
    lock.addEventListener('release', () => window.__wakeLocks.push('released'));
    return lock;
  };
}
"""


def test_a_phone_has_five_destinations_that_fit(browser, app):
    page = signed_in(browser, app)
    tabs = page.get_by_role("tab")
    assert [tabs.nth(i).get_attribute("aria-label") or "" for i in range(tabs.count())] == NAV
    for i in range(tabs.count()):
        box = tabs.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], (NAV[i], box)
    # Tier and Settings are under Account.
    tab(page, "Account")
    page.get_by_role("button", name=re.compile("^Tier")).click()
    page.get_by_text("Your tier", exact=False).first.wait_for(timeout=10_000)
    assert page.get_by_role("tab", name="Account", selected=True).count() == 1
    tab(page, "Account")
    page.get_by_role("button", name="Settings").click()
    page.get_by_text("Language", exact=True).wait_for(timeout=10_000)
    page.mouse.move(5, 300)
    settled_screenshot(page, shots(app) / "settings-390-en.png")


def test_a_desktop_has_the_same_destinations_in_a_rail_and_a_bounded_column(browser, app):
    page = signed_in(browser, app, DESKTOP)
    rail = page.get_by_role("button", name=RAIL_ITEM)
    rail.first.wait_for(timeout=10_000)
    assert rail.count() == len(NAV)
    for i, name in enumerate(NAV, start=1):
        item = page.get_by_role("button", name=re.compile(rf"^{name}\s+Tab {i} of 5$"))
        assert item.count() == 1, name
    assert page.get_by_role("tab").count() == 0
    page.get_by_role("img", name="Harbor Coffee").first.wait_for(timeout=10_000)
    # The sync note and its refresh button stay close together, not 1,100 px apart.
    note = page.get_by_text("Up to date").first.bounding_box()
    refresh = page.get_by_role("button", name="Refresh").first.bounding_box()
    assert refresh["x"] + refresh["width"] - note["x"] <= 840, (note, refresh)
    settled_screenshot(page, shots(app) / "card-1280-en.png")
    # The redeem dialog dims the whole window, the rail too.
    tab(page, "Rewards")
    page.get_by_role("img", name="Oat milk upgrade").first.click()
    page.get_by_role("button", name="Redeem", exact=True).click()
    page.get_by_role("button", name="Redeem now").wait_for(timeout=10_000)
    dimmed = settled_screenshot(page, shots(app) / "redeem-dialog-1280-en.png")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Redeem now").wait_for(state="detached", timeout=10_000)
    clear = settled_screenshot(page, shots(app) / "reward-detail-1280-en.png")
    below_the_rail_items = (20, DESKTOP[1] - 100)
    assert _brightness(dimmed, below_the_rail_items) < 0.7 * _brightness(
        clear, below_the_rail_items
    )


def _brightness(png: bytes, at: tuple[int, int]) -> float:
    from io import BytesIO

    from PIL import Image

    return sum(Image.open(BytesIO(png)).convert("RGB").getpixel(at)) / 3


def test_settings_name_the_shop_and_sign_out_asks_first(browser, app, module_server):
    page = signed_in(browser, app)
    tab(page, "Account")
    page.get_by_role("button", name="Settings").click()
    page.get_by_text("Language", exact=True).wait_for(timeout=10_000)
    page.get_by_text("Harbor Coffee", exact=True).first.wait_for(timeout=10_000)
    # The server's address only in the small print under About.
    assert page.get_by_text(module_server.base_url, exact=True).count() == 0
    assert page.get_by_text(f"Loyalty server · {module_server.base_url}").count() == 1
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_text("Sign out of Harbor Coffee?").wait_for(timeout=10_000)
    settled_screenshot(page, shots(app) / "sign-out-confirm-390-en.png")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text("Sign out of Harbor Coffee?").wait_for(state="detached", timeout=10_000)
    # Still signed in, back on Settings (its texts return once the dialog's layer has gone).
    page.get_by_text("Language", exact=True).wait_for(timeout=10_000)
    assert page.get_by_role("button", name="Try the demo").count() == 0


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_full_screen_card_shows_only_the_card_and_keeps_the_screen_awake(browser, app, size):
    page = signed_in(browser, app, size)
    page.add_init_script(WAKE_LOCK_PROBE)
    page.reload()
    wait_first_frame(page)
    enable_semantics(page)
    page.get_by_role("img", name=QR).wait_for(timeout=20_000)
    page.get_by_role("button", name="Show full screen").click()
    page.get_by_role("button", name="Close full screen").wait_for(timeout=10_000)
    page.get_by_role("img", name=QR).wait_for(timeout=10_000)
    # The close button can come a frame before the rest has left the accessibility tree (a
    # full run counted the rail's five items at that moment): each must go, within 10 s.
    for gone in (
        page.get_by_role("tab"),
        page.get_by_role("button", name=RAIL_ITEM),
        page.get_by_text("Up to date"),
        page.get_by_role("img", name="Harbor Coffee"),
    ):
        gone.first.wait_for(state="detached", timeout=10_000)
    page.wait_for_function("window.__wakeLocks.includes('screen')", timeout=10_000)
    settled_screenshot(page, shots(app) / f"card-full-screen-{size[0]}.png")
    page.get_by_role("button", name="Close full screen").click()
    page.get_by_role("button", name="Show full screen").wait_for(timeout=10_000)
    page.wait_for_function("window.__wakeLocks.includes('released')", timeout=10_000)
    destinations = (
        page.get_by_role("tab") if size == PHONE else page.get_by_role("button", name=RAIL_ITEM)
    )
    destinations.nth(4).wait_for(timeout=10_000)
    assert destinations.count() == 5


def test_the_first_frame_is_the_brand_not_blank_white(browser, start_app, module_server):
    """While the web client loads, the page shows the shop's badge (held on screen here by
    not letting the client start). On a device without a card: with one, the loading screen
    shows the card's code instead (test_splash_card.py)."""
    from io import BytesIO

    from PIL import Image

    app = start_app("--backend", module_server.base_url)
    page = browser.open("about:blank", width=PHONE[0], height=PHONE[1])
    page.route("**/flutter_bootstrap.js", lambda route: route.abort())
    page.goto(app.url)
    page.wait_for_function(
        "() => { const i = document.querySelector('#loading img'); "
        "return i && i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    png = settled_screenshot(page, shots(app) / "first-frame-390.png")
    image = Image.open(BytesIO(png)).convert("RGB")
    centre = image.crop(
        (PHONE[0] // 2 - 60, PHONE[1] // 2 - 60, PHONE[0] // 2 + 60, PHONE[1] // 2 + 60)
    )
    harbour = sum(
        1
        for r, g, b in centre.get_flattened_data()
        if abs(r - 0x0B) + abs(g - 0x4F) + abs(b - 0x6C) < 40
    )
    assert harbour > 0.3 * 120 * 120, f"only {harbour} harbour-blue pixels in the middle"
