"""`serve --workers N`: settings reach every worker process whole, and never the SMTP password."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_server.cli import parser
from loyalty_server.settings import Settings, SmtpSettings
from loyalty_server.workers import settings_from_json, settings_to_json


def test_settings_cross_to_a_worker_unchanged_but_for_the_password(monkeypatch):
    settings = Settings(
        database_url="postgresql+psycopg://loyalty@db.harbor.internal/loyalty",
        programme_path=Path("/etc/loyalty/harbor_coffee.toml"),
        smtp=SmtpSettings(
            "mail.harbor.internal", 587, "hello@harbor.example", "bot", "s3cret", True
        ),
        public_url="https://loyalty.harbor.example",
        session_max_age_seconds=30 * 24 * 3600,
        verifies_per_hour_overall=500,
        cors_origins=("https://app.harbor.example", "https://kiosk.harbor.example"),
    )
    text = settings_to_json(settings)
    assert "s3cret" not in text
    monkeypatch.setenv("LOYALTY_SMTP_PASSWORD", "from-the-environment")
    again = settings_from_json(text)
    assert again.smtp.password == "from-the-environment"
    assert again == Settings(
        **{
            **settings.__dict__,
            "smtp": SmtpSettings(**{**settings.smtp.__dict__, "password": "from-the-environment"}),
        }
    )


def test_settings_without_smtp_or_programme_cross_too(monkeypatch):
    monkeypatch.delenv("LOYALTY_SMTP_PASSWORD", raising=False)
    settings = Settings(database_url="sqlite:////srv/loyalty.db")
    assert settings_from_json(settings_to_json(settings)) == settings


def test_an_unknown_setting_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown server settings: shards"):
        settings_from_json('{"database_url": "sqlite://", "shards": 4}')


@pytest.mark.parametrize("value", ["0", "-2", "65", "two"])
def test_a_worker_count_outside_1_to_64_is_a_usage_error(value, capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--workers", value])
    assert "number of processes from 1 to 64" in capsys.readouterr().err


def test_workers_default_to_one_and_follow_the_environment(monkeypatch):
    assert parser().parse_args(["serve"]).workers == 1
    monkeypatch.setenv("LOYALTY_WORKERS", "4")
    assert parser().parse_args(["serve"]).workers == 4
