"""The points history in the order of its dates, paged by a keyset cursor that stays put while
entries are added, on the demo member's real history (whose expiry is settled late, after
later entries were booked) and on entries booked out of date order. In-process with a clock
the test moves, on the run's database (SQLite, then PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from loyalty_server.models import Member
from loyalty_server.rules import add_months
from loyalty_server.services import points
from tests.support.clocked_server import ClockedServer, clocked_server
from tests.support.loyalty_http import SignedIn


@pytest.fixture
def shop(database_url, smtp) -> ClockedServer:
    with clocked_server(database_url, smtp_port=smtp.port) as server:
        yield server


def _demo_member(shop: ClockedServer) -> SignedIn:
    reply = shop.client.post("/v1/auth/demo", json={"device_name": "history test"})
    assert reply.status_code == 200, reply.text
    return SignedIn(shop.client, "mei.lin@harbor.demo", reply.json())


def _pages(member: SignedIn, limit: int, cursor: str | None = None) -> list[list[dict]]:
    pages = []
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        reply = member.get("/v1/ledger", params=params)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages


def _key(item: dict) -> tuple[datetime, int]:
    return datetime.fromisoformat(item["at"]), item["id"]


def _post(shop: ClockedServer, member_id: str, at: datetime, amount: int) -> int:
    with shop.ctx.db.write() as s:
        member = points.lock_member(s, member_id)
        entry = points.post(
            s, member, at, amount=amount, kind="bonus", reason="goodwill", details={}
        )
        return entry.id


def test_the_demo_history_reads_in_date_order_on_every_page_size(shop):
    mei = _demo_member(shop)
    whole = [item for page in _pages(mei, 100) for item in page]
    # The demo's expiries were settled after all its purchases were booked: in id order they
    # came before every purchase ("Nov 30, Nov 30, Nov 10, Nov 21 ..."); in date order a
    # newer purchase comes before them.
    kinds = [item["kind"] for item in whole]
    expiry_ids = [item["id"] for item in whole if item["kind"] == "expire"]
    purchase_ids = [item["id"] for item in whole if item["kind"] == "purchase"]
    assert min(expiry_ids) > max(purchase_ids)
    assert kinds.index("purchase") < kinds.index("expire")
    keys = [_key(item) for item in whole]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)
    for limit in (1, 3, 7):
        assert [item for page in _pages(mei, limit) for item in page] == whole


def test_an_expiry_is_dated_when_the_points_expired_and_says_when_they_were_earned(shop):
    mei = _demo_member(shop)
    now = shop.clock.now
    expiries = [item for item in mei.ledger() if item["kind"] == "expire"]
    assert len(expiries) == 2
    for item in expiries:
        at = datetime.fromisoformat(item["at"])
        assert at < now - timedelta(days=1)  # not the day the server got round to it
        assert item["details"]["expired_on"] == at.date().isoformat()
        (earned,) = item["details"]["earned_on"]
        assert date.fromisoformat(earned) == add_months(at, -12).date()
    assert expiries[0]["at"] > expiries[1]["at"]


def test_an_entry_booked_later_for_an_earlier_day_lands_in_its_place_and_pages_stay_put(shop):
    mei = _demo_member(shop)
    with shop.ctx.db.read() as s:
        member_id = s.query(Member.id).filter(Member.email == mei.email).scalar()
    before = [item for page in _pages(mei, 100) for item in page]
    reply = mei.get("/v1/ledger", params={"limit": 4})
    first_page, cursor = reply.json()["items"], reply.json()["next_cursor"]

    # Booked now (the highest id), dated between the 6th and 7th entries already there.
    sixth, seventh = _key(before[5])[0], _key(before[6])[0]
    late_id = _post(shop, member_id, seventh + (sixth - seventh) / 2, 5)
    # And one newer than everything, booked after the first page was read.
    _post(shop, member_id, shop.clock.now, 7)

    rest = [item for page in _pages(mei, 4, cursor) for item in page]
    assert [i["id"] for i in first_page + rest] == (
        [i["id"] for i in before[:6]] + [late_id] + [i["id"] for i in before[6:]]
    )


def test_entries_of_the_same_moment_come_newest_id_first_and_a_page_may_split_them(shop):
    mei = _demo_member(shop)
    with shop.ctx.db.read() as s:
        member_id = s.query(Member.id).filter(Member.email == mei.email).scalar()
    moment = shop.clock.now
    ids = [_post(shop, member_id, moment, amount) for amount in (1, 2, 3)]
    pages = _pages(mei, 1)
    assert [page[0]["id"] for page in pages[:3]] == list(reversed(ids))
