"""Every kiosk screen in English, Simplified and Traditional Chinese, in real Chromium: the
pictures in docs/screenshots/kiosk are these (README), taken as a cashier and a member use
the kiosk — refusals included, each keeping what was typed."""

from __future__ import annotations

import re
import time
import uuid

import httpx
import pytest

from loyalty_app.i18n import CATALOGUES, en, t, t_count
from tests.support import kiosk_browser
from tests.support.browser import AppProcess, wait_cjk_glyphs
from tests.support.kiosk_browser import (
    PIN,
    demo_headers,
    fill,
    open_kiosk_page,
    purchases,
    scanner_types,
    see,
    set_up_kiosk,
    shoot,
    unlock_staff,
)
from tests.support.servers import add_staff, revoke_staff

pytestmark = pytest.mark.browser
LANGS = ("en", "zh-Hans", "zh-Hant")
NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
# Who joins at the self-service kiosk, and what the kiosk then shows of the name: the surname
# and last character. None of these characters is in the catalogues' font subsets, and an
# English kiosk has no CJK font but the names font.
JOINERS = {
    "en": ("陳美玲", "陳*玲"),
    "zh-Hans": ("王晓明", "王*明"),
    "zh-Hant": ("林曉晴", "林*晴"),
}


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def kiosk(start_app, server, tmp_path, mode: str) -> AppProcess:  # noqa: ANN001
    """A kiosk process, stopped after the test whatever happens (start_app's doing)."""
    return start_app(
        "--backend", server.base_url, "--kiosk", mode, log_path=tmp_path / f"{mode}.log"
    )


def switch_language(page, mode: str | None, current: str, lang: str) -> None:  # noqa: ANN001
    """Staff unlock the panel, choose the language, and close the panel again (`mode`: the
    pictures' prefix; None: no pictures)."""
    unlock_staff(page, lang=current)
    if current == "en" and mode:
        shoot(page, f"{mode}-staff-en")
    page.get_by_role("button", name=NAMES[lang]).first.click()
    see(page, t(lang, "kiosk.staff_title"))
    if mode:
        shoot(page, f"{mode}-staff-{lang}")
    page.get_by_role("button", name=t(lang, "kiosk.staff")).first.click()


def glyphs(page, text: str) -> None:  # noqa: ANN001
    """Chinese drawn as glyphs, not boxes."""
    report = wait_cjk_glyphs(page, page.get_by_text(text, exact=True).first)
    assert report.verdict, report.summary()


def retype(page, label: str, value: str) -> None:  # noqa: ANN001
    """Correct a field: click it, select what is there, type over it."""
    fill(page, label, value, select_all=True)


def mei(server) -> tuple[str, dict]:  # noqa: ANN001
    headers = demo_headers(server.base_url)
    me = httpx.get(f"{server.base_url}/v1/me", headers=headers, timeout=10).json()
    return me["member_number"], headers


def test_checkout_screens_in_three_languages(browser, start_app, module_server, tmp_path):
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    app = kiosk(start_app, module_server, tmp_path, "checkout")
    page = open_kiosk_page(browser, app.url)
    credential = add_staff(module_server.database_url, "Ana Souza")
    number, headers = mei(module_server)

    # Set-up refused (the PINs differ): the credential and first PIN stay; fix the second.
    fill(page, "Staff credential", credential)
    fill(page, "Staff PIN (4–8 digits)", "2468")
    fill(page, "Staff PIN again", "2486")
    page.keyboard.press("Enter")
    see(page, t("en", "kerr.pins_differ"))
    shoot(page, "checkout-setup-refused-en")
    retype(page, "Staff PIN again", "2468")
    page.keyboard.press("Enter")
    see(page, t("en", "kiosk.scan_card"), timeout=30_000)

    current = "en"
    for lang in LANGS:
        if lang != current:
            switch_language(page, "checkout", current, lang)
            current = lang
        see(page, t(lang, "kiosk.scan_card"))
        shoot(page, f"checkout-attract-{lang}")

        scanner_types(page, number)
        see(page, "Mei L.")
        shoot(page, f"checkout-member-{lang}")
        if lang != "en":  # a button's own text style must bring the font too
            glyphs(page, t(lang, "kiosk.cancel"))
        page.keyboard.type("5..40", delay=40)
        page.keyboard.press("Enter")
        see(page, t(lang, "kerr.amount_not_a_number"))
        see(page, "5..40", exact=True)
        shoot(page, f"checkout-amount-refused-{lang}")
        page.keyboard.press("Escape")
        page.keyboard.type("5.40", delay=40)
        page.keyboard.press("Enter")
        page.get_by_role("button", name=t(lang, "kiosk.void")).click()
        fill(page, t(lang, "kiosk.void_pin"), "1111")
        page.keyboard.press("Enter")
        see(page, t(lang, "kerr.bad_pin"))
        shoot(page, f"checkout-credited-{lang}")
        if lang != "en":
            glyphs(page, t(lang, "kiosk.next"))
        # The refused PIN is still selected in its field, which kept the focus: type over it.
        page.keyboard.type(PIN, delay=40)
        page.keyboard.press("Enter")
        see(page, t(lang, "kerr.voided"))
        shoot(page, f"checkout-voided-{lang}")

        key = {"Idempotency-Key": f"redeem-{uuid.uuid4()}"}
        redeemed = httpx.post(
            f"{module_server.base_url}/v1/rewards/extra-shot/redeem",
            headers=headers | key,
            timeout=10,
        )
        assert redeemed.status_code == 201, redeemed.text
        code = redeemed.json()["voucher"]["code"]
        scanner_types(page, number)
        page.get_by_role("button", name=re.compile(re.escape(code))).click()
        see(page, t(lang, "kiosk.voucher_use"))
        shoot(page, f"checkout-voucher-confirm-{lang}")
        page.get_by_role("button", name=t(lang, "kiosk.voucher_use")).click()
        see(page, t(lang, "kiosk.next"))
        shoot(page, f"checkout-voucher-done-{lang}")
        page.get_by_role("button", name=t(lang, "kiosk.next")).click()

        unlock_staff(page, lang=lang)
        page.get_by_role("button", name=t(lang, "kiosk.reset_setup")).click()
        see(page, t(lang, "kiosk.setup_title"))
        page.get_by_role("button", name=t(lang, "kiosk.staff")).first.click()
        shoot(page, f"checkout-setup-{lang}")
        if lang == "en":  # refused in English at the first start, above
            set_up_kiosk(page, credential, lang=lang)
            continue
        fill(page, t(lang, "kiosk.credential"), credential)
        fill(page, t(lang, "kiosk.pin"), PIN)
        fill(page, t(lang, "kiosk.pin_again"), "2486")
        page.keyboard.press("Enter")
        see(page, t(lang, "kerr.pins_differ"))
        shoot(page, f"checkout-setup-refused-{lang}")
        page.keyboard.type(PIN, delay=40)  # still in the field, its text selected
        page.keyboard.press("Enter")
        see(page, t(lang, "kiosk.scan_card"), timeout=30_000)


def test_self_service_screens_in_three_languages(browser, start_app, module_server, tmp_path):
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    app = kiosk(start_app, module_server, tmp_path, "self-service")
    page = open_kiosk_page(browser, app.url)
    number, _ = mei(module_server)
    set_up_kiosk(
        page,
        add_staff(module_server.database_url, "Ana Souza"),
        first_screen=t("en", "kiosk.self_title"),
    )
    current = "en"
    for lang in LANGS:
        if lang != current:
            switch_language(page, "self", current, lang)
            current = lang
        see(page, t(lang, "kiosk.self_title"))
        shoot(page, f"self-attract-{lang}")
        scanner_types(page, number)
        see(page, t(lang, "kiosk.afford"))
        shoot(page, f"self-member-{lang}")
        page.get_by_role("button", name=t(lang, "kiosk.done")).click()

        # Join: a contact that is not one is refused and stays to be corrected.
        page.get_by_role("button", name=t(lang, "kiosk.join")).click()
        joiner, shown = JOINERS[lang]
        fill(page, t(lang, "kiosk.contact"), "lin.wei@example")
        fill(page, t(lang, "kiosk.name"), joiner)
        page.get_by_role("button", name=t(lang, "kiosk.join_submit")).click()
        see(page, t(lang, "err.invalid-email"))
        shoot(page, f"self-join-refused-{lang}")
        retype(page, t(lang, "kiosk.contact"), f"lin.wei.{uuid.uuid4().hex[:6]}@example.com")
        page.get_by_role("button", name=t(lang, "kiosk.join_submit")).click()
        see(page, t(lang, "kiosk.get_app"))
        see(page, shown)  # the name typed before the refusal was kept
        joined = page.get_by_text(shown).first
        glyphs = wait_cjk_glyphs(page, joined)  # drawn, not boxes: the names font
        assert glyphs.verdict, glyphs.summary()
        shoot(page, f"self-joined-{lang}")
        page.get_by_role("button", name=t(lang, "kiosk.done")).click()


def without_value(lang: str, key: str) -> str:
    """The longer fixed part of a message with one `{value}` (the amount's own formatting is
    the locale's business, not this test's)."""
    text = CATALOGUES.get(lang, en.MESSAGES)[key]
    before, _, after = text.partition("{")
    after = after.partition("}")[2]
    return max(before, after, key=len).strip()


def test_offline_and_revoked_checkout_screens_in_three_languages(
    browser, start_app, module_server, tmp_path
):
    """Per language: with the server gone, a scan and a credit are kept to send later (the
    offline member, the saved credit, the attract screen counting it); the manager revokes
    the kiosk's credential meanwhile, so when the server is back the kiosk asks for a new
    one, and only then posts the waiting credit, once. (Last in the module: it stops the
    module's server.)"""
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    app = kiosk(start_app, module_server, tmp_path, "checkout")
    page = open_kiosk_page(browser, app.url)
    number, _ = mei(module_server)
    staff = "Till 0"
    set_up_kiosk(page, add_staff(module_server.database_url, staff))
    current = "en"
    for n, lang in enumerate(LANGS):
        if lang != current:
            switch_language(page, None, current, lang)
            current = lang
        booked = len(purchases(module_server.base_url))
        amount = f"{6 + n}.40"
        module_server.stop()
        try:
            scanner_types(page, number)
            see(page, t(lang, "kiosk.offline_member"))
            see(page, t(lang, "kiosk.offline_none"), exact=True)  # the header, at once
            shoot(page, f"checkout-offline-member-{lang}")
            page.keyboard.type(amount, delay=40)
            page.keyboard.press("Enter")
            see(page, without_value(lang, "kiosk.credit_pending"))
            shoot(page, f"checkout-offline-pending-{lang}")
            page.get_by_role("button", name=t(lang, "kiosk.next")).click()
            see(page, t_count(lang, "kiosk.offline", 1, pending=1))
            shoot(page, f"checkout-offline-attract-{lang}")
            revoke_staff(module_server, staff)
        finally:
            module_server.start()
        # The kiosk's next sync (every 20 s) learns of the revocation.
        see(page, t(lang, "kerr.credential_revoked"), timeout=45_000)
        shoot(page, f"checkout-revoked-{lang}")
        assert len(purchases(module_server.base_url)) == booked  # kept, not sent
        staff = f"Till {n + 1}"
        fill(page, t(lang, "kiosk.credential"), add_staff(module_server.database_url, staff))
        fill(page, t(lang, "kiosk.pin"), PIN)
        fill(page, t(lang, "kiosk.pin_again"), PIN)
        page.get_by_role("button", name=t(lang, "kiosk.setup_save")).click()
        see(page, t(lang, "kiosk.scan_card"), timeout=30_000)
        deadline = time.monotonic() + 45
        while len(purchases(module_server.base_url)) == booked and time.monotonic() < deadline:
            time.sleep(1)
        latest = purchases(module_server.base_url)
        assert len(latest) == booked + 1, "the waiting credit was not posted once"
        assert latest[0]["details"]["amount"] == amount
