"""Dates and times as the screens show them."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalty_app.i18n import fmt_datetime

AFTERNOON = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)


def test_a_time_uses_no_space_the_web_clients_font_lacks():
    # babel (CLDR 42+) writes "2:05\u202fPM"; Roboto has no U+202F, so the web client fetched
    # a fallback font for it. The same time with an ordinary no-break space:
    assert fmt_datetime("en", AFTERNOON) == "11/30/26, 2:05\u00a0PM"


def test_chinese_times_are_left_as_babel_writes_them():
    assert fmt_datetime("zh-Hans", AFTERNOON) == "2026/11/30 14:05"
    assert fmt_datetime("zh-Hant", AFTERNOON) == "2026/11/30 下午2:05"
