"""An interrupted token refresh, in the real app against the real server and the real Secret
Service (issue 10: "a refresh interrupted after the server rotated — client killed, reply lost —
signs the device out for good"). The app is killed after the server rotated its refresh token
and before the app kept the new pair, so the keyring still holds the rotated-out token; started
again, at once or long after (a server whose grace window is 0 s, so that only "nobody has used
the new pair" can keep the device), the app is still signed in, on the same device, with one
live token pair."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.ui.state import AppState
from loyalty_server.db import Database
from loyalty_server.models import AuthToken, Device
from loyalty_server.services.tokens import token_hash
from tests.support.secret_service import needs_secret_service
from tests.support.servers import ServerProcess

pytestmark = needs_secret_service

SERVICE = "loyalty-app"
# The access token the app holds has run out (the server answers it 401 like an expired one).
STALE_ACCESS = "lat_ran-out"

# A client process that meets a 401, refreshes, and is killed the moment the server's answer
# is in hand, before the new pair reaches the keyring (as an app killed by the system, or a
# phone whose battery died, would be).
KILLED_MID_REFRESH = textwrap.dedent("""
    import asyncio, os, signal, sys
    from loyalty_app.api import auth
    from loyalty_app.auth.secrets import KeyringSecretStore
    from loyalty_app.session import MemberSession

    async def killed(self, access, refresh):
        os.kill(os.getpid(), signal.SIGKILL)

    auth.TokenHolder.replace = killed

    async def go():
        session = MemberSession(sys.argv[1], sys.argv[2], KeyringSecretStore())
        await session.sync()

    asyncio.run(go())
""")


def _secret(member_id: str, what: str) -> str | None:
    return keyring.get_password(SERVICE, f"member:{member_id}:{what}")


def _live_pairs(database_url: str, refresh_token: str) -> tuple[str | None, int, int]:
    """For the device of `refresh_token`: when it was ended (None: live), how many refresh
    tokens of it are live, and whether `refresh_token` is one of them (1) or not (0)."""
    db = Database(database_url)
    try:
        with db.read() as s:
            row = s.get(AuthToken, token_hash(refresh_token))
            assert row is not None, "the server never issued the keyring's refresh token"
            device = s.get(Device, row.device_id)
            live = s.scalars(
                select(AuthToken.token_hash).where(
                    AuthToken.device_id == device.id,
                    AuthToken.kind == "refresh",
                    AuthToken.revoked_at.is_(None),
                )
            ).all()
            ended = device.revoked_at.isoformat() if device.revoked_at else None
            return ended, len(live), int(token_hash(refresh_token) in live)
    finally:
        db.dispose()


def _make_state(base_url: str, data: Path) -> AppState:
    session = MemberSession(base_url, data, KeyringSecretStore())
    return AppState(session=session, prefs=Prefs(data / "prefs.json"))


@pytest.fixture(params=["at_once", "long_after"])
def shop(request, database_url, smtp, tmp_path):
    """The demo server; "long_after" has no grace window, as if the app came back later."""
    grace = ["--refresh-grace", "0"] if request.param == "long_after" else []
    server = ServerProcess(
        database_url,
        demo=True,
        smtp_port=smtp.port,
        extra_args=grace,
        log_path=tmp_path / "server.log",
    )
    server.start()
    yield server
    server.stop()


def test_an_app_killed_mid_refresh_is_still_signed_in_when_started_again(shop, tmp_path):
    base, data = shop.base_url, tmp_path / "data"

    async def sign_in() -> str:
        app = _make_state(base, data)
        await app.start()
        await app.try_demo()
        assert app.phase == "signed_in" and app.sync_error is None
        member_id = app.session.member_id
        await app.session.aclose()
        return member_id

    member_id = asyncio.run(sign_in())
    rotated_out = _secret(member_id, "refresh_token")
    keyring.set_password(SERVICE, f"member:{member_id}:access_token", STALE_ACCESS)

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_REFRESH, base, str(data)], timeout=60, check=False
    )
    assert killed.returncode == -9
    # The server rotated the token; the app's keyring still holds the old one.
    assert _secret(member_id, "refresh_token") == rotated_out
    ended, live, kept = _live_pairs(shop.database_url, rotated_out)
    assert (ended, live, kept) == (None, 1, 0)

    async def start_again() -> AppState:
        app = _make_state(base, data)
        await app.start()
        await app.session.aclose()
        return app

    app = asyncio.run(start_again())
    assert app.phase == "signed_in"
    assert (app.sync_error, app.connectivity) == (None, "online")
    assert app.me is not None and app.me.member_id == member_id
    # It holds the pair the server made when it was killed: the device's one live pair.
    now_held = _secret(member_id, "refresh_token")
    assert now_held != rotated_out
    assert _secret(member_id, "access_token") != STALE_ACCESS
    assert _live_pairs(shop.database_url, now_held) == (None, 1, 1)

    # And that pair rotates as usual when the access token runs out again.
    keyring.set_password(SERVICE, f"member:{member_id}:access_token", STALE_ACCESS)
    app = asyncio.run(start_again())
    assert (app.phase, app.sync_error) == ("signed_in", None)
    newest = _secret(member_id, "refresh_token")
    assert newest not in (rotated_out, now_held)
    assert _live_pairs(shop.database_url, newest) == (None, 1, 1)
