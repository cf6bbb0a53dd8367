"""Helpers for the HTTP integration tests: programme variants, signing members in through the
real SMTP code, card tokens, staff calls and problem+json checks."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from loyalty_core.card.token import CardCredential, make_token

from .mail import MailCatcher
from .programmes import DEMO_PROGRAMME, without_offers
from .servers import ServerProcess

PROBLEM_JSON = "application/problem+json"
_counter = itertools.count(1)


# --------------------------------------------------------------------------- servers


def programme_variant(path: Path, replacements: list[tuple[str, str]]) -> Path:
    """A copy of the demo programme (without its offers: see `programmes`) with each ``old``
    text (which must occur once) replaced."""
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8"))
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} is not unique in the demo programme"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def client_for(server: ServerProcess) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, timeout=30)


# --------------------------------------------------------------------------- problems


def assert_problem(reply: httpx.Response, status: int, slug: str | None = None) -> dict:
    """The reply is RFC 9457 problem+json with STATUS (and type /problems/SLUG)."""
    assert reply.status_code == status, f"expected {status}, got {reply.status_code}: {reply.text}"
    assert reply.headers["content-type"].startswith(PROBLEM_JSON), reply.headers
    body = reply.json()
    for key in ("type", "title", "detail"):
        assert isinstance(body.get(key), str) and body[key].strip(), (key, body)
    assert body["type"].startswith("/problems/"), body
    assert body.get("status") == status, body
    if slug is not None:
        assert body["type"] == f"/problems/{slug}", body
    return body


# --------------------------------------------------------------------------- members


def unique_email(label: str = "member") -> str:
    return f"{label}.{next(_counter)}.{uuid.uuid4().hex[:8]}@example.test"


def idem() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": f"test-{uuid.uuid4()}"}


@dataclass
class SignedIn:
    """A member signed in on one device: tokens and the device's card credential."""

    client: httpx.Client
    email: str
    session: dict
    member_number: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def access_token(self) -> str:
        return self.session["access_token"]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def get(self, path: str, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.post(path, headers=headers, **kwargs)

    def me(self) -> dict:
        reply = self.get("/v1/me")
        assert reply.status_code == 200, reply.text
        return reply.json()

    def balance(self) -> int:
        return self.me()["balance"]

    def ledger(self, limit: int = 100) -> list[dict]:
        """The whole ledger, newest first, following every page."""
        items, cursor = [], None
        while True:
            params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
            reply = self.get("/v1/ledger", params=params)
            assert reply.status_code == 200, reply.text
            page = reply.json()
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return items

    def card_token(self, at: float | None = None) -> str:
        card = self.session["card"]
        cred = CardCredential(
            card["card_id"],
            card["secret"],
            card["prefix"],
            period=card["period"],
            digits=card["digits"],
            algorithm=card["algorithm"],
        )
        return make_token(cred, time.time() if at is None else at)


def request_code(client: httpx.Client, smtp: MailCatcher, email: str) -> str:
    """Asks for a code and returns the one that arrives by SMTP."""
    mark = smtp.mark()
    reply = client.post("/v1/auth/code", json={"email": email})
    assert reply.status_code == 202, reply.text
    return smtp.wait_for_code(email, after=mark)


def sign_in(
    client: httpx.Client, smtp: MailCatcher, email: str | None = None, **verify_fields
) -> SignedIn:
    """Signs in (joining when new) with the code mailed over real SMTP."""
    email = email or unique_email()
    code = request_code(client, smtp, email)
    body = {"email": email, "code": code, "device_name": "test phone"} | verify_fields
    reply = client.post("/v1/auth/verify", json=body)
    assert reply.status_code == 200, reply.text
    member = SignedIn(client, email, reply.json())
    member.member_number = member.me()["member_number"]
    return member


# --------------------------------------------------------------------------- staff


class Till:
    """Staff calls to /v1/checkout with one staff credential."""

    def __init__(self, client: httpx.Client, credential: str) -> None:
        self.client = client
        self.credential = credential

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential}"}

    def post(self, path: str, json: dict, key: str | None = None) -> httpx.Response:
        headers = dict(self.headers)
        headers["Idempotency-Key"] = key or f"till-{uuid.uuid4()}"
        return self.client.post(f"/v1/checkout{path}", json=json, headers=headers)

    def scan(self, token: str, **extra) -> httpx.Response:
        return self.post("/scan", {"token": token} | extra)

    def lookup(self, member_number: str) -> httpx.Response:
        return self.post("/lookup", {"member_number": member_number})

    def credit(self, amount: str, *, key: str | None = None, **card) -> httpx.Response:
        return self.post("/credit", {"amount": amount} | card, key)

    def give_points(self, member: SignedIn, amount: str) -> dict:
        """Credits a purchase by member number and returns the credit result."""
        reply = self.credit(amount, member_number=member.member_number)
        assert reply.status_code == 201, reply.text
        return reply.json()
