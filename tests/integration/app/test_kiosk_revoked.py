"""A kiosk whose staff credential is revoked goes back to set-up and loses nothing it queued:
the real server, the real keyring, the kiosk's session and its observable state."""

from __future__ import annotations

import asyncio

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import KioskSession
from loyalty_app.ui.kiosk.state import KioskState
from tests.support.loyalty_http import sign_in
from tests.support.secret_service import needs_secret_service
from tests.support.servers import add_staff, revoke_staff

pytestmark = needs_secret_service


def test_a_revoked_kiosk_returns_to_set_up_and_posts_its_queued_credit_once(
    module_server, client, smtp, tmp_path
):
    member = sign_in(client, smtp, name="Hana Kim")

    async def scenario() -> None:
        kiosk = KioskState(
            session=KioskSession(module_server.base_url, tmp_path / "kiosk", KeyringSecretStore())
        )
        await kiosk.start()
        await kiosk.set_up(add_staff(module_server.database_url, "Kiosk 5"), "2468", "2468")
        assert kiosk.phase == "attract"
        # Offline, a credit is queued; meanwhile the manager revokes this kiosk's credential.
        module_server.stop()
        await kiosk.submit_scan(member.member_number, at=None)
        await kiosk.credit("6.40")
        assert kiosk.last_credit.status == "pending"
        module_server.start()
        revoke_staff(module_server, "Kiosk 5")
        await kiosk.sync()
        assert kiosk.phase == "setup" and kiosk.error == "credential_revoked"
        assert kiosk.pending == 1 and kiosk.rejected == []  # the credit still waits
        assert member.balance() == 0
        # Set up with a new credential: the waiting credit is posted, once.
        await kiosk.set_up(add_staff(module_server.database_url, "Kiosk 5 (new)"), "2468", "2468")
        assert kiosk.phase == "attract" and kiosk.pending == 0
        await kiosk.sync()
        assert member.balance() > 0
        booked = member.balance()
        await kiosk.sync()
        assert member.balance() == booked
        await kiosk.session.aclose()

    asyncio.run(scenario())
