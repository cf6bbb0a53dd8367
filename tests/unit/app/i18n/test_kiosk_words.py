"""The kiosk speaks to staff and members in their words: no shell command, no backticks and no
program or option names on any kiosk screen or in any refusal it shows, in any language."""

from __future__ import annotations

import re

import pytest

from loyalty_app.i18n import CATALOGUES

# What a developer would type, not what a cashier reads.
COMMANDISH = re.compile(r"`|loyalty-server|loyalty-member|\bpython3?\b|\bpip\b|(?<!\w)--[a-z]")
SHOWN_AT_THE_KIOSK = ("kiosk.", "kerr.", "err.")


def commandish(messages: dict[str, str]) -> dict[str, str]:
    return {
        key: text
        for key, text in messages.items()
        if key.startswith(SHOWN_AT_THE_KIOSK) and COMMANDISH.search(text)
    }


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_no_kiosk_message_shows_a_command(lang):
    assert commandish(CATALOGUES[lang]) == {}


def test_the_check_finds_the_set_up_line_that_once_showed_a_command():
    old = {"kiosk.setup_intro": "Enter a staff credential from `loyalty-server staff add`."}
    assert commandish(old) == old


def test_one_waiting_credit_is_one_credit():
    from loyalty_app.i18n import t_count

    assert t_count("en", "kiosk.pending", 1, pending=1) == "1 credit waiting to be sent"
    assert t_count("en", "kiosk.pending", 2, pending=2) == "2 credits waiting to be sent"
    assert t_count("en", "kiosk.offline", 1, pending=1) == "Offline: 1 credit waiting to be sent"
    assert t_count("zh-Hans", "kiosk.pending", 1, pending=1) == "1 笔积分待发送"
    assert t_count("en", "kiosk.offline_none", 1) == "Offline"  # no one-form: the key itself
