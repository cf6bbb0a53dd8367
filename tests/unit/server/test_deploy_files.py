"""deploy/compose.yaml cannot run here (no container runtime): check what can be checked, so it
does not drift from the server it deploys."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from loyalty_server.cli import parser

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _server_services(compose: dict) -> dict[str, dict]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("command", [""])[0] == "loyalty-server"
    }


def test_at_least_two_server_services_share_one_postgresql_database():
    servers = _server_services(_compose())
    assert len(servers) >= 2
    urls = {s["environment"]["LOYALTY_DATABASE_URL"] for s in servers.values()}
    assert len(urls) == 1 and next(iter(urls)).startswith("postgresql+psycopg://")


def test_every_server_command_is_one_the_cli_accepts():
    for service in _server_services(_compose()).values():
        parser().parse_args(service["command"][1:])


def test_every_setting_named_for_the_server_is_one_it_reads():
    cli = (ROOT / "src/loyalty_server/cli.py").read_text()
    read = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', cli))
    for service in _server_services(_compose()).values():
        assert set(service["environment"]) <= read, set(service["environment"]) - read


def test_no_secret_is_written_into_the_file():
    text = (DEPLOY / "compose.yaml").read_text()
    for line in text.splitlines():
        if re.search(r"PASSWORD\s*:", line):
            assert "${" in line, line


def test_the_image_copies_only_what_exists():
    for line in (DEPLOY / "Containerfile").read_text().splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
