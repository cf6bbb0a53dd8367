"""Notices are transient, like a snackbar: they go after a few seconds, when the member goes to
another tab, on a language change and on sign-out. Plain Python over the app state (a session
on a temporary folder, an in-memory secret store, no server: nothing here needs one)."""

from __future__ import annotations

import asyncio

import pytest

from loyalty_app.auth.secrets import MemorySecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.ui.state import NOTICE_SECONDS, AppState, tab_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(tmp_path):
    # Port 9 (discard) on loopback: nothing listens, so "is there a demo?" fails at once.
    session = MemberSession("http://127.0.0.1:9", tmp_path / "data", MemorySecretStore())
    state = AppState(session=session, prefs=Prefs(tmp_path / "prefs.json"))
    state._clock = Clock()
    yield state
    asyncio.run(session.aclose())


def test_a_notice_goes_after_its_time(app):
    app.navigated("/referral")
    app.say("referral.copied")
    assert app.notice == "referral.copied"
    assert app.notice_left() == NOTICE_SECONDS
    app._clock.now += NOTICE_SECONDS - 0.5
    app.expire_notice()
    assert app.notice == "referral.copied"  # not yet
    app._clock.now += 0.5
    app.expire_notice()
    assert app.notice is None and app.notice_values == {}


def test_an_older_timer_leaves_a_newer_notice(app):
    app.say("referral.copied")
    first = app.notice_serial
    app._clock.now += NOTICE_SECONDS - 1
    app.say("error.offline_action")
    assert app.notice_serial == first + 1
    app._clock.now += 1  # the first notice's time is up, not the second's
    app.expire_notice()
    assert app.notice == "error.offline_action"


def test_going_to_another_tab_takes_the_notice_away(app):
    app.navigated("/referral")
    app.say("referral.copied")
    app.navigated("/referral")  # the same screen drawn again
    assert app.notice == "referral.copied"
    app.navigated("/card")
    assert app.notice is None


def test_a_notice_stays_within_its_tab(app):
    assert tab_of("/rewards/oat-milk") == tab_of("/rewards") == "rewards"
    assert tab_of("/") == tab_of("/card") == "card"
    app.navigated("/rewards")
    app.say("error.offline_action")
    app.navigated("/rewards/oat-milk")
    assert app.notice == "error.offline_action"


def test_a_redeem_notice_belongs_to_the_vouchers_screen_and_stays_while_redeeming(app):
    app.navigated("/rewards/oat-milk")
    app._say("rewards.redeeming", {}, route="/vouchers", sticky=True)
    assert app.notice_left() is None  # no timer: it waits for the server's answer
    app.navigated("/vouchers")  # where the confirm button takes the member
    app._clock.now += 60
    app.expire_notice()
    assert app.notice == "rewards.redeeming"
    app._say("rewards.done_voucher", {"code": "V-1"}, route="/vouchers")
    assert app.notice_left() == NOTICE_SECONDS
    app.navigated("/points")
    assert app.notice is None


def test_a_language_change_takes_the_notice_away(app):
    app.say("referral.copied")
    app.set_language("en")  # the same language: nothing changes
    assert app.notice == "referral.copied"
    app.set_language("zh-Hant")
    assert app.notice is None


def test_sign_out_takes_the_notice_away(app):
    app.say("rewards.queued")
    asyncio.run(app.sign_out())
    assert app.phase == "signed_out" and app.notice is None


def test_the_close_button_and_say_none_clear(app):
    app.say("referral.copied")
    app.clear_notice()
    assert app.notice is None and app.notice_left() is None
    app.say("referral.copied")
    app.say(None)
    assert app.notice is None
