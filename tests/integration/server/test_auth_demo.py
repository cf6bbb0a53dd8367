"""Sign-in on a server started with --demo: the demo member signs in without a code, and its
codes are printed to the server log while everyone else's are mailed."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.loyalty_http import request_code, unique_email

DEMO_EMAIL = "mei.lin@harbor.demo"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def _printed_code(server, address: str, timeout: float = 10) -> str:
    pattern = re.compile(rf"one-time code for {re.escape(address)} is (\d{{6}})")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.findall(server.log_text())
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no code for {address} in the server log\n{server.log_tail()}")


def test_demo_sign_in_works_in_demo_mode(client):
    reply = client.post("/v1/auth/demo", json={"device_name": "demo phone"})
    assert reply.status_code == 200, reply.text
    session = reply.json()
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"}).json()
    assert me["email"] == DEMO_EMAIL and me["is_demo"] is True
    assert session["card"]["card_id"]


def test_demo_member_code_is_printed_to_the_log_in_demo_mode_not_mailed(
    client, module_server, smtp
):
    mark = smtp.mark()
    reply = client.post("/v1/auth/code", json={"email": DEMO_EMAIL})
    assert reply.status_code == 202, reply.text
    code = _printed_code(module_server, DEMO_EMAIL)
    reply = client.post("/v1/auth/verify", json={"email": DEMO_EMAIL, "code": code})
    assert reply.status_code == 200, reply.text
    assert reply.json()["new_member"] is False
    assert not [m for m in smtp.messages[mark:] if m.is_for(DEMO_EMAIL)]


def test_ordinary_member_code_is_mailed_not_printed_even_in_demo_mode(client, module_server, smtp):
    email = unique_email("real")
    code = request_code(client, smtp, email)
    assert email not in module_server.log_text()
    assert code not in module_server.log_text()
