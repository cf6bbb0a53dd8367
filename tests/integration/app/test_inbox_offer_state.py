"""An offer for the member in the app's inbox, against the real server: synced, worded with
the offer's name, and shown from the store after a restart with no server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.ui.screens.inbox import message_texts
from loyalty_app.ui.state import AppState
from tests.support.programmes import DEMO_PROGRAMME, without_offers, write_programme
from tests.support.secret_service import needs_secret_service
from tests.support.servers import ServerProcess

pytestmark = needs_secret_service

NAME = '{ en = "Harbor bonus", zh-Hans = "港湾奖励", zh-Hant = "港灣獎勵" }'


@pytest.fixture
def offer_server(database_url, smtp, tmp_path):
    # Running in every time zone: from two days before today to a month after.
    today = datetime.now(UTC).date()
    offer = (
        f'\n[[offers]]\nid = "harbor-bonus"\nname = {NAME}\ndescription = {NAME}\n'
        f"points = 50\nstarts = {today - timedelta(days=2)}\nends = {today + timedelta(days=30)}\n"
    )
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8")) + offer
    programme = write_programme(tmp_path, "harbor_bonus.toml", text)
    server = ServerProcess(
        database_url,
        programme=programme,
        demo=True,
        smtp_port=smtp.port,
        log_path=tmp_path / "server.log",
    )
    server.start()
    try:
        yield server, today - timedelta(days=2)
    finally:
        server.stop()


def make_state(base_url: str, tmp_path) -> AppState:
    session = MemberSession(base_url, tmp_path / "data", KeyringSecretStore())
    return AppState(session=session, prefs=Prefs(tmp_path / "data" / "prefs.json"))


def test_the_offer_message_is_synced_worded_and_shown_from_the_store_offline(
    offer_server, tmp_path
):
    server, starts = offer_server

    async def scenario() -> None:
        app = make_state(server.base_url, tmp_path)
        await app.start()
        await app.try_demo()
        (message,) = [m for m in app.inbox_shown().items if m.kind == "offer"]
        assert message.id == f"offer:harbor-bonus:{starts.isoformat()}"
        assert message.offer_id == "harbor-bonus" and not message.read
        assert message_texts("en", message)[0] == "For you: Harbor bonus"
        assert message_texts("zh-Hant", message)[0] == "專屬優惠：港灣獎勵"
        await app.session.aclose()

        server.stop()
        offline = make_state(server.base_url, tmp_path)  # a restart, with no server
        await offline.start()
        assert offline.connectivity == "offline"
        assert [m.id for m in offline.inbox_shown().items if m.kind == "offer"] == [message.id]
        await offline.session.aclose()

    asyncio.run(scenario())
