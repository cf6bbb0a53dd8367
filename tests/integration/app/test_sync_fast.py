"""Interactions that answer at once, against the real server (loopback, real database, real
keyring): a redeem says "Redeeming…"/"Queued" before any network and then shows the server's
answer without a whole sync; one sync at a time; a sync where every GET answered 304 reads
and parses nothing and does not rebuild the reward search index (nor does a dismiss); the
card screen picks up a credit at the till by itself."""

from __future__ import annotations

import asyncio
import time

import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.store.store import Store
from loyalty_app.sync.engine import SyncEngine
from loyalty_app.ui import state as state_module
from loyalty_app.ui.state import AppState
from tests.support.held_proxy import HeldProxy
from tests.support.secret_service import needs_secret_service

pytestmark = needs_secret_service


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def make_state(base_url: str, data_dir) -> AppState:  # noqa: ANN001
    session = MemberSession(base_url, data_dir, KeyringSecretStore())
    return AppState(session=session, prefs=Prefs(data_dir / "prefs.json"))


class Spy:
    """Counts calls of a method (and how many run at once), calling through."""

    def __init__(self, monkeypatch, owner, name: str) -> None:  # noqa: ANN001
        self.calls: list[tuple] = []
        self.running = self.most = 0
        original = getattr(owner, name)
        spy = self

        if asyncio.iscoroutinefunction(original):

            async def wrapper(*args, **kwargs):  # noqa: ANN202
                spy.calls.append((args, kwargs))
                spy.running += 1
                spy.most = max(spy.most, spy.running)
                try:
                    return await original(*args, **kwargs)
                finally:
                    spy.running -= 1

        else:

            def wrapper(*args, **kwargs):  # noqa: ANN202
                spy.calls.append((args, kwargs))
                return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    @property
    def count(self) -> int:
        return len(self.calls)


def test_a_sync_where_everything_answered_304_reloads_and_rebuilds_nothing(
    module_server, tmp_path, monkeypatch
):
    async def scenario() -> None:
        app = make_state(module_server.base_url, tmp_path / "phone")
        await app.start()
        await app.try_demo()
        assert app.phase == "signed_in" and len(app.catalogue.items) > 0
        builds = Spy(monkeypatch, state_module, "RewardIndex")
        assert app.rewards_shown()
        assert builds.count == 1
        catalogue, me = app.catalogue, app.me

        reads = Spy(monkeypatch, Store, "read")
        report = await app.session.sync("manual")
        assert report.changed == frozenset() and report.not_modified == report.requests
        await app.refresh("interval")
        assert reads.count == 0  # no stored copy read and parsed again
        assert app.catalogue is catalogue and app.me is me
        assert app.rewards_shown() and builds.count == 1  # the index is not rebuilt

        # A refused redeem, then dismissed: the outbox is read again, nothing else.
        dear = max(app.catalogue.items, key=lambda r: r.cost)
        assert await app.redeem(dear.id) == "rejected" and len(app.rejected) == 1
        app.dismiss(app.rejected[0].id)
        assert app.rejected == [] and reads.count == 0
        assert app.rewards_shown() and builds.count == 1
        await app.session.aclose()

    asyncio.run(scenario())


def test_one_sync_at_a_time_a_second_caller_joins(module_server, tmp_path, monkeypatch):
    async def scenario() -> None:
        app = make_state(module_server.base_url, tmp_path / "phone")
        await app.start()
        await app.try_demo()
        syncs = Spy(monkeypatch, SyncEngine, "sync")
        await asyncio.gather(app.refresh("interval"), app.refresh("resume"), app.refresh("start"))
        assert syncs.count == 1  # the second and third joined the first
        # A tap on Refresh while a sync runs asks for what is true now (a till's credit made
        # after that sync read the balance): one more sync, started after the first.
        await asyncio.gather(app.refresh("interval"), app.refresh("manual"))
        assert syncs.count == 3 and syncs.most == 1
        assert app.syncing is False and app.connectivity == "online"
        # A poll while a sync runs waits for it: never two at once. (A delivery does not:
        # it only pushes, one push at a time; see the test below.)
        item = app.session.queue_redeem("extra-shot")
        delivered = await asyncio.gather(
            app.session.sync("manual"), app.session.check_me(), app.session.deliver(item.id)
        )
        assert syncs.count == 5 and syncs.most == 1
        assert delivered[2][0].status == "done"
        await app.session.aclose()

    asyncio.run(scenario())


def test_redeem_says_so_at_once_then_shows_the_servers_answer_without_a_whole_sync(
    module_server, tmp_path, monkeypatch
):
    async def scenario() -> None:
        app = make_state(module_server.base_url, tmp_path / "phone")
        await app.start()
        await app.try_demo()
        before = app.me.balance
        said_before_network: list[str | None] = []
        deliver = app.session.deliver

        async def watched(intent_id: int):  # noqa: ANN202
            said_before_network.append(app.notice)
            assert [i.payload["reward_id"] for i in app.pending] == ["oat-milk"]
            return await deliver(intent_id)

        app.session.deliver = watched
        pulls = Spy(monkeypatch, SyncEngine, "pull")
        pushes = Spy(monkeypatch, SyncEngine, "push")
        assert await app.redeem("oat-milk") == "done"
        assert said_before_network == ["rewards.redeeming"]
        assert pushes.count == 1 and pulls.count == 0  # pushed; no resource pulled
        assert app.notice == "rewards.done_voucher"
        code = app.notice_values["code"]
        assert app.me.balance == before - 200 and app.pending == []
        assert app.vouchers[0].code == code and app.vouchers[0].reward_id == "oat-milk"
        await app.refresh("redeem")  # the rest; the server agrees with what was shown
        assert app.me.balance == before - 200
        assert any(v.code == code for v in app.vouchers)

        # Offline (the last sync could not reach the server): "Queued" at once, and still
        # queued after the attempt. Port 9 on loopback: nothing listens there.
        await app.session.aclose()
        app = make_state("http://127.0.0.1:9", tmp_path / "phone")
        app.reload_from_store()
        app.phase, app.connectivity = "signed_in", "offline"
        deliver = app.session.deliver
        app.session.deliver = watched
        said_before_network.clear()
        assert await app.redeem("oat-milk") == "pending"
        assert said_before_network == ["rewards.queued"] and app.notice == "rewards.queued"
        await app.session.aclose()

    asyncio.run(scenario())


def test_a_redeems_answer_does_not_follow_a_member_who_left_the_tab(tmp_path):
    """The answer to a redeem replaces "Queued"/"Redeeming…" only while that still shows:
    a member who went to another tab meanwhile does not get it there (the gallery saw the
    answer land on the Rewards tab after the member had moved on). Offline: port 9 on
    loopback, where nothing listens."""

    async def scenario() -> None:
        app = make_state("http://127.0.0.1:9", tmp_path / "phone")
        app.session.store.set_meta("member_id", "m-1")  # signed in, as far as the store says
        app.phase, app.connectivity = "signed_in", "offline"
        app.navigated("/rewards/oat-milk")
        deliver = app.session.deliver

        async def leaving(intent_id: int):  # noqa: ANN202
            assert app.notice == "rewards.queued"
            app.navigated("/points")  # the member taps Points while the push is tried
            return await deliver(intent_id)

        app.session.deliver = leaving
        assert await app.redeem("oat-milk") == "pending"
        assert app.notice is None and app.location == "/points"
        assert [i.payload["reward_id"] for i in app.pending] == ["oat-milk"]  # still queued
        await app.session.aclose()

    asyncio.run(scenario())


def test_a_redeem_does_not_wait_for_a_slow_sync_and_the_next_sync_reads_after_it(
    module_server, till, tmp_path
):
    """The redeem that hung: a sync (or a card poll) waiting on a slow answer held the
    session's lock, and the redeem's push queued behind it ("Redeeming…" and nothing more).
    Here GET /v1/rewards is held at a proxy while a sync runs: the redeem is answered all
    the same, and the refresh after it does not show the balance that sync read before it."""

    async def scenario(proxy: HeldProxy) -> None:
        app = make_state(proxy.base_url, tmp_path / "phone")
        await app.start()
        await app.try_demo()
        # A credit at the till, so the held sync reads a new balance (before the redeem).
        credited = await asyncio.to_thread(till.credit, "12.00", member_number=app.me.number)
        assert credited.status_code == 201, credited.text
        proxy.hold("GET", "/v1/rewards")
        slow_sync = asyncio.create_task(app.refresh("manual"))
        try:
            await asyncio.to_thread(proxy.wait_held, 1)
            assert app.session.syncing
            status = await asyncio.wait_for(app.redeem("oat-milk"), timeout=10)
            assert status == "done" and app.notice == "rewards.done_voucher"
            spent = app.me.balance
            code = app.notice_values["code"]
            after = asyncio.create_task(app.refresh("redeem"))  # what the screen does next
        finally:
            proxy.release()
        await slow_sync
        await after
        assert app.me.balance == spent  # not the balance the slow sync read before
        assert any(v.code == code for v in app.vouchers)
        await app.session.aclose()

    with HeldProxy(module_server.base_url) as proxy:
        asyncio.run(scenario(proxy))


def test_the_card_picks_up_a_credit_at_the_till_without_a_refresh(
    module_server, till, tmp_path, monkeypatch
):
    period = state_module.CARD_POLL_SECONDS

    async def scenario() -> None:
        app = make_state(module_server.base_url, tmp_path / "phone")
        await app.start()
        await app.try_demo()
        before = app.me.balance
        refreshes = Spy(monkeypatch, AppState, "refresh")
        watching = asyncio.create_task(app.watch_card())  # what the card screen runs
        try:
            token, _ = await app.session.card_token()
            credited_at = time.monotonic()
            reply = await asyncio.to_thread(till.credit, "12.00", token=token)
            assert reply.status_code == 201, reply.text
            deadline = credited_at + period + 3.0  # one poll period, and its sync
            while app.me.balance == before and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # looking at the state, not waiting for time
            took = time.monotonic() - credited_at
            assert app.me.balance > before, f"no credit seen after {took:.1f} s"
            assert all(call[0][1:] == ("poll",) for call in refreshes.calls)
        finally:
            watching.cancel()
        await app.session.aclose()

    asyncio.run(scenario())


def test_callers_at_start_share_one_api_client_and_one_sync_engine(module_server, tmp_path):
    """An app started signed in reads its tokens from the keyring before it makes its API
    client; everything asking for the client meanwhile (at start: the programme's pictures,
    the first sync, the card) waits for that one. Each used to make its own: a TLS context
    and a keyring read pair apiece on the UI's loop (about a third of the busy time of a
    launch, bench_launch.py profiled), clients never closed, and sync engines of their own,
    each with its own one-push-at-a-time lock."""

    async def signed_in(folder) -> AppState:  # noqa: ANN001
        app = make_state(module_server.base_url, folder)
        await app.start()
        await app.try_demo()
        await app.session.aclose()
        return make_state(module_server.base_url, folder)  # a new start, signed in

    async def scenario() -> None:
        app = await signed_in(tmp_path / "phone")
        session = app.session
        clients = await asyncio.gather(*(session.api() for _ in range(12)))
        assert all(c is clients[0] for c in clients)
        engines = await asyncio.gather(*(session.engine() for _ in range(6)))
        assert all(e is engines[0] for e in engines) and engines[0].api is clients[0]
        await session.aclose()

    asyncio.run(scenario())
