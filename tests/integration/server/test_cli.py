"""The `loyalty-server` command line: seed-demo, staff add, migrate, and serve's defaults."""

from __future__ import annotations

import re
import socket

import httpx
import pytest

from tests.support.databases import fresh_database_url
from tests.support.loyalty_http import programme_variant
from tests.support.servers import STAFF_CREDENTIAL, ServerProcess, run_cli

DEMO_EMAILS = ["mei.lin@harbor.demo", "daniel.okafor@harbor.demo", "sofia.chen@harbor.demo"]


class DefaultHostServer(ServerProcess):
    """`serve` without --host, to see what it binds by default."""

    def command(self) -> list[str]:
        cmd = super().command()
        at = cmd.index("--host")
        del cmd[at : at + 2]
        return cmd


@pytest.fixture(scope="module")
def shop(tmp_path_factory, smtp):
    """A demo server on a shop's own programme file (oat milk renamed soy milk, one pastry)."""
    tmp = tmp_path_factory.mktemp("cli")
    programme = programme_variant(
        tmp / "harbor_shop.toml",
        [
            ('id = "oat-milk"', 'id = "soy-milk"'),
            (
                'id = "pastry"\ncategory = "food"\ncost = 600\n',
                'id = "pastry"\ncategory = "food"\ncost = 600\nstock = 1\n',
            ),
        ],
    )
    server = DefaultHostServer(
        fresh_database_url(tmp),
        programme=programme,
        demo=True,
        smtp_port=smtp.port,
        log_path=tmp / "server.log",
    )
    server.start()
    yield server
    server.stop()


def _ok(result) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_seed_demo_prints_the_demo_emails_and_can_run_again(database_url):
    first = _ok(run_cli("seed-demo", database_url=database_url))
    for email in DEMO_EMAILS:
        assert f"demo member: {email}" in first
    assert "--demo" in first  # says how to get the codes
    again = _ok(run_cli("seed-demo", database_url=database_url))
    assert all(email in again for email in DEMO_EMAILS)


def test_migrate_twice_is_fine(database_url):
    for _ in range(2):
        out = _ok(run_cli("migrate", database_url=database_url))
        assert "database is up to date" in out


def test_serve_help_says_it_binds_localhost_by_default(database_url):
    out = _ok(run_cli("serve", "--help", database_url=database_url))
    assert re.search(r"--host HOST\s+address to bind \(default 127\.0\.0\.1", out), out


def test_serve_binds_127_0_0_1_by_default(shop):
    assert f"loyalty-server on http://127.0.0.1:{shop.port} " in shop.log_text()
    with socket.socket() as sock:
        sock.settimeout(2)
        # another loopback address reaches a server bound to all interfaces, not this one
        assert sock.connect_ex(("127.0.0.2", shop.port)) != 0


def test_serve_demo_prints_the_loud_demo_banner_and_the_demo_members(shop):
    log = shop.log_text()
    assert "=" * 70 in log
    assert "DEMO MODE" in log and "Never run a real shop like this" in log
    assert "demo members: " + ", ".join(DEMO_EMAILS) in log
    assert httpx.get(f"{shop.base_url}/healthz").json()["demo"] is True


def test_staff_add_prints_a_new_working_credential_once(shop):
    out = _ok(run_cli("staff", "add", "Noor", "--store", "Pier 9", database_url=shop.database_url))
    credentials = STAFF_CREDENTIAL.findall(out)
    assert len(credentials) == 1
    assert "shown once" in out and "Noor" in out and "Pier 9" in out
    reply = httpx.get(
        f"{shop.base_url}/v1/checkout/whoami",
        headers={"Authorization": f"Bearer {credentials[0]}"},
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["name"] == "Noor" and reply.json()["store"] == "Pier 9"

    second = STAFF_CREDENTIAL.findall(
        _ok(run_cli("staff", "add", "Noor", "--store", "Pier 9", database_url=shop.database_url))
    )
    assert len(second) == 1 and second != credentials


def test_staff_add_and_migrate_leave_the_running_shops_catalogue_alone(shop):
    def catalogue() -> dict:
        items = httpx.get(f"{shop.base_url}/v1/rewards").json()["items"]
        return {r["id"]: r["stock"] for r in items}

    before = catalogue()
    assert before["soy-milk"] is None and before["pastry"] == 1 and "oat-milk" not in before
    _ok(run_cli("staff", "add", "Ravi", database_url=shop.database_url))
    _ok(run_cli("migrate", database_url=shop.database_url))
    assert catalogue() == before
