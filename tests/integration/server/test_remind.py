"""`loyalty-server remind` as cron runs it (a process of its own) against a real local SMTP
server and the run's database (SQLite, then PostgreSQL): each due reminder arrives exactly
once, whether the command runs twice or is killed half-way and run again; in the member's
language; never to a member who turned reminders off."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest

from loyalty_server.app import build_context
from loyalty_server.db import Database
from loyalty_server.demo import seed
from loyalty_server.migrate import upgrade
from loyalty_server.models import Member
from loyalty_server.services import points, vouchers
from loyalty_server.services.members import create_member
from loyalty_server.services.reminders import due
from loyalty_server.settings import Settings
from tests.support.mail import MailCatcher

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


class KillingCatcher(MailCatcher):
    """Kills the sending process as the `kill_after`-th message arrives (before the mail
    server's answer reaches it)."""

    def __init__(self, kill_after: int) -> None:
        super().__init__()
        self.kill_after = kill_after
        self.victim: subprocess.Popen | None = None

    def _add(self, mail) -> None:  # noqa: ANN001
        super()._add(mail)
        if self.victim is not None and len(self.messages) == self.kill_after:
            os.kill(self.victim.pid, signal.SIGKILL)


def _expiring(s, member: Member, amount: int, days: int, now) -> None:  # noqa: ANN001
    entry = points.post(
        s, member, now, amount=amount, kind="bonus", reason="welcome", programme=None
    )
    entry.expires_at = now + timedelta(days=days)
    entry.available_at = now


@pytest.fixture
def shop(database_url):
    """The demo members (Mei: three days of points and a voucher about to expire) and three
    more: one reading Chinese, one with a voucher about to expire, one who said no."""
    db = Database(database_url)
    upgrade(db)
    db.dispose()
    ctx = build_context(Settings(database_url=database_url, demo=True))
    seed(ctx)
    now = ctx.now()
    programme = ctx.programme
    with ctx.db.write() as s:

        def join(email: str, language: str = "en") -> Member:
            member = create_member(
                s, programme, now - timedelta(days=300), kind="email", value=email
            )
            member.language = language
            return member

        _expiring(s, join("ana@example.com"), 120, 10, now)
        _expiring(s, join("wei@example.com", "zh-Hans"), 80, 12, now)
        reward = programme.reward("pastry")
        issued = now - timedelta(days=reward.voucher_valid_days - 3)
        vouchers.issue(
            s, join("tom@example.com"), reward, issued, source="redeem", ledger_entry_id=None
        )
        quiet = join("quiet@example.com")
        quiet.email_reminders = False
        _expiring(s, quiet, 50, 5, now)
    yield ctx
    ctx.db.dispose()


def _remind(database_url: str, catcher: MailCatcher) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "loyalty_server",
        "remind",
        "--database-url",
        database_url,
        "--smtp-host",
        catcher.host,
        "--smtp-port",
        str(catcher.port),
    ]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _expected(shop) -> Counter:  # noqa: ANN001
    return Counter(r.email for r in due(shop, shop.now()))


def _received(catcher: MailCatcher) -> Counter:
    return Counter(m.to[0] for m in catcher.messages)


def test_two_runs_send_each_reminder_once_in_the_members_language(shop, database_url):
    expected = _expected(shop)
    assert expected["mei.lin@harbor.demo"] == 4  # three days of points, one voucher
    assert expected["ana@example.com"] == expected["wei@example.com"] == 1
    assert expected["tom@example.com"] == 1 and "quiet@example.com" not in expected
    catcher = MailCatcher().start()
    try:
        for _ in range(2):
            run = _remind(database_url, catcher)
            out = run.communicate(timeout=120)[0].decode()
            assert run.returncode == 0, out
        assert _received(catcher) == expected
        assert len({(m.to, m.subject, m.body) for m in catcher.messages}) == sum(expected.values())
        [wei] = [m for m in catcher.messages if m.is_for("wei@example.com")]
        assert "80 积分" in wei.subject and "港湾咖啡" in wei.body
        [tom] = [m for m in catcher.messages if m.is_for("tom@example.com")]
        assert "Pastry" in tom.body or "pastry" in tom.body.lower()
    finally:
        catcher.stop()
    assert _expected(shop) == Counter()


def test_a_run_killed_half_way_then_run_again_sends_each_once(shop, database_url):
    expected = _expected(shop)
    total = sum(expected.values())
    assert total >= 6
    catcher = KillingCatcher(kill_after=3).start()
    try:
        catcher.victim = run = _remind(database_url, catcher)
        run.communicate(timeout=120)
        assert run.returncode == -signal.SIGKILL
        assert len(catcher.messages) == 3  # nothing after the kill

        catcher.victim = None
        again = _remind(database_url, catcher)
        out = again.communicate(timeout=120)[0].decode()
        assert again.returncode == 0, out
        assert _received(catcher) == expected
        assert len(catcher.messages) == total
    finally:
        catcher.stop()
