"""The member's devices through the app's observable state and session, against the real
server: the list in Settings, signing another device out (it is out at once, card and all),
offline, ending this device, and a session that reached its maximum age."""

from __future__ import annotations

import asyncio
import time

import httpx

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.ui.state import AppState
from tests.support.secret_service import needs_secret_service
from tests.support.servers import ServerProcess, add_staff

pytestmark = needs_secret_service


def make_state(base_url: str, data_dir) -> AppState:  # noqa: ANN001
    session = MemberSession(base_url, data_dir, KeyringSecretStore())
    return AppState(session=session, prefs=Prefs(data_dir / "prefs.json"))


def staff_scan(base_url: str, staff: str, token: str) -> httpx.Response:
    return httpx.post(
        f"{base_url}/v1/checkout/scan",
        json={"token": token},
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    )


def test_settings_lists_devices_and_signs_another_out_at_once(demo_server, tmp_path):
    base = demo_server.base_url
    staff = add_staff(demo_server.database_url, "Ana Souza")

    async def journey() -> None:
        phone = make_state(base, tmp_path / "phone")
        tablet = make_state(base, tmp_path / "tablet")
        await phone.start()
        await phone.try_demo()
        await tablet.session.demo_sign_in("Kitchen tablet")
        await tablet.start()
        assert tablet.phase == "signed_in" and tablet.sync_error is None

        await phone.load_devices()
        assert phone.devices_status == "loaded"
        assert [(d.name, d.current) for d in phone.devices] == [
            ("member app (demo)", True),
            ("Kitchen tablet", False),
        ]
        assert all(d.last_seen_at >= d.created_at for d in phone.devices)
        tablet_id = phone.devices[1].id
        token, _ = await tablet.session.card_token()
        assert staff_scan(base, staff, token).status_code == 200

        await phone.sign_out_device(tablet_id)
        assert phone.notice == "settings.devices.ended"
        assert phone.notice_values == {"name": "Kitchen tablet"}
        assert [d.name for d in phone.devices] == ["member app (demo)"]
        await phone.load_devices()
        assert [d.name for d in phone.devices] == ["member app (demo)"]

        # On the tablet: the next sync finds the session ended and asks to sign in again;
        # its card is refused at the till already (the next step's code, never scanned).
        await tablet.refresh()
        assert tablet.sync_error == "signed_out"
        token, _ = await tablet.session.card_token(time.time() + 30)
        refused = staff_scan(base, staff, token)
        assert refused.status_code == 422 and refused.json()["type"] == "/problems/card-revoked"
        # The phone goes on.
        await phone.refresh()
        assert phone.sync_error is None and phone.connectivity == "online"

        # Offline: a clear state, nothing ended.
        demo_server.stop()
        await phone.load_devices()
        assert phone.devices_status == "offline"
        demo_server.start()
        await phone.load_devices()
        assert phone.devices_status == "loaded" and len(phone.devices) == 1

        # Ending this device from the list is a sign-out: local data and secrets go too.
        await phone.sign_out_device(phone.devices[0].id)
        assert phone.phase == "signed_out"
        assert phone.session.member_id is None
        await phone.session.aclose()
        await tablet.session.aclose()

    asyncio.run(journey())


def test_a_session_past_its_maximum_age_asks_to_sign_in_again(database_url, smtp, tmp_path):
    # The sign-in and its first sync must be done well inside the session's age: with 4 s
    # they once were not, on a machine running the three test passes side by side (the
    # first sync was already refused as session-expired).
    max_age = 10
    server = ServerProcess(
        database_url,
        demo=True,
        smtp_port=smtp.port,
        extra_args=["--session-max-age", str(max_age)],
        log_path=tmp_path / "server.log",
    )
    server.start()
    try:

        async def journey() -> None:
            app = make_state(server.base_url, tmp_path / "phone")
            await app.start()
            signed_in = time.monotonic()
            await app.try_demo()
            assert app.phase == "signed_in" and app.sync_error is None
            await asyncio.sleep(max_age + 0.5 - (time.monotonic() - signed_in))

            await app.refresh()
            assert app.sync_error == "session-expired"
            assert app.phase == "signed_in"  # what the store holds is still shown
            assert app.me is not None

            # A redeem asked for now waits for the member to sign in again; it is not lost.
            oat_milk = [v.reward_id for v in app.vouchers].count("oat-milk")
            assert await app.redeem("oat-milk") == "pending"

            await app.sign_in_again()
            assert app.phase == "signed_out" and app.demo_available
            await app.try_demo()
            assert app.phase == "signed_in" and app.sync_error is None
            assert app.connectivity == "online"
            assert app.pending == []
            assert [v.reward_id for v in app.vouchers].count("oat-milk") == oat_milk + 1
            await app.session.aclose()

        asyncio.run(journey())
    finally:
        server.stop()
