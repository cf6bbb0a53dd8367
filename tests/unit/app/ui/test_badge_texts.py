"""How the achievements screen words a badge."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalty_app.domain.models import Badge
from loyalty_app.ui.screens.badges import badge_status, badges_summary

TEXT = {"en": "x", "zh-Hans": "x", "zh-Hant": "x"}


def badge(**fields: object) -> Badge:
    values: dict = dict(
        id="week", name=TEXT, description=TEXT, goal="visits", count=3, within_days=7,
        points=100, reached=2, earned_at=None,
    )  # fmt: skip
    values.update(fields)
    return Badge(**values)


def test_a_badge_in_progress_says_how_far_and_what_it_gives():
    assert badge_status("en", badge()) == "2 of 3 · +100 points"
    assert badge_status("zh-Hans", badge(points=0)) == "2 / 3"


def test_an_earned_badge_says_when():
    earned = badge(reached=3, earned_at=datetime(2026, 12, 1, 20, tzinfo=UTC))
    assert badge_status("en", earned).startswith("Earned Dec 1, 2026")
    assert badges_summary("en", [earned, badge()]) == "1 of 2 badges"
    assert badges_summary("zh-Hant", [earned, badge()]) == "已獲得 1 / 2 枚徽章"
