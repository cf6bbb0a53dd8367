"""Focus stays where the person at the kiosk is, in real Chromium: a field tapped after the
pointer rested on the staff button keeps the focus (and every digit typed into it), and a
refused join leaves the focus and the text in the field to correct."""

from __future__ import annotations

import uuid

import pytest

from loyalty_app.i18n import t
from tests.support import kiosk_browser
from tests.support.browser import enable_semantics, evaluate, wait_first_frame
from tests.support.kiosk_browser import PIN, fill, see, set_up_kiosk, wait_ready_to_type
from tests.support.servers import add_staff

pytestmark = pytest.mark.browser

# A person's pauses: the hand resting on the staff button while the panel opens, then the
# moment between tapping the PIN field and typing. Part of what is tested (a tooltip shown
# during the first pause went away during the second and took the focus with it), not a
# wait for the app.
REST_MS = 1_500

ACTIVE_LABEL = "() => document.activeElement?.getAttribute('aria-label')"


def open_kiosk(browser, start_app, server, tmp_path, mode: str):  # noqa: ANN001, ANN201
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    app = start_app("--backend", server.base_url, "--kiosk", mode)
    page = browser.open(app.url, width=1000, height=800)
    wait_first_frame(page)
    enable_semantics(page)
    return page


def test_the_staff_pin_field_keeps_the_focus_after_the_pointer_rested_on_staff(
    browser, start_app, module_server, tmp_path
):
    page = open_kiosk(browser, start_app, module_server, tmp_path, "checkout")
    set_up_kiosk(page, add_staff(module_server.database_url, "Ana Souza"))

    page.get_by_role("button", name="Staff").first.click()
    field = page.get_by_label("Staff PIN", exact=True)
    field.wait_for()
    page.wait_for_timeout(REST_MS)  # the pointer stays on the staff button
    field.click()
    wait_ready_to_type(page, "Staff PIN")
    page.wait_for_timeout(REST_MS)
    assert evaluate(page, ACTIVE_LABEL) == "Staff PIN"
    page.keyboard.type(PIN, delay=40)
    page.keyboard.press("Enter")
    see(page, "Staff settings")


def test_a_field_that_took_the_focus_by_itself_takes_a_tap_by_its_label(
    browser, start_app, module_server, tmp_path
):
    """The set-up's credential field takes the focus as soon as it is drawn (autofocus). Once
    the app has long drawn it, a tap on it by its label still leaves the focus on it and its
    text in it. With the accessibility tree switched on after the form was drawn, the focus
    stayed in Flutter's unlabelled editing input (5 of 5 tries with a 1 s pause or more):
    pages now have the tree from the start."""
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    app = start_app("--backend", module_server.base_url, "--kiosk", "checkout")
    page = browser.open(app.url, width=1000, height=800)
    wait_first_frame(page)
    assert evaluate(page, "() => document.querySelectorAll('flt-semantics').length > 0")
    label = t("en", "kiosk.credential")
    page.get_by_label(label, exact=True).wait_for(timeout=20_000)
    page.wait_for_timeout(2_000)  # the form has taken the focus long before the tap
    enable_semantics(page)
    fill(page, label, "not-a-credential")
    assert evaluate(page, ACTIVE_LABEL) == label


def test_a_refused_join_keeps_the_focus_and_the_text_in_the_field(
    browser, start_app, module_server, tmp_path
):
    page = open_kiosk(browser, start_app, module_server, tmp_path, "self-service")
    set_up_kiosk(
        page,
        add_staff(module_server.database_url, "Ana Souza"),
        first_screen=t("en", "kiosk.self_title"),
    )
    page.get_by_role("button", name="Join the programme").click()
    fill(page, t("en", "kiosk.name"), "Lin Wei")
    fill(page, t("en", "kiosk.contact"), "lin.wei@example")
    page.keyboard.press("Enter")  # from the field: no need to reach for the button
    see(page, t("en", "err.invalid-email"))
    # Still in the contact field, its text kept: corrected with the keyboard alone.
    assert evaluate(page, ACTIVE_LABEL) == t("en", "kiosk.contact")
    page.keyboard.press("End")
    page.keyboard.type(f".{uuid.uuid4().hex[:4]}.com", delay=20)
    page.keyboard.press("Enter")
    see(page, t("en", "kiosk.get_app"))
    see(page, "Lin W.")
