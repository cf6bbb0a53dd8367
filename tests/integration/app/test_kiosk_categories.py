"""What was bought, named at the till, against the real server: the categories the cashier
taps go with the credit (and with a credit queued offline), an offer for one category pays
only when it is chosen, and the "try three categories" challenge is reached over purchases.
The kiosk's state keeps the amount's keys to the amount and starts every purchase with no
category chosen."""

from __future__ import annotations

import asyncio

import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import KioskError, KioskSession
from loyalty_app.ui.kiosk.state import KioskState
from tests.support.loyalty_http import sign_in
from tests.support.programmes import category_programme
from tests.support.secret_service import needs_secret_service
from tests.support.servers import add_staff

pytestmark = needs_secret_service

PIN = "2468"
CATEGORIES = ["drinks", "food", "merchandise", "experiences"]


@pytest.fixture(scope="module")
def server_options(tmp_path_factory) -> dict:
    return {"programme": category_programme(tmp_path_factory.mktemp("programme"))}


async def ready_kiosk(server, folder) -> KioskSession:  # noqa: ANN001
    kiosk = KioskSession(server.base_url, folder, KeyringSecretStore())
    await kiosk.set_up(add_staff(server.database_url, "Ana Souza"), PIN)
    await kiosk.sync()
    return kiosk


def explorer(member) -> tuple[int, bool]:  # noqa: ANN001
    """How many categories the member has bought from, and whether the badge is earned."""
    reply = member.get("/v1/me/badges")
    assert reply.status_code == 200, reply.text
    badge = {b["id"]: b for b in reply.json()["items"]}["explorer"]
    return badge["reached"], badge["earned_at"] is not None


def offer_bonuses(member) -> list[int]:  # noqa: ANN001
    return [e["amount"] for e in member.ledger() if e["reason"] == "offer_bonus"]


def test_categories_go_with_each_credit_and_three_earn_the_explorer_badge(
    module_server, client, smtp, tmp_path
):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path / "kiosk")
        assert [c.id for c in kiosk.categories()] == CATEGORIES

        async def buy(*categories: str):  # noqa: ANN202
            ref = await kiosk.scan(member.member_number, source="typed")
            outcome = await kiosk.credit(ref, "4.50", categories)
            assert outcome.status == "done", outcome.intent
            return outcome

        first = await buy("drinks")
        assert first.categories == ("drinks",)
        assert explorer(member) == (1, False)
        # Tapped food first: sent in the programme's order, and counted once each.
        second = await buy("food", "drinks")
        assert second.categories == ("drinks", "food")
        assert explorer(member) == (2, False)
        none = await buy()
        assert none.categories == () and "categories" not in none.intent.payload
        assert explorer(member) == (2, False)
        await buy("merchandise")
        assert explorer(member) == (3, True)
        lines = [(e["reason"], e["amount"]) for e in member.ledger() if e["kind"] == "bonus"]
        assert ("challenge_completed", 150) in lines
        await kiosk.aclose()

    asyncio.run(scenario())


def test_a_category_offer_pays_only_when_its_category_is_chosen(
    module_server, client, smtp, tmp_path
):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path / "kiosk")
        for categories in [(), ("drinks",), ("merchandise", "experiences")]:
            ref = await kiosk.scan(member.member_number, source="typed")
            outcome = await kiosk.credit(ref, "6.00", categories)
            assert outcome.status == "done" and outcome.result.offers == (), categories
        assert offer_bonuses(member) == []

        ref = await kiosk.scan(member.member_number, source="typed")
        paid = await kiosk.credit(ref, "6.00", ["drinks", "food"])
        assert [(o.offer_id, o.points) for o in paid.result.offers] == [("food-bonus", 50)]
        assert offer_bonuses(member) == [50]
        await kiosk.aclose()

    asyncio.run(scenario())


def test_an_offline_credit_keeps_its_categories_across_a_restart_and_sends_them(
    module_server, client, smtp, tmp_path
):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        folder = tmp_path / "kiosk"
        kiosk = await ready_kiosk(module_server, folder)
        module_server.stop()
        try:
            ref = await kiosk.scan(member.member_number, source="typed")
            assert ref.offline
            # Offline, the chips still come from the last catalogue the kiosk stored.
            assert [c.id for c in kiosk.categories()] == CATEGORIES
            outcome = await kiosk.credit(ref, "8.00", ["experiences", "food", "drinks"])
            assert outcome.status == "pending"
            assert outcome.categories == ("drinks", "food", "experiences")
            await kiosk.aclose()
            # The till is restarted while still offline: the queued credit keeps them.
            kiosk = KioskSession(module_server.base_url, folder, KeyringSecretStore())
            (queued,) = kiosk.status().pending
            assert queued.payload["categories"] == ["drinks", "food", "experiences"]
        finally:
            module_server.start()
        await kiosk.sync()
        assert kiosk.status().pending == [] and kiosk.status().rejected == []
        assert offer_bonuses(member) == [50]
        assert explorer(member) == (3, True)
        await kiosk.aclose()

    asyncio.run(scenario())


def test_a_category_the_programme_does_not_have_is_refused_and_nothing_queued(
    module_server, client, smtp, tmp_path
):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path / "kiosk")
        ref = await kiosk.scan(member.member_number, source="typed")
        with pytest.raises(KioskError) as bad:
            await kiosk.credit(ref, "4.50", ["drinks", "pastries"])
        assert bad.value.kind == "unknown_category"
        assert kiosk.store.pending_intents() == [] and member.balance() == 0
        await kiosk.aclose()

    asyncio.run(scenario())


def test_the_chips_at_the_till_leave_the_amount_alone_and_are_cleared_after_each_purchase(
    module_server, client, smtp, tmp_path
):
    member = sign_in(client, smtp)

    async def press(state: KioskState, keys: str) -> None:
        for key in keys:
            await state.key_pressed(key)

    async def scenario() -> None:
        state = KioskState(
            session=KioskSession(module_server.base_url, tmp_path / "k", KeyringSecretStore())
        )
        await state.start()
        await state.set_up(add_staff(module_server.database_url, "Ana Souza"), PIN, PIN)
        assert [c.id for c in state.category_choices()] == CATEGORIES
        state.toggle_category("food")  # no member on screen: nothing to mark
        assert state.categories == ()

        await state.submit_scan(member.member_number)
        assert state.phase == "member" and state.categories == ()  # none chosen at first
        await press(state, "4.")
        state.toggle_category("food")
        state.toggle_category("drinks")
        state.toggle_category("pastries")  # not the programme's: nothing changes
        await press(state, "50")
        assert (state.amount, state.categories) == ("4.50", ("drinks", "food"))
        state.toggle_category("drinks")  # tapped again: off
        await state.key_pressed("Enter")
        assert state.phase == "credited" and state.error is None
        assert state.last_credit.categories == ("food",)
        assert [o.offer_id for o in state.last_credit.result.offers] == ["food-bonus"]
        assert state.categories == ()  # the next purchase starts afresh

        # A refused amount keeps the chips (nothing was booked); cancel clears them.
        state.reset()
        await state.submit_scan(member.member_number)
        state.toggle_category("merchandise")
        await press(state, "4..5")
        await state.key_pressed("Enter")
        assert state.error == "amount_not_a_number" and state.categories == ("merchandise",)
        state.reset()
        assert state.categories == () and state.amount == ""

        # Left alone, the till goes back to the start and forgets the choice.
        await state.submit_scan(member.member_number)
        state.toggle_category("experiences")
        assert state.idle_check(now=state.activity.last + state.idle_seconds)
        assert state.phase == "attract" and state.categories == ()
        assert offer_bonuses(member) == [50]
        await state.session.aclose()

    asyncio.run(scenario())
