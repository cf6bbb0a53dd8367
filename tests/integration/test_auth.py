"""Sign-in over real HTTP and real SMTP: one-time codes, limits, refresh, sign-out, demo mode."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.loyalty_http import (
    Till,
    assert_problem,
    client_for,
    request_code,
    sign_in,
    start_module_server,
    unique_email,
)
from tests.support.servers import add_staff, run_cli

DEMO_EMAIL = "mei.lin@harbor.demo"


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory, smtp):
    yield from start_module_server(tmp_path_factory, smtp, "auth-plain")


@pytest.fixture(scope="module")
def demo_mode_server(tmp_path_factory, smtp):
    yield from start_module_server(tmp_path_factory, smtp, "auth-demo", demo=True)


@pytest.fixture(scope="module")
def client(plain_server):
    with client_for(plain_server) as c:
        yield c


@pytest.fixture(scope="module")
def demo_client(demo_mode_server):
    with client_for(demo_mode_server) as c:
        yield c


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _printed_code(server, address: str, timeout: float = 10) -> str:
    pattern = re.compile(rf"one-time code for {re.escape(address)} is (\d{{6}})")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.findall(server.log_text())
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no code for {address} in the server log\n{server.log_tail()}")


def test_code_arrives_by_smtp_and_verify_returns_tokens_and_card(client, smtp):
    email = unique_email("joiner")
    mark = smtp.mark()
    reply = client.post("/v1/auth/code", json={"email": email.upper()})
    assert reply.status_code == 202, reply.text
    assert reply.json()["sent"] is True
    code = smtp.wait_for_code(email, after=mark)
    mail = [m for m in smtp.messages[mark:] if m.is_for(email)]
    assert len(mail) == 1 and code in mail[0].body

    reply = client.post(
        "/v1/auth/verify", json={"email": email, "code": code, "device_name": "Pixel"}
    )
    assert reply.status_code == 200, reply.text
    session = reply.json()
    assert session["access_token"].startswith("lat_")
    assert session["refresh_token"].startswith("lrt_")
    assert session["token_type"] == "Bearer"
    assert session["new_member"] is True
    card = session["card"]
    assert re.fullmatch(r"c[0-9a-f]{12}", card["card_id"])
    assert card["prefix"] == "HBR" and card["period"] == 30 and card["digits"] == 8
    assert card["secret"]

    me = client.get("/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email and me.json()["member_id"] == session["member_id"]


def test_second_sign_in_is_same_member_on_a_new_device_with_its_own_card(client, smtp):
    first = sign_in(client, smtp)
    second = sign_in(client, smtp, first.email)
    assert second.session["new_member"] is False
    assert second.session["member_id"] == first.session["member_id"]
    assert second.session["card"]["card_id"] != first.session["card"]["card_id"]


def test_wrong_code_is_refused_with_invalid_code_problem(client, smtp):
    email = unique_email()
    code = request_code(client, smtp, email)
    reply = client.post("/v1/auth/verify", json={"email": email, "code": _other_code(code)})
    assert_problem(reply, 401, "invalid-code")
    # one wrong try does not burn the code
    reply = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert reply.status_code == 200, reply.text


def test_code_works_only_once(client, smtp):
    email = unique_email()
    code = request_code(client, smtp, email)
    assert client.post("/v1/auth/verify", json={"email": email, "code": code}).status_code == 200
    reply = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert_problem(reply, 401, "invalid-code")


def test_code_stops_working_after_five_wrong_attempts(client, smtp):
    email = unique_email()
    code = request_code(client, smtp, email)
    for _ in range(5):
        reply = client.post("/v1/auth/verify", json={"email": email, "code": _other_code(code)})
        assert_problem(reply, 401, "invalid-code")
    reply = client.post("/v1/auth/verify", json={"email": email, "code": code})
    assert_problem(reply, 401, "invalid-code")


def test_sixth_code_request_within_the_window_is_rate_limited(client, smtp):
    email = unique_email("eager")
    mark = smtp.mark()
    for _ in range(5):
        request_code(client, smtp, email)
    reply = client.post("/v1/auth/code", json={"email": email})
    body = assert_problem(reply, 429, "too-many-code-requests")
    assert int(reply.headers["Retry-After"]) > 0
    assert "wait" in body["detail"].lower()
    time.sleep(0.3)  # a sixth mail, had one been sent, would have arrived by now
    assert len([m for m in smtp.messages[mark:] if m.is_for(email)]) == 5


def test_code_request_with_invalid_email_is_a_422_problem(client):
    assert_problem(client.post("/v1/auth/code", json={"email": "not-an-address"}), 422)
    assert_problem(client.post("/v1/auth/code", json={}), 422, "identity-required")


def test_refresh_rotates_and_the_used_refresh_token_is_refused(client, smtp):
    member = sign_in(client, smtp)
    old_refresh = member.session["refresh_token"]
    reply = client.post("/v1/auth/refresh", json={"refresh_token": old_refresh})
    assert reply.status_code == 200, reply.text
    tokens = reply.json()
    assert tokens["refresh_token"] != old_refresh
    assert tokens["access_token"] != member.access_token
    new_auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/v1/me", headers=new_auth).status_code == 200

    reply = client.post("/v1/auth/refresh", json={"refresh_token": old_refresh})
    assert_problem(reply, 401, "invalid-refresh-token")
    # the rotated token works (once)
    reply = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reply.status_code == 200, reply.text


def test_unknown_refresh_token_is_refused(client):
    reply = client.post("/v1/auth/refresh", json={"refresh_token": "lrt_made-up"})
    assert_problem(reply, 401, "invalid-refresh-token")


def test_sign_out_revokes_access_refresh_and_card_but_not_other_devices(client, smtp, plain_server):
    till = Till(client, add_staff(plain_server.database_url, "Auth Kiosk"))
    phone = sign_in(client, smtp)
    tablet = sign_in(client, smtp, phone.email)

    reply = phone.post("/v1/auth/sign-out")
    assert reply.status_code == 204, reply.text

    assert_problem(phone.get("/v1/me"), 401, "unauthorized")
    reply = client.post("/v1/auth/refresh", json={"refresh_token": phone.session["refresh_token"]})
    assert_problem(reply, 401, "invalid-refresh-token")
    body = assert_problem(till.scan(phone.card_token()), 422, "card-revoked")
    assert "sign" in body["detail"].lower()

    # the member's other device keeps working, card included
    assert tablet.get("/v1/me").status_code == 200
    reply = till.scan(tablet.card_token())
    assert reply.status_code == 200, reply.text
    assert reply.json()["member_id"] == phone.session["member_id"]


def test_sign_out_without_access_token_is_401(client):
    assert_problem(client.post("/v1/auth/sign-out"), 401)
    reply = client.post("/v1/auth/sign-out", headers={"Authorization": "Bearer lat_nonsense"})
    assert_problem(reply, 401, "unauthorized")


def test_demo_sign_in_is_not_found_outside_demo_mode(client):
    reply = client.post("/v1/auth/demo", json={"device_name": "x"})
    assert_problem(reply, 404, "not-found")


def test_demo_sign_in_works_in_demo_mode(demo_client):
    reply = demo_client.post("/v1/auth/demo", json={"device_name": "demo phone"})
    assert reply.status_code == 200, reply.text
    session = reply.json()
    me = demo_client.get(
        "/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"}
    ).json()
    assert me["email"] == DEMO_EMAIL and me["is_demo"] is True
    assert session["card"]["card_id"]


def test_demo_member_code_is_printed_to_the_log_in_demo_mode_not_mailed(
    demo_client, demo_mode_server, smtp
):
    mark = smtp.mark()
    reply = demo_client.post("/v1/auth/code", json={"email": DEMO_EMAIL})
    assert reply.status_code == 202, reply.text
    code = _printed_code(demo_mode_server, DEMO_EMAIL)
    reply = demo_client.post("/v1/auth/verify", json={"email": DEMO_EMAIL, "code": code})
    assert reply.status_code == 200, reply.text
    assert reply.json()["new_member"] is False
    assert not [m for m in smtp.messages[mark:] if m.is_for(DEMO_EMAIL)]


def test_ordinary_member_code_is_mailed_not_printed_even_in_demo_mode(
    demo_client, demo_mode_server, smtp
):
    email = unique_email("real")
    code = request_code(demo_client, smtp, email)
    assert email not in demo_mode_server.log_text()
    assert code not in demo_mode_server.log_text()


def test_demo_member_code_is_never_printed_without_demo_mode(client, plain_server, smtp):
    seeded = run_cli("seed-demo", database_url=plain_server.database_url)
    assert seeded.returncode == 0, seeded.stderr
    code = request_code(client, smtp, DEMO_EMAIL)  # mailed like anyone else's
    log = plain_server.log_text()
    assert "one-time code" not in log
    assert code not in log
    reply = client.post("/v1/auth/verify", json={"email": DEMO_EMAIL, "code": code})
    assert reply.status_code == 200, reply.text
