"""Staff credentials can be listed and revoked, and a revoked one stops at once: against the
real server process and the `loyalty-server staff` commands."""

from __future__ import annotations

import httpx
import pytest

from tests.support.servers import add_staff, run_cli


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def _whoami(shop, credential: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {credential}"}
    return httpx.get(f"{shop.base_url}/v1/checkout/whoami", headers=headers, timeout=10)


def _staff_id(shop, name: str) -> str:
    listed = run_cli("staff", "list", database_url=shop.database_url)
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if name in line)
    return line.split()[0]


def test_staff_list_shows_each_credential_without_its_secret(module_server):
    credential = add_staff(module_server.database_url, "Mia Torres", "Harbor Coffee Pier 9")
    listed = run_cli("staff", "list", database_url=module_server.database_url)
    assert listed.returncode == 0, listed.stderr
    assert "Mia Torres" in listed.stdout and "Harbor Coffee Pier 9" in listed.stdout
    assert "active" in listed.stdout
    assert credential not in listed.stdout and "stf_" not in listed.stdout


def test_a_revoked_credential_is_refused_at_once_and_others_keep_working(module_server):
    kept = add_staff(module_server.database_url, "Leo Park", "Harbor Coffee Pier 7")
    leaked = add_staff(module_server.database_url, "Kiosk 3 (stolen)", "Harbor Coffee Pier 7")
    assert _whoami(module_server, leaked).status_code == 200  # used once: any cache would hold it
    revoked = run_cli(
        "staff",
        "revoke",
        _staff_id(module_server, "Kiosk 3"),
        database_url=module_server.database_url,
    )
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked" in revoked.stdout
    refused = _whoami(module_server, leaked)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/staff-credential-invalid"
    assert _whoami(module_server, kept).status_code == 200
    listed = run_cli("staff", "list", database_url=module_server.database_url).stdout
    assert next(line for line in listed.splitlines() if "Kiosk 3" in line).count("revoked") == 1


def test_revoking_an_unknown_credential_says_so(module_server):
    result = run_cli("staff", "revoke", "no-such-staff-id", database_url=module_server.database_url)
    assert result.returncode == 1
    assert "no staff credential" in result.stderr
