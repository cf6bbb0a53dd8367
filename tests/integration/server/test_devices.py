"""The member's devices over real HTTP and real SMTP sign-in: the list, and signing one out
(its tokens and card stop at once), never another member's. Time-dependent rules (the fixed
maximum session age, last seen) are in test_session_age.py."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.support.loyalty_http import SignedIn, assert_problem, sign_in


def _devices(member: SignedIn) -> list[dict]:
    reply = member.get("/v1/me/devices")
    assert reply.status_code == 200, reply.text
    return reply.json()["items"]


def _end(member: SignedIn, device_id: str) -> httpx.Response:
    return member.client.delete(f"/v1/me/devices/{device_id}", headers=member.headers)


def _refresh(client: httpx.Client, member: SignedIn) -> httpx.Response:
    return client.post("/v1/auth/refresh", json={"refresh_token": member.session["refresh_token"]})


def test_the_list_names_each_signed_in_device_and_marks_the_callers(client, smtp):
    phone = sign_in(client, smtp, device_name="Mei's Pixel 8")
    tablet = sign_in(client, smtp, phone.email, device_name="Kitchen iPad")

    seen_by_phone = _devices(phone)
    assert [(d["name"], d["current"]) for d in seen_by_phone] == [
        ("Mei's Pixel 8", True),  # the caller's first
        ("Kitchen iPad", False),
    ]
    for device in seen_by_phone:
        created = datetime.fromisoformat(device["created_at"])
        assert created.utcoffset() is not None
        assert datetime.fromisoformat(device["last_seen_at"]) >= created
        assert datetime.fromisoformat(device["session_ends_at"]) > created
    # The same devices from the tablet, the tablet now first and marked as the caller.
    seen_by_tablet = _devices(tablet)
    assert [(d["name"], d["current"]) for d in seen_by_tablet] == [
        ("Kitchen iPad", True),
        ("Mei's Pixel 8", False),
    ]
    assert {d["id"] for d in seen_by_tablet} == {d["id"] for d in seen_by_phone}
    # Another member sees only their own.
    stranger = sign_in(client, smtp, device_name="Stranger's phone")
    assert [d["name"] for d in _devices(stranger)] == ["Stranger's phone"]


def test_the_list_needs_a_member_token(client):
    assert_problem(client.get("/v1/me/devices"), 401, "unauthorized")


def test_ending_another_device_stops_its_tokens_and_card_at_once(client, smtp, till):
    phone = sign_in(client, smtp, device_name="phone")
    lost = sign_in(client, smtp, phone.email, device_name="lost tablet")
    assert till.scan(lost.card_token()).status_code == 200  # the card works before
    lost_id = next(d["id"] for d in _devices(phone) if not d["current"])

    reply = _end(phone, lost_id)
    assert reply.status_code == 204, reply.text

    # Its access token, its refresh token and its card, all at once.
    assert_problem(lost.get("/v1/me"), 401, "unauthorized")
    assert_problem(_refresh(client, lost), 401, "invalid-refresh-token")
    assert_problem(till.scan(lost.card_token()), 422, "card-revoked")
    # It is gone from the list; the caller's device goes on, card included.
    assert [d["name"] for d in _devices(phone)] == ["phone"]
    assert phone.get("/v1/me").status_code == 200
    assert till.scan(phone.card_token()).status_code == 200
    assert _refresh(client, phone).status_code == 200
    # Ending it again changes nothing and is not an error (a retried DELETE).
    assert _end(phone, lost_id).status_code == 204


def test_another_members_device_and_an_unknown_id_are_not_found(client, smtp, till):
    mine = sign_in(client, smtp, device_name="mine")
    theirs = sign_in(client, smtp, device_name="theirs")
    their_id = _devices(theirs)[0]["id"]

    assert_problem(_end(mine, their_id), 404, "device-not-found")
    assert_problem(_end(mine, "00000000-0000-0000-0000-000000000000"), 404, "device-not-found")
    assert_problem(_end(mine, "x" * 65), 422)
    # Their device was not touched.
    assert theirs.get("/v1/me").status_code == 200
    assert till.scan(theirs.card_token()).status_code == 200
    # And nobody can end a device without signing in.
    assert_problem(client.delete(f"/v1/me/devices/{their_id}"), 401, "unauthorized")


def test_ending_your_own_device_is_a_sign_out(client, smtp, till):
    phone = sign_in(client, smtp, device_name="phone")
    tablet = sign_in(client, smtp, phone.email, device_name="tablet")
    own_id = next(d["id"] for d in _devices(phone) if d["current"])

    assert _end(phone, own_id).status_code == 204

    assert_problem(phone.get("/v1/me"), 401, "unauthorized")
    assert_problem(_refresh(client, phone), 401, "invalid-refresh-token")
    assert_problem(till.scan(phone.card_token()), 422, "card-revoked")
    assert [d["name"] for d in _devices(tablet)] == ["tablet"]
