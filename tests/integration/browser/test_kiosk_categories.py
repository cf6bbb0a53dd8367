"""What was bought, tapped at the till in real Chromium: two category chips, then the amount
typed with no click in between, booked with both (the food offer pays, the Explorer badge
counts two categories), named on the result, and forgotten for the next customer. The
amount step with chips chosen is pictured in three languages for the README."""

from __future__ import annotations

import httpx
import pytest

from loyalty_app.i18n import t
from tests.support.browser import evaluate, wait_cjk_glyphs
from tests.support.kiosk_browser import (
    checkout_till,
    demo_headers,
    purchases,
    scanner_types,
    see,
    shoot,
    unlock_staff,
)
from tests.support.programmes import category_programme

pytestmark = pytest.mark.browser

NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
# The programme's categories by their names in the programme file; the two tapped.
CATEGORIES = {
    "en": ("Drinks", "Food", "Merchandise", "Experiences"),
    "zh-Hans": ("饮品", "轻食", "周边商品", "咖啡体验"),
    "zh-Hant": ("飲品", "輕食", "週邊商品", "咖啡體驗"),
}
# The README's pictures choose the other two, so each test finds the badge counting up by
# two whichever runs first.
PICTURED = {lang: (names[0], names[3]) for lang, names in CATEGORIES.items()}
EXPLORER = 3  # the categories the badge asks for (progress stops counting there)
# Flutter's web client marks a selected button with aria-current.
SELECTED = "(e) => e.getAttribute('aria-current') === 'true'"


@pytest.fixture(scope="module")
def server_options(tmp_path_factory) -> dict:
    return {"demo": True, "programme": category_programme(tmp_path_factory.mktemp("programme"))}


@pytest.fixture(scope="module")
def till(module_server, tmp_path_factory, browser):
    with checkout_till(module_server, tmp_path_factory.mktemp("kiosk-categories"), browser) as page:
        yield module_server, page


def mei(base_url: str) -> tuple[str, dict]:
    headers = demo_headers(base_url)
    me = httpx.get(f"{base_url}/v1/me", headers=headers, timeout=10).json()
    return me["member_number"], headers


def explorer_reached(base_url: str, headers: dict) -> int:
    reply = httpx.get(f"{base_url}/v1/me/badges", headers=headers, timeout=10)
    assert reply.status_code == 200, reply.text
    return {b["id"]: b for b in reply.json()["items"]}["explorer"]["reached"]


def chip(page, name: str):  # noqa: ANN001, ANN201
    return page.get_by_role("button", name=name, exact=True)


def chosen_chips(page, lang: str) -> list[str]:  # noqa: ANN001
    """The chips shown as chosen, by their names."""
    return [n for n in CATEGORIES[lang] if chip(page, n).evaluate(SELECTED)]


def test_two_chips_and_an_amount_are_booked_together_and_then_forgotten(till):
    server, page = till
    number, headers = mei(server.base_url)
    before = len(purchases(server.base_url))
    reached = explorer_reached(server.base_url, headers)

    scanner_types(page, number)
    see(page, "Mei L.")
    see(page, t("en", "kiosk.categories"))
    assert chosen_chips(page, "en") == []  # none chosen at first
    chip(page, "Food").click()
    chip(page, "Merchandise").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('flt-semantics[aria-current=\"true\"]')].length === 2"
    )
    # The chips take no keyboard focus (a focused chip would take Enter for itself)...
    assert evaluate(page, "() => document.activeElement?.tagName") != "FLT-SEMANTICS"
    # ...so the amount comes straight after the taps, with no click anywhere: every key
    # reaches it, and Enter books rather than pressing the last chip again.
    page.keyboard.type("6.40", delay=40)
    see(page, "6.40", exact=True)
    assert chosen_chips(page, "en") == ["Food", "Merchandise"]
    page.keyboard.press("Enter")
    see(page, "Mei L. · $6.40")
    see(page, "Bought: Food, Merchandise")
    see(page, "Offer Food bonus: +50 points")

    assert len(purchases(server.base_url)) == before + 1
    assert purchases(server.base_url)[0]["details"]["amount"] == "6.40"
    assert explorer_reached(server.base_url, headers) == min(reached + 2, EXPLORER)

    page.get_by_role("button", name="Next customer").click()
    see(page, "Scan the member's card")
    scanner_types(page, number)
    see(page, "Mei L.")
    assert chosen_chips(page, "en") == []  # the next purchase starts with none
    page.get_by_role("button", name="Cancel").click()
    see(page, "Scan the member's card")


def test_the_amount_step_with_chips_in_three_languages(till):
    """docs/screenshots/kiosk/checkout-categories-{lang}.png: two chips chosen, an amount
    typed; the Chinese chip labels drawn as glyphs. Booked in English, cancelled after."""
    server, page = till
    number, headers = mei(server.base_url)
    reached = explorer_reached(server.base_url, headers)
    current = "en"
    for lang in ("en", "zh-Hans", "zh-Hant"):
        if lang != current:
            unlock_staff(page, lang=current)
            page.get_by_role("button", name=NAMES[lang]).first.click()
            see(page, t(lang, "kiosk.staff_title"))
            page.get_by_role("button", name=t(lang, "kiosk.staff")).first.click()
            current = lang
        see(page, t(lang, "kiosk.scan_card"))
        scanner_types(page, number)
        see(page, t(lang, "kiosk.categories"))
        for name in PICTURED[lang]:
            chip(page, name).click()
        page.keyboard.type("6.40", delay=40)
        see(page, "6.40", exact=True)
        assert chosen_chips(page, lang) == list(PICTURED[lang])
        shoot(page, f"checkout-categories-{lang}")
        if lang != "en":
            for locator in (
                page.get_by_text(t(lang, "kiosk.categories"), exact=True).first,
                chip(page, PICTURED[lang][1]),
            ):
                report = wait_cjk_glyphs(page, locator)
                assert report.verdict, report.summary()
            page.get_by_role("button", name=t(lang, "kiosk.cancel")).click()
            continue
        page.keyboard.press("Enter")
        see(page, "Bought: Drinks, Experiences")
        assert explorer_reached(server.base_url, headers) == min(reached + 2, EXPLORER)
        page.get_by_role("button", name=t(lang, "kiosk.next")).click()
