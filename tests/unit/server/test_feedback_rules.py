"""When to ask for feedback: after a recent purchase, at most once in 30 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty_server.rules.feedback import feedback_due

NOW = datetime(2026, 5, 15, 12, 0, tzinfo=UTC)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def test_asked_after_a_recent_purchase_when_never_asked():
    assert feedback_due(NOW - days(1), None, NOW)
    assert not feedback_due(None, None, NOW)


def test_not_about_a_purchase_older_than_a_week():
    assert feedback_due(NOW - days(7), None, NOW)
    assert not feedback_due(NOW - days(7) - timedelta(seconds=1), None, NOW)


def test_at_most_once_in_thirty_days_and_only_about_a_purchase_since():
    asked = NOW - days(29)
    assert not feedback_due(NOW - days(1), asked, NOW)  # asked too recently
    asked = NOW - days(30)
    assert feedback_due(NOW - days(1), asked, NOW)
    assert not feedback_due(asked - days(1), asked, NOW)  # nothing bought since
