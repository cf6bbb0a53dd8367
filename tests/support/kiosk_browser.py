"""Driving the kiosk in Chromium the way a till is used: a scanner's burst, a cashier's keys,
the set-up form; and the kiosk screenshots for the README (docs/screenshots/kiosk)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from loyalty_app.i18n import t

from .browser import AppProcess, enable_semantics, evaluate, screenshot, wait_first_frame
from .servers import add_staff

KIOSK_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "kiosk"
FAILURE_SHOTS: list[str] = ["."]  # where `see` leaves a screenshot when the text never came
PIN = "2468"


def scanner_types(page, text: str) -> None:  # noqa: ANN001
    """A USB scanner: a fast burst of keystrokes, then Enter. The kiosk is the one window
    on its machine, so its page is brought to the front first (the phone's page is in the
    same browser in some tests)."""
    page.bring_to_front()
    # The kiosk keeps its scan field focused by itself: wait until it has (no click).
    wait_ready_to_type(page)
    page.keyboard.type(text, delay=2)
    page.keyboard.press("Enter")


# Keys typed into a field before Flutter has handled the tap that focused it are lost: the
# engine then writes the app's (empty) text over them. That handling is work the tap queued
# on the page's main thread, so two animation frames after the tap it is done, however slow
# the machine (a fixed pause stood in for this wait). Then `fill` checks that the field holds
# what was typed, so a lost key fails here, by name, not as a refusal later.
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
FOCUSED = """(label) => {
  const a = document.activeElement;
  return !!a && ['INPUT', 'TEXTAREA'].includes(a.tagName)
    && (label === null || a.getAttribute('aria-label') === label);
}"""
FIELD_VALUE = """([label, value]) => [...document.querySelectorAll('input, textarea')]
  .some((e) => e.getAttribute('aria-label') === label && e.value === value)"""


def wait_ready_to_type(page, label: str | None = None, timeout: float = 20_000) -> None:  # noqa: ANN001
    """Wait until the field (labelled `label`) has the focus and the page has handled it."""
    try:
        page.wait_for_function(FOCUSED, arg=label, timeout=timeout)
    except Exception as exc:
        focus = evaluate(page, "() => document.activeElement?.getAttribute('aria-label')")
        field = label or "a field"
        raise AssertionError(f"{field} never had the focus (it is on {focus!r})") from exc
    evaluate(page, SETTLED)


def fill(page, label: str, value: str, *, select_all: bool = False) -> None:  # noqa: ANN001
    """Tap the field, wait until it takes keys, type (over what is there with `select_all`),
    and wait until the field holds exactly `value`."""
    page.get_by_label(label, exact=True).first.click()
    wait_ready_to_type(page, label)
    if select_all:
        page.keyboard.press("Control+A")
    page.keyboard.type(value, delay=8)
    page.wait_for_function(FIELD_VALUE, arg=[label, value], timeout=10_000)


def set_up_kiosk(  # noqa: ANN201
    page,  # noqa: ANN001
    credential: str,
    pin: str = PIN,
    first_screen: str = "",
    lang: str = "en",
):
    fill(page, t(lang, "kiosk.credential"), credential)
    fill(page, t(lang, "kiosk.pin"), pin)
    fill(page, t(lang, "kiosk.pin_again"), pin)
    page.get_by_role("button", name=t(lang, "kiosk.setup_save")).click()
    see(page, first_screen or t(lang, "kiosk.scan_card"), timeout=30_000)


def unlock_staff(page, pin: str = PIN, lang: str = "en") -> None:  # noqa: ANN001
    page.get_by_role("button", name=t(lang, "kiosk.staff")).first.click()
    fill(page, t(lang, "kiosk.staff_pin"), pin)
    page.get_by_role("button", name=t(lang, "kiosk.unlock")).first.click()
    see(page, t(lang, "kiosk.staff_title"))


TOUCH_PX = 48  # Material's minimum touch target
# Every control a finger can use, with its size as drawn (its accessibility node's box).
# A text field's own show-password button, drawn by Flutter inside the field, is left out.
TARGETS = """() => {
  const fields = Array.from(document.querySelectorAll('input'))
    .map((e) => e.getBoundingClientRect());
  const inField = (r) => fields.some((f) => r.left >= f.left && r.right <= f.right
    && r.top >= f.top && r.bottom <= f.bottom);
  return Array.from(document.querySelectorAll(
      'flt-semantics[role="button"], flt-semantics[role="switch"], flt-semantics[role="radio"],'
      + ' flt-semantics[role="checkbox"], flt-semantics[role="tab"], input'))
    .map((e) => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width > 0 && r.height > 0 && (e.tagName === 'INPUT' || !inField(r)))
    .map(([e, r]) => {
      const name = e.getAttribute('aria-label') || e.textContent.trim() || e.tagName;
      return [name.slice(0, 40), Math.round(r.width), Math.round(r.height)];
    });
}"""


def small_targets(page) -> list:  # noqa: ANN001
    """The touch targets on screen smaller than 48 px either way."""
    return [t for t in settled_targets(page) if min(t[1], t[2]) < TOUCH_PX]


def settled_targets(page, timeout: float = 10.0) -> list:  # noqa: ANN001
    """The touch targets (name, width, height) once two reads a couple of frames apart agree:
    a screen that has just appeared may still be laying out (a loaded whole-suite run caught
    the member screen's category chips mid-way, "Food" narrower than a finger, 0.5 s after
    it showed). After ``timeout`` s of change, the last read."""
    deadline = time.monotonic() + timeout
    last = evaluate(page, TARGETS)
    while time.monotonic() < deadline:
        evaluate(page, SETTLED)
        now = evaluate(page, TARGETS)
        if now == last:
            break
        last = now
    return last


def shoot(page, name: str) -> None:  # noqa: ANN001
    """A screenshot for the README's kiosk gallery, of the screen once its layout has
    settled: fails if it shows Flutter's error box or a touch target smaller than 48 px."""
    KIOSK_SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(5, 790)  # no hover highlight in the picture
    time.sleep(0.3)  # the last button's highlight fades (the picture's looks only)
    small = small_targets(page)
    evaluate(page, SETTLED)  # the pixels follow the accessibility tree by a frame or two
    screenshot(page, KIOSK_SHOTS / f"{name}.png")
    assert not small, f"{name}: touch targets under {TOUCH_PX} px (name, width, height): {small}"


def look(page, name: str) -> None:  # noqa: ANN001
    """A screenshot beside the test's logs, not for the README (whose pictures come from
    test_kiosk_screens.py alone), still checked for Flutter's error box."""
    page.mouse.move(5, 790)
    time.sleep(0.3)
    screenshot(page, Path(FAILURE_SHOTS[0]) / f"{name}.png")


def see(page, text: str, timeout: float = 20_000, exact: bool = False) -> None:  # noqa: ANN001
    """Wait for the text; on failure keep a screenshot beside the test's logs."""
    try:
        page.get_by_text(text, exact=exact).first.wait_for(timeout=timeout)
    except Exception as exc:
        page.screenshot(path=f"{FAILURE_SHOTS[0]}/{text[:20].replace(' ', '-')}.png")
        shown = [t for t in page.locator("flt-semantics").all_inner_texts() if t.strip()]
        raise AssertionError(f"{text!r} not shown; the screen had: {shown[:25]}") from exc


def demo_headers(base_url: str) -> dict[str, str]:
    """Signed in as the demo member (Mei)."""
    session = httpx.post(f"{base_url}/v1/auth/demo", json={}, timeout=10).json()
    return {"Authorization": f"Bearer {session['access_token']}"}


def purchases(base_url: str) -> list[dict]:
    """The demo member's purchase credits, newest first."""
    items = httpx.get(
        f"{base_url}/v1/ledger",
        params={"limit": 100},
        headers=demo_headers(base_url),
        timeout=10,
    ).json()["items"]
    return [e for e in items if e["reason"] == "purchase"]


def open_kiosk_page(browser, url: str):  # noqa: ANN001, ANN201
    """The kiosk's page as a till's 1000 x 800 screen shows it, first frame drawn and the
    accessibility tree on."""
    page = browser.open(url, width=1000, height=800)
    wait_first_frame(page)
    enable_semantics(page)
    return page


@contextmanager
def checkout_till(server, tmp: Path, browser, staff: str = "Ana Souza") -> Iterator:  # noqa: ANN001
    """A checkout kiosk process on `server`, its page open and set up with a new staff
    credential named `staff`; the process is stopped afterwards whatever happened."""
    FAILURE_SHOTS[0] = str(tmp)
    app = AppProcess(
        tmp / "till", "--backend", server.base_url, "--kiosk", "checkout", log_path=tmp / "till.log"
    ).start()
    try:
        page = open_kiosk_page(browser, app.url)
        set_up_kiosk(page, add_staff(server.database_url, staff))
        yield page
    finally:
        app.stop()
