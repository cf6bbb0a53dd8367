"""The kiosk and the server when the link between them is slow or goes away, with time
passing: the real kiosk core, the real server app on the run's database with a clock the test
moves, served over loopback (through a proxy that can keep an answer back).

A credit whose answer came after the kiosk gave up was booked: the kiosk must not call it
refused (the cashier would credit again). A code scanned online is verified as of its scan
when the credit goes through later."""

from __future__ import annotations

import asyncio

import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import KioskSession
from loyalty_core.card.token import CardCredential, make_token
from loyalty_server.app import create_app
from loyalty_server.services.staff import add_staff
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.held_proxy import HeldProxy
from tests.support.secret_service import needs_secret_service
from tests.support.thread_server import ThreadServer

pytestmark = needs_secret_service
CREDIT = ("POST", "/v1/checkout/credit")


@pytest.fixture
def shop(database_url) -> ClockedServer:
    with clocked_server(database_url) as server:
        yield server


@pytest.fixture
def served(shop):
    """The clocked app over loopback, as a kiosk reaches a server."""
    with ThreadServer(create_app(shop.ctx), "clocked-server") as server:
        yield server


def member(shop: ClockedServer) -> tuple[dict[str, str], CardCredential]:
    session = shop.client.post("/v1/auth/demo", json={"device_name": "pytest"}).json()
    return {"Authorization": f"Bearer {session['access_token']}"}, CardCredential(**session["card"])


def balance(shop: ClockedServer, headers: dict[str, str]) -> int:
    return shop.client.get("/v1/me", headers=headers).json()["balance"]


async def ready_kiosk(shop: ClockedServer, backend: str, tmp_path) -> KioskSession:  # noqa: ANN001
    kiosk = KioskSession(backend, tmp_path / "kiosk", KeyringSecretStore())
    await kiosk.set_up(add_staff(shop.ctx, "Ana Souza", "Harbor Coffee Pier 7"), "2468")
    await kiosk.sync()
    return kiosk


def test_a_credit_answered_after_the_kiosk_gave_up_is_booked_once_not_refused(
    shop, served, tmp_path
):
    headers, card = member(shop)
    before = balance(shop, headers)

    async def scenario() -> None:
        with HeldProxy(served.base_url) as proxy:
            kiosk = await ready_kiosk(shop, proxy.base_url, tmp_path)
            ref = await kiosk.scan(
                make_token(card, shop.clock.now.timestamp()), now=shop.clock.now.timestamp()
            )
            assert not ref.offline
            proxy.hold_answer(*CREDIT)
            # The server books it; its answer comes later than the kiosk waits (8 s).
            outcome = await kiosk.credit(ref, "4.75")
            assert outcome.status == "pending", outcome
            assert balance(shop, headers) == before + 47  # booked
            # The cashier rings up the next order; the code has long expired when the
            # kiosk asks again with the same key.
            shop.clock.advance(120)
            proxy.release()
            await kiosk.sync()
            status = kiosk.status()
            assert status.pending == [] and status.rejected == [], status
            done = kiosk.store.get_intent(outcome.intent.id)
            assert done.status == "done" and done.result["points"] == 47, done
            await kiosk.aclose()

    asyncio.run(scenario())
    assert balance(shop, headers) == before + 47  # once


def test_a_code_scanned_online_is_verified_as_of_its_scan_when_the_credit_waits(
    shop, served, tmp_path
):
    headers, card = member(shop)
    before = balance(shop, headers)

    async def scenario() -> None:
        kiosk = await ready_kiosk(shop, served.base_url, tmp_path)
        ref = await kiosk.scan(
            make_token(card, shop.clock.now.timestamp()), now=shop.clock.now.timestamp()
        )
        assert not ref.offline and ref.scanned_at is not None
        served.stop()  # the link goes down while the order is rung up
        outcome = await kiosk.credit(ref, "8.00")
        assert outcome.status == "pending"
        shop.clock.advance(20 * 60)  # back 20 minutes later, past the code's life
        served.start()
        await kiosk.sync()
        status = kiosk.status()
        assert status.pending == [] and status.rejected == [], status
        await kiosk.aclose()

    asyncio.run(scenario())
    headers, _ = member(shop)  # the first access token has expired by now
    assert balance(shop, headers) == before + 80
