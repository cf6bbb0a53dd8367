"""Sign-in over real HTTP and real SMTP: one-time codes, limits, refresh, sign-out, and no
demo sign-in outside demo mode (test_auth_demo.py has demo mode)."""

from __future__ import annotations

import re
import time

from tests.support.loyalty_http import (
    assert_problem,
    request_code,
    sign_in,
    unique_email,
)
from tests.support.servers import run_cli

DEMO_EMAIL = "mei.lin@harbor.demo"


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


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


def test_a_sixth_code_the_same_day_waits_a_minute_and_the_codes_sent_keep_working(client, smtp):
    email = unique_email("eager")
    mark = smtp.mark()
    codes = [request_code(client, smtp, email) for _ in range(5)]
    reply = client.post("/v1/auth/code", json={"email": email})
    body = assert_problem(reply, 429, "too-many-code-requests")
    assert int(reply.headers["Retry-After"]) == 60
    assert "wait" in body["detail"].lower()
    time.sleep(0.3)  # a sixth mail, had one been sent, would have arrived by now
    assert len([m for m in smtp.messages[mark:] if m.is_for(email)]) == 5
    reply = client.post("/v1/auth/verify", json={"email": email, "code": codes[-1]})
    assert reply.status_code == 200, reply.text


def test_a_new_code_replaces_the_one_before_and_a_refused_request_does_not(client, smtp):
    """Only the newest code of an address works (so the tries a day stay five a code), and a
    request the limiter refuses leaves the code in hand alone."""
    email = unique_email("replaced")
    older = request_code(client, smtp, email)
    request_code(client, smtp, email)
    assert_problem(client.post("/v1/auth/verify", json={"email": email, "code": older}), 401)
    for _ in range(2):
        request_code(client, smtp, email)
    newest = request_code(client, smtp, email)  # the fifth of the day
    assert_problem(client.post("/v1/auth/code", json={"email": email}), 429)
    reply = client.post("/v1/auth/verify", json={"email": email, "code": newest})
    assert reply.status_code == 200, reply.text


def test_code_request_with_invalid_email_is_a_422_problem(client):
    assert_problem(client.post("/v1/auth/code", json={"email": "not-an-address"}), 422)
    assert_problem(client.post("/v1/auth/code", json={}), 422, "identity-required")


def _refresh(client, refresh_token: str):  # noqa: ANN001, ANN202
    return client.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


def _bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_refresh_rotates_and_a_repeat_soon_after_gets_the_same_pair(client, smtp):
    member = sign_in(client, smtp)
    old_refresh = member.session["refresh_token"]
    reply = _refresh(client, old_refresh)
    assert reply.status_code == 200, reply.text
    tokens = reply.json()
    assert tokens["refresh_token"] != old_refresh
    assert tokens["access_token"] != member.access_token
    assert client.get("/v1/me", headers=_bearer(tokens)).status_code == 200

    # The reply may never have reached the app: the same token again, within the grace
    # window, gets the same pair (not a third one), and the member stays signed in.
    again = _refresh(client, old_refresh)
    assert again.status_code == 200, again.text
    assert (again.json()["access_token"], again.json()["refresh_token"]) == (
        tokens["access_token"],
        tokens["refresh_token"],
    )
    assert client.get("/v1/me", headers=_bearer(tokens)).status_code == 200
    # the new refresh token rotates in turn
    reply = _refresh(client, tokens["refresh_token"])
    assert reply.status_code == 200, reply.text
    assert reply.json()["refresh_token"] not in (old_refresh, tokens["refresh_token"])


def test_a_refresh_token_used_after_its_successor_rotated_ends_that_device(client, smtp, till):
    phone = sign_in(client, smtp)
    tablet = sign_in(client, smtp, phone.email)
    stolen = phone.session["refresh_token"]
    first = _refresh(client, stolen).json()
    second = _refresh(client, first["refresh_token"]).json()

    # The device moved on twice: whoever still sends the first token holds a copy.
    assert_problem(_refresh(client, stolen), 401, "invalid-refresh-token")
    # ... and the device's session ended: its newest pair and its card stop working too
    assert_problem(client.get("/v1/me", headers=_bearer(second)), 401, "unauthorized")
    assert_problem(_refresh(client, second["refresh_token"]), 401, "invalid-refresh-token")
    assert_problem(till.scan(phone.card_token()), 422, "card-revoked")
    # the member's other device is untouched
    assert tablet.get("/v1/me").status_code == 200
    assert _refresh(client, tablet.session["refresh_token"]).status_code == 200


def test_unknown_refresh_token_is_refused(client):
    reply = client.post("/v1/auth/refresh", json={"refresh_token": "lrt_made-up"})
    assert_problem(reply, 401, "invalid-refresh-token")


def test_sign_out_revokes_access_refresh_and_card_but_not_other_devices(client, smtp, till):
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


def test_demo_member_code_is_never_printed_without_demo_mode(client, module_server, smtp):
    seeded = run_cli("seed-demo", database_url=module_server.database_url)
    assert seeded.returncode == 0, seeded.stderr
    code = request_code(client, smtp, DEMO_EMAIL)  # mailed like anyone else's
    log = module_server.log_text()
    assert "one-time code" not in log
    assert code not in log
    reply = client.post("/v1/auth/verify", json={"email": DEMO_EMAIL, "code": code})
    assert reply.status_code == 200, reply.text
