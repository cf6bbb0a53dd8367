"""The report over what the real server booked: a purchase that reaches gold and its void are
two tier movements, and the purchase, the points and the store are counted as the till
booked them (SQLite, then PostgreSQL)."""

from __future__ import annotations

import json

from sqlalchemy import select

from loyalty_server.db import Database
from loyalty_server.models import TierChange
from tests.support.loyalty_http import sign_in
from tests.support.server_cli import server_cli


def test_a_purchase_to_gold_and_its_void_are_two_tier_moves(client, smtp, till, module_server):
    member = sign_in(client, smtp)
    credit = till.give_points(member, "300.00")
    assert credit["tier_change"] == "up"
    reply = till.post(f"/credits/{credit['credit_id']}/void", {})
    assert reply.status_code == 200, reply.text
    assert member.me()["tier"]["code"] == "green"
    kept = till.give_points(member, "4.50")
    db = Database(module_server.database_url)
    try:
        with db.read() as s:
            moves = [(t.from_code, t.to_code) for t in s.scalars(select(TierChange))]
    finally:
        db.dispose()
    assert moves == [("green", "gold"), ("gold", "green")]
    result = server_cli("report", "--json", database_url=module_server.database_url)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["tiers"]["ups"], data["tiers"]["downs"]) == (1, 1)
    overall, store = data["stores"]
    assert store["store"] == "Harbor Coffee Pier 7"
    assert (store["current"]["active"], store["current"]["purchases"]) == (1, 1)  # not the void
    assert store["current"]["sales"] == "4.50"
    assert data["points"]["current"]["issued"] == kept["points"]
