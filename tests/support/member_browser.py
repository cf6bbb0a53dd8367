"""Using the member app in Chromium as a member does: where to tap for each destination,
signing in and out, redeeming. One place to change when the screens change (the navigation,
a sign-out confirmation, a button's words): tests name destinations, not controls.

Every helper takes the language shown, so the same steps work in en / zh-Hans / zh-Hant;
labels come from the app's catalogues (``t``), never typed in here.
"""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

from loyalty_app.i18n import t

from .browser import enable_semantics, evaluate, wait_first_frame
from .gallery import settled_screenshot
from .kiosk_browser import SETTLED

# Destination -> the catalogue key of its label in the navigation.
DESTINATIONS = {
    "card": "nav.card",
    "points": "nav.points",
    "rewards": "nav.rewards",
    "invite": "nav.referral",
    "account": "nav.account",
}
# Destination -> the address the app shows it at.
PATHS = {
    "card": "/card",
    "points": "/points",
    "rewards": "/rewards",
    "invite": "/referral",
    "account": "/account",
}
# Pages opened from the Account page -> the catalogue key of their entry there.
UNDER_ACCOUNT = {
    "tier": "nav.tier",
    "vouchers": "rewards.my_vouchers",
    "settings": "nav.settings",
    "inbox": "inbox.title",
}
TIMEOUT_MS = 20_000


def app_data(tmp_path: Path, name: str, lang: str, theme: str = "system") -> Path:
    """A new data folder for a member app that starts in ``lang`` and ``theme`` (its
    prefs.json), as ``AppProcess``'s first argument."""
    data = tmp_path / name
    data.mkdir()
    (data / "prefs.json").write_text(json.dumps({"lang": lang, "theme": theme}))
    return data


def open_app(browser, url: str, width: int = 390, height: int = 844):  # noqa: ANN001, ANN201
    page = browser.open(url, width=width, height=height)
    wait_first_frame(page)
    enable_semantics(page)
    return page


def go(page, lang: str, destination: str) -> None:  # noqa: ANN001
    """Tap a destination in the navigation: a tab of the bar on a phone, an item of the rail
    on a desktop (a button named "Points\nTab 2 of 5"). Only those: in zh-Hant the Rewards
    tab and a reward's Redeem button are both "兌換". Tier, My vouchers and Settings are
    entries of the Account page: Account, then the entry (named by its title, then maybe a
    subtitle: "Tier\nYour tier: Gold").

    Each tap waits for the page to stop moving first: a tap on a page still laying out (a
    desktop window's first frames, the Account page sliding in) was seen to go nowhere, and
    the next step then waited in vain for a page that never opened."""
    if destination in UNDER_ACCOUNT:
        go(page, lang, "account")
        title = re.escape(t(lang, UNDER_ACCOUNT[destination]))
        settled_screenshot(page)
        page.get_by_role("button", name=re.compile(rf"^{title}(\s|$)")).first.click()
        return
    label = re.escape(t(lang, DESTINATIONS[destination]))
    named = re.compile(rf"^{label}$")
    tab = page.get_by_role("tab", name=named)
    rail = page.get_by_role("button", name=re.compile(rf"^{label}\s.*\d.*\d"))
    target = tab.or_(rail).first
    target.wait_for(timeout=TIMEOUT_MS)
    settled_screenshot(page)
    target.click()
    if tab.count():  # a phone's bar: the tab reads "selected" once the tap has gone through
        page.get_by_role("tab", name=named, selected=True).wait_for(timeout=TIMEOUT_MS)
    else:  # a desktop's rail says nothing of it: the address changes once the app went there
        path = PATHS[destination]
        try:
            page.wait_for_function(
                "(path) => location.pathname === path || location.pathname === '/' && "
                "path === '/card'",
                arg=path,
                timeout=TIMEOUT_MS,
            )
        except Exception as exc:
            raise AssertionError(
                f"the tap on {t(lang, DESTINATIONS[destination])!r} in the rail did not lead to"
                f" {path} (the page is at {page.url})"
            ) from exc


def open_vouchers(page, lang: str) -> None:  # noqa: ANN001
    """My vouchers, from the Account page."""
    go(page, lang, "vouchers")


def open_reward(page, lang: str, name: str) -> None:  # noqa: ANN001
    """From anywhere: the reward's detail page. Its tile is named by the reward's name, its
    cost and what it still needs ("Oat milk upgrade\n200 pts"): a button with those texts
    until its picture has arrived, then a group labelled so (the button leaves the page)."""
    go(page, lang, "rewards")
    tile = re.compile(rf"^{re.escape(name)}\s")
    page.get_by_role("group", name=tile).or_(page.get_by_role("button", name=tile)).first.click()
    page.get_by_text(t(lang, "rewards.terms"), exact=True).first.wait_for(timeout=TIMEOUT_MS)


def ask_to_redeem(page, lang: str) -> None:  # noqa: ANN001
    """On a reward's page: tap Redeem; the confirmation dialog opens (and stops moving: a
    tap while it slides in was seen to go nowhere)."""
    page.get_by_role("button", name=t(lang, "rewards.redeem"), exact=True).click()
    page.get_by_role("button", name=t(lang, "rewards.confirm")).wait_for(timeout=TIMEOUT_MS)
    settled_screenshot(page)


def confirm_redeem(page, lang: str) -> None:  # noqa: ANN001
    """Tap "Redeem now"; the dialog closes."""
    confirm = page.get_by_role("button", name=t(lang, "rewards.confirm"))
    confirm.click()
    confirm.wait_for(state="hidden", timeout=TIMEOUT_MS)


def wait_idle(page, lang: str) -> None:  # noqa: ANN001
    """Until no sync is running (a tap on Refresh during one is ignored)."""
    page.get_by_text(t(lang, "sync.syncing")).first.wait_for(state="hidden", timeout=30_000)


def refresh(page, lang: str) -> None:  # noqa: ANN001
    """Tap Refresh once no sync is running."""
    wait_idle(page, lang)
    page.get_by_role("button", name=t(lang, "sync.refresh")).first.click()


def type_into(page, label: str, value: str, *, replace: bool = False) -> None:  # noqa: ANN001
    """Click a text field by its label and type, once the browser's input has the focus;
    returns once the field holds what was typed (a loaded machine was seen to lose keys
    typed into a field that was still taking the focus)."""
    evaluate(page, "() => document.activeElement?.blur()")
    page.get_by_label(label).first.click()
    page.wait_for_function(
        "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)",
        timeout=TIMEOUT_MS,
    )
    # Keys (Ctrl+A too) pressed before Flutter has handled the tap that focused the field
    # are lost: its handling is queued on the page's main thread, done two frames later.
    evaluate(page, SETTLED)
    if replace:
        page.keyboard.press("Control+A")
        page.wait_for_function(
            "() => { const a = document.activeElement;"
            " return !a?.value || (a.selectionStart === 0 && a.selectionEnd === a.value.length); }",
            timeout=TIMEOUT_MS,
        )
    page.keyboard.type(value, delay=5)
    check = (
        "value => document.activeElement?.value === value"
        if replace
        else ("value => document.activeElement?.value?.endsWith(value)")
    )
    try:
        page.wait_for_function(check, arg=value, timeout=TIMEOUT_MS)
    except Exception as exc:
        held = evaluate(
            page,
            "() => [document.activeElement?.getAttribute('aria-label'),"
            " document.activeElement?.value]",
        )
        raise AssertionError(
            f"typed {value!r} into {label!r}; the focused field holds {held}"
        ) from exc
    # Likewise a tap that follows the keys at once can land before Flutter has drawn what
    # they changed; the next step starts from a page that has handled them.
    evaluate(page, SETTLED)


def request_code(page, lang: str, email: str) -> None:  # noqa: ANN001
    """Type the e-mail address (checked in the field) and send; the code field appears."""
    type_into(page, t(lang, "signin.email"), email)
    page.get_by_role("button", name=t(lang, "signin.send_code")).click()
    page.get_by_label(t(lang, "signin.code")).first.wait_for(timeout=TIMEOUT_MS)


def enter_code(page, lang: str, code: str, name: str = "", *, replace: bool = False) -> None:  # noqa: ANN001
    type_into(page, t(lang, "signin.code"), code, replace=replace)
    if name:
        type_into(page, t(lang, "signin.name"), name)
    page.get_by_role("button", name=t(lang, "signin.verify"), exact=True).click()


def wait_card(page, lang: str) -> None:  # noqa: ANN001
    page.get_by_role("img", name=t(lang, "card.qr_label")).wait_for(timeout=TIMEOUT_MS)


def sign_in_demo(page, lang: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name=t(lang, "signin.demo")).click()
    wait_card(page, lang)


def ask_to_sign_out(page, lang: str) -> None:  # noqa: ANN001
    """Account -> Settings -> Sign out; the question ("Sign out of Harbor Coffee?") opens
    and stops moving."""
    go(page, lang, "settings")
    page.get_by_role("button", name=t(lang, "settings.sign_out"), exact=True).first.click()
    body = t(lang, "settings.sign_out.confirm_body")
    page.get_by_text(body, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    settled_screenshot(page)


def sign_out(page, lang: str) -> None:  # noqa: ANN001
    """Settings -> Sign out -> the question's Sign out; back on the sign-in screen."""
    ask_to_sign_out(page, lang)
    # The dialog's button is the last one of that name (the page's own is under the dialog).
    page.get_by_role("button", name=t(lang, "settings.sign_out"), exact=True).last.click()
    page.get_by_role("button", name=t(lang, "signin.send_code")).wait_for(timeout=TIMEOUT_MS)


def sync_through(page, lang: str, server_pid: int) -> None:  # noqa: ANN001
    """One sync seen from start to end, begun after everything before this call: the server
    is paused while Refresh is tapped, so "Syncing…" is certainly shown (a quick sync could
    come and go unseen, and a tap during a running sync is ignored), then let go. The caller
    waits for what the sync should show ("Up to date", offline, signed out)."""
    syncing = page.get_by_text(t(lang, "sync.syncing")).first
    wait_idle(page, lang)
    os.kill(server_pid, signal.SIGSTOP)
    try:
        refresh(page, lang)
        syncing.wait_for(timeout=TIMEOUT_MS)
    finally:
        os.kill(server_pid, signal.SIGCONT)
    syncing.wait_for(state="hidden", timeout=30_000)
