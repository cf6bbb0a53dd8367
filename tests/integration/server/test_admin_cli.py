"""`loyalty-server members | rewards | programme check` on a real database (SQLite, then
PostgreSQL), over the hand-made ledger of tests/support/report_ledger.py: what they show,
what they change (once per key, with an audit line), and refusals that change nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from loyalty_server.db import Database
from loyalty_server.migrate import upgrade
from loyalty_server.models import AdminAction, LedgerEntry, RewardState, Voucher
from loyalty_server.programme import demo_programme_path, load_programme
from loyalty_server.services.catalogue import sync_rewards
from tests.support import report_ledger as ledger
from tests.support.databases import fresh_database_url
from tests.support.loyalty_http import programme_variant
from tests.support.server_cli import server_cli as run_cli

D = "000000000004"  # member D: 10 points left that have not expired (the 45 have, on 11-20)


@pytest.fixture
def shop(tmp_path):
    url = fresh_database_url(tmp_path)
    db = Database(url)
    upgrade(db)
    ledger.insert(db)
    sync_rewards(db, load_programme(demo_programme_path()), datetime.now(UTC))
    yield url, db
    db.dispose()


def _ok(result) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _count(db: Database, query) -> int:
    with db.read() as s:
        return s.scalar(query)


def _adjustments(db: Database) -> int:
    return _count(db, select(func.count()).where(LedgerEntry.reason == "adjustment"))


def _audit_lines(db: Database) -> int:
    return _count(db, select(func.count()).select_from(AdminAction))


def test_find_and_show(shop):
    url, _ = shop
    found = _ok(run_cli("members", "find", "REPORT.TEST", database_url=url))
    assert found.count("@report.test") == 7
    one = _ok(run_cli("members", "find", "00000000000", database_url=url))
    assert "a@report.test" in one
    shown = _ok(run_cli("members", "show", "A@report.test", database_url=url))
    assert "Member 000000000001  Member A" in shown
    assert "tier      Harbor Gold" in shown
    assert "2026-10-09 13:00  Harbor Coffee Market St  3.00  +30" in shown  # newest visit first
    assert shown.index("2026-10-09") < shown.index("2026-10-02")
    by_number = _ok(run_cli("members", "show", "000000000001", database_url=url))
    assert "a@report.test" in by_number


def test_show_an_unknown_member_is_a_clear_error(shop):
    url, _ = shop
    result = run_cli("members", "show", "nobody@example.org", database_url=url)
    assert result.returncode == 1
    assert "no member with the e-mail, phone or member number 'nobody@example.org'" in (
        result.stderr
    )


def test_adjust_is_applied_once_per_key_with_one_audit_line(shop):
    url, db = shop
    args = ["members", "adjust", D, "--points", "25", "--reason", "till was down"]
    args += ["--by", "Ana", "--idempotency-key", "goodwill-0001"]
    first = _ok(run_cli(*args, database_url=url))
    assert f"{D}: +25 points; balance 35" in first
    assert "Ana: members.adjust 000000000004" in first and '"reason": "till was down"' in first
    again = _ok(run_cli(*args, database_url=url))
    assert "already done with this key" in again and "balance 35" in again
    assert (_adjustments(db), _audit_lines(db)) == (1, 1)
    shown = _ok(run_cli("members", "show", D, database_url=url))
    assert "balance   35 points" in shown
    taken = args[:4] + ["-5"] + args[5:-1] + ["correction-0001"]
    assert "balance 30" in _ok(run_cli(*taken, database_url=url))
    assert (_adjustments(db), _audit_lines(db)) == (2, 2)
    with db.read() as s:
        entry = s.scalar(
            select(LedgerEntry).where(LedgerEntry.amount == 25, LedgerEntry.reason == "adjustment")
        )
        assert (entry.kind, entry.reason) == ("adjust", "adjustment")
        assert '"by": "Ana"' in entry.details and '"note": "till was down"' in entry.details


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--points", "25", "--reason", "   "], "--reason is needed"),
        (["--points", "0", "--reason", "x"], "--points must not be 0"),
        (["--points", "-11", "--reason", "too much"], "the balance is 10"),
        (["--points", "5", "--reason", "x", "--who", "nobody"], "no member"),
    ],
)
def test_bad_adjustments_change_nothing(shop, change, message):
    url, db = shop
    who = change[-1] if "--who" in change else D
    change = change[:-2] if "--who" in change else change
    result = run_cli(
        "members",
        "adjust",
        who,
        *change,
        "--by",
        "Ana",
        "--idempotency-key",
        "bad-00001",
        database_url=url,
    )
    assert result.returncode == 1, result.stdout
    assert message in result.stderr and "nothing was changed" in result.stderr
    assert (_adjustments(db), _audit_lines(db)) == (0, 0)


def test_a_missing_reason_or_key_is_refused_by_the_command_line(shop):
    url, db = shop
    result = run_cli("members", "adjust", D, "--points", "5", "--by", "Ana", database_url=url)
    assert result.returncode == 2
    assert "--reason" in result.stderr and "--idempotency-key" in result.stderr
    assert (_adjustments(db), _audit_lines(db)) == (0, 0)


def test_a_key_reused_for_another_adjustment_is_refused(shop):
    url, db = shop
    base = ["members", "adjust", D, "--reason", "x", "--by", "Ana", "--idempotency-key", "k-000001"]
    _ok(run_cli(*base, "--points", "5", database_url=url))
    result = run_cli(*base, "--points", "6", database_url=url)
    assert result.returncode == 1 and "already used for a different request" in result.stderr
    assert (_adjustments(db), _audit_lines(db)) == (1, 1)


def test_rewards_stock_see_and_set(shop):
    url, db = shop
    listing = _ok(run_cli("rewards", "stock", database_url=url))
    assert "extra-shot" in listing and "unlimited" in listing
    out = _ok(run_cli("rewards", "stock", "pastry", "12", "--by", "Ana", database_url=url))
    assert "pastry: stock unlimited → 12" in out and "Ana: rewards.stock pastry" in out
    again = _ok(run_cli("rewards", "stock", "pastry", "12", "--by", "Ana", database_url=url))
    assert "already 12; nothing changed" in again
    assert _audit_lines(db) == 1
    with db.read() as s:
        assert s.get(RewardState, "pastry").stock == 12
    assert re.search(r"^pastry +12  ", _ok(run_cli("rewards", "stock", database_url=url)), re.M)


def test_rewards_stock_before_the_server_ever_started_says_so(tmp_path):
    url = fresh_database_url(tmp_path)
    out = _ok(run_cli("rewards", "stock", database_url=url))
    assert "no rewards in the database yet" in out


def test_bad_stock_changes_nothing(shop):
    url, db = shop
    negative = run_cli("rewards", "stock", "pastry", "-3", "--by", "Ana", database_url=url)
    assert negative.returncode == 2 and "cannot be negative" in negative.stderr
    unknown = run_cli("rewards", "stock", "caviar", "3", "--by", "Ana", database_url=url)
    assert unknown.returncode == 1 and "no reward 'caviar'" in unknown.stderr
    nobody = run_cli("rewards", "stock", "pastry", "3", database_url=url)
    assert nobody.returncode == 1 and "--by is needed" in nobody.stderr
    assert _audit_lines(db) == 0
    with db.read() as s:
        assert s.get(RewardState, "pastry").stock is None


def test_programme_check_says_what_would_change(shop, tmp_path):
    url, db = shop
    with db.write() as s:  # B holds an unused oat-milk voucher
        s.add(
            Voucher(
                id="held-voucher",
                code="HELD0001",
                member_id=ledger.member_id("B"),
                reward_id="oat-milk",
                source="redeem",
                created_at=datetime.now(UTC),
                expires_at=datetime.now(UTC) + timedelta(days=30),
            )
        )
    # Gold from 100 qualifying points: C (100 in the last 12 months, green) would move up.
    lower = programme_variant(
        tmp_path / "lower.toml", [("qualifying_points = 3000", "qualifying_points = 100")]
    )
    out = _ok(run_cli("programme", "check", str(lower), database_url=url))
    assert "a valid programme file" in out
    assert "1 member(s) would move up green → gold at their next purchase" in out
    renamed = programme_variant(tmp_path / "renamed.toml", [('id = "oat-milk"', 'id = "soy-milk"')])
    result = run_cli("programme", "check", str(renamed), database_url=url)
    assert result.returncode == 1
    assert "BLOCKER  reward 'oat-milk' is removed, but members hold 1 unused voucher" in (
        result.stdout
    )
    same = _ok(run_cli("programme", "check", str(demo_programme_path()), database_url=url))
    assert "no change for existing members" in same


def test_programme_check_refuses_a_broken_file(shop, tmp_path):
    url, _ = shop
    broken = programme_variant(
        tmp_path / "broken.toml", [("multiplier = 1.25", "multiplier = 0.5")]
    )
    result = run_cli("programme", "check", str(broken), database_url=url)
    assert result.returncode == 2
    assert "broken.toml: tiers[1].multiplier" in result.stderr
