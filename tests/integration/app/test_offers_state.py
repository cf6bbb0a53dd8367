"""Offers in the member app's state, against the real server: listed, added to the card
offline and sent once back online, and the offer's bonus line in the points history."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.ui.screens.points import reason_text
from loyalty_app.ui.state import AppState
from tests.support.loyalty_http import Till, client_for
from tests.support.programmes import DEMO_PROGRAMME, without_offers, write_programme
from tests.support.secret_service import needs_secret_service
from tests.support.servers import ServerProcess, add_staff

pytestmark = needs_secret_service

NAME = '{ en = "Pastry pairing", zh-Hans = "糕点搭配", zh-Hant = "糕點搭配" }'


@pytest.fixture
def offer_server(database_url, smtp, tmp_path):
    # Dated around today in every time zone: a day before and a month after.
    today = datetime.now(UTC).date()
    offer = (
        f'\n[[offers]]\nid = "pastry"\nname = {NAME}\ndescription = {NAME}\npoints = 150\n'
        f"starts = {today - timedelta(days=2)}\nends = {today + timedelta(days=30)}\n"
        "activate = true\n"
    )
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8")) + offer
    programme = write_programme(tmp_path, "harbor_pastry.toml", text)
    server = ServerProcess(
        database_url,
        programme=programme,
        demo=True,
        smtp_port=smtp.port,
        log_path=tmp_path / "server.log",
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_an_offer_added_to_the_card_offline_is_sent_once_back_online_and_then_pays(
    offer_server, tmp_path
):
    async def journey() -> None:
        session = MemberSession(offer_server.base_url, tmp_path / "data", KeyringSecretStore())
        app = AppState(session=session, prefs=Prefs(tmp_path / "data" / "prefs.json"))
        await app.start()
        await app.try_demo()
        (offer,) = app.offers
        assert (offer.id, offer.needs_activation, offer.activated) == ("pastry", True, False)

        offer_server.stop()
        await app.refresh()
        assert app.connectivity == "offline" and [o.id for o in app.offers] == ["pastry"]
        assert await app.add_offer_to_card("pastry") == "pending"
        assert app.notice == "offers.adding_offline" and app.offer_adding("pastry")

        offer_server.start()
        await app.refresh()
        assert app.pending == [] and not app.offer_adding("pastry")
        assert app.offers[0].activated

        with client_for(offer_server) as client:
            till = Till(client, add_staff(offer_server.database_url, "Ana", "Pier 7"))
            reply = till.credit("4.50", member_number=app.me.number)
            assert reply.status_code == 201, reply.text
            assert [o["offer_id"] for o in reply.json()["offers"]] == ["pastry"]
        await app.refresh()
        bonus, purchase = app.history[:2]
        assert (bonus.reason, bonus.amount, purchase.reason) == ("offer_bonus", 150, "purchase")
        assert reason_text(app, bonus) == "Offer: Pastry pairing"
        app.set_language("zh-Hant")
        assert reason_text(app, bonus) == "優惠：糕點搭配"
        await app.session.aclose()

    asyncio.run(journey())
