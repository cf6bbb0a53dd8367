"""The referral deep link: a member's invite opens the app at /r/<code>, and signing up from
there joins with that code filled in (the referrer's stats count the new member), in real
Chromium against the real server."""

from __future__ import annotations

import uuid

import pytest

from tests.support import member_browser as member
from tests.support.loyalty_http import sign_in

pytestmark = pytest.mark.browser


def test_an_invite_link_opens_sign_up_with_its_code(
    browser, start_app, module_server, client, smtp
):
    referrer = sign_in(client, smtp)
    code = referrer.get("/v1/referral").json()["code"]
    app = start_app("--backend", module_server.base_url)
    page = member.open_app(browser, f"{app.url}r/{code.lower()}")
    email = f"invited.{uuid.uuid4().hex[:6]}@example.com"
    mark = smtp.mark()
    member.request_code(page, "en", email)
    member.enter_code(page, "en", smtp.wait_for_code(email, after=mark), name="Ana Invited")
    member.wait_card(page, "en")
    stats = referrer.get("/v1/referral").json()["stats"]
    assert stats["joined"] == 1, stats
