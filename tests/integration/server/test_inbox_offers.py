"""Offers in the member's inbox: the real app in-process on the run's database (SQLite, then
PostgreSQL), serving the demo programme with offers dated around the test's clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.clocked_server import ClockedServer, clocked_server, shop_noon
from tests.support.programmes import DEMO_PROGRAMME, without_offers, write_programme


def _offer(id: str, starts, rules: str) -> str:  # noqa: ANN001
    return (
        f'\n[[offers]]\nid = "{id}"\n'
        f'name = {{ en = "Bonus {id}", zh-Hans = "奖励 {id}", zh-Hant = "獎勵 {id}" }}\n'
        f'description = {{ en = "{id}", zh-Hans = "{id}", zh-Hant = "{id}" }}\n'
        f"starts = {starts}\nends = {starts + timedelta(days=60)}\n{rules}\n"
    )


@pytest.fixture
def shop(database_url, tmp_path) -> ClockedServer:
    local_noon = shop_noon()
    today = local_noon.date()
    text = without_offers(DEMO_PROGRAMME.read_text(encoding="utf-8"))
    text += _offer("running", today - timedelta(days=1), "points = 50")
    text += _offer("pastry", today - timedelta(days=1), "points = 150\nactivate = true")
    text += _offer("far-off", today + timedelta(days=20), "points = 50")
    text += _offer("over", today - timedelta(days=90), "points = 50")
    path = write_programme(tmp_path, "harbor_inbox_offers.toml", text)
    with clocked_server(database_url, programme_path=path, start=local_noon) as server:
        server.today = today  # type: ignore[attr-defined]
        yield server


def _member(shop: ClockedServer) -> dict[str, str]:
    session = shop.client.post("/v1/auth/demo", json={"device_name": "pytest"}).json()
    return {"Authorization": f"Bearer {session['access_token']}"}


def _offer_messages(shop: ClockedServer, member: dict) -> dict[str, dict]:
    reply = shop.client.get("/v1/me/inbox", headers=member)
    assert reply.status_code == 200, reply.text
    return {m["id"]: m for m in reply.json()["items"] if m["kind"] == "offer"}


def test_a_running_offer_is_in_the_inbox_and_stays_dismissed(shop):
    member = _member(shop)
    started = (shop.today - timedelta(days=1)).isoformat()  # type: ignore[attr-defined]

    messages = _offer_messages(shop, member)

    assert sorted(messages) == [f"offer:pastry:{started}", f"offer:running:{started}"]
    running = messages[f"offer:running:{started}"]
    assert running["offer_id"] == "running"
    assert running["offer_name"] == {
        "en": "Bonus running",
        "zh-Hans": "奖励 running",
        "zh-Hant": "獎勵 running",
    }
    assert running["on"] == started
    assert running["read"] is False

    dismissed = shop.client.post(f"/v1/me/inbox/offer:running:{started}/dismiss", headers=member)
    assert dismissed.status_code == 200, dismissed.text
    assert f"offer:running:{started}" not in {m["id"] for m in dismissed.json()["items"]}

    shop.clock.now += timedelta(minutes=5)
    assert sorted(_offer_messages(shop, member)) == [f"offer:pastry:{started}"]


def test_an_offer_added_to_the_card_leaves_the_inbox(shop):
    member = _member(shop)
    added = shop.client.put("/v1/me/offers/pastry/activation", headers=member)
    assert added.status_code == 200, added.text

    assert [m["offer_id"] for m in _offer_messages(shop, member).values()] == ["running"]
