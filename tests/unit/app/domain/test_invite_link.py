"""The referral deep link `/r/<code>` gives sign-up its code; nothing else does."""

from __future__ import annotations

import pytest

from loyalty_app.domain.invite import invite_code


@pytest.mark.parametrize(
    ("route", "code"),
    [
        ("/r/AB12CD34", "AB12CD34"),
        ("/r/ab12cd34", "AB12CD34"),  # typed or shortened in lower case
        ("/r/AB12CD34/", "AB12CD34"),
        ("/r/AB12CD34?utm_source=chat", "AB12CD34"),
        ("/#/r/AB12CD34", "AB12CD34"),  # the static build's hash routes
    ],
)
def test_an_invite_route_gives_its_code(route: str, code: str) -> None:
    assert invite_code(route) == code


@pytest.mark.parametrize(
    "route",
    [
        None,
        "",
        "/",
        "/card",
        "/r",
        "/r/",
        "/r/AB/CD",
        "/x/AB12CD34",
        "/r/AB1",
        "/r/AB-12-CD",
        "/r/" + "A" * 17,
        "/rewards/AB12CD34",
    ],
)
def test_other_routes_give_none(route: str | None) -> None:
    assert invite_code(route) is None
