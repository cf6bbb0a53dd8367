"""The referral deep link: a member's invite, ``https://<shop>/r/<code>``, opens the app at
``/r/<code>`` (phones through the app link, the browser-run build at that path or at
``/#/r/<code>``), and sign-up starts with the code filled in."""

from __future__ import annotations

import re

# As the server issues and accepts them (loyalty_server.formats.REFERRAL_CODE).
_CODE = re.compile(r"[A-Za-z0-9]{4,16}")


def invite_code(route: str | None) -> str | None:
    """The referral code a route carries ("/r/AB12CD34", maybe with a query or a final /),
    in capitals as the server keeps it; None for any other route."""
    if not route:
        return None
    path = route.removeprefix("/#").split("?", 1)[0].split("#", 1)[0]
    parts = [part for part in path.split("/") if part]
    if len(parts) != 2 or parts[0] != "r" or not _CODE.fullmatch(parts[1]):
        return None
    return parts[1].upper()
