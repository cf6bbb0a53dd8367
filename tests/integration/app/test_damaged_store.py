"""A damaged store on disk, against the real server and the real Secret Service: the member's
queued redeem survives a truncated file, pages overwritten in the middle or a garbage header
and is delivered exactly once, and the member is told in one sentence; a store that cannot be
read at all ends the session it held on the server (tokens and card) and deletes its keyring
entries; a till's queued credits survive a damaged kiosk store."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import time
from pathlib import Path

import httpx
import keyring
import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.i18n import LANGUAGES
from loyalty_app.session import KioskSession, MemberSession, Prefs
from loyalty_app.ui.layout import notice_text
from loyalty_app.ui.state import AppState
from loyalty_core.card.token import CardCredential, make_token
from tests.support.loyalty_http import client_for, sign_in
from tests.support.secret_service import needs_secret_service
from tests.support.servers import add_staff

pytestmark = needs_secret_service

SERVICE = "loyalty-app"
PAGE = 4096


def make_state(base_url: str, data: Path) -> AppState:
    session = MemberSession(base_url, data, KeyringSecretStore())
    return AppState(session=session, prefs=Prefs(data / "prefs.json"))


def _entries(member_id: str) -> dict[str, str | None]:
    return {
        what: keyring.get_password(SERVICE, f"member:{member_id}:{what}")
        for what in ("access_token", "refresh_token", "card_secret")
    }


def _keyring_items_naming(member_id: str) -> list[str]:
    """Every entry of the app's service in the Secret Service whose name or value names the
    member (its tokens, its card secret, the data folder's note of whose session it holds)."""
    collection = keyring.get_keyring().get_preferred_collection()
    found = []
    for item in collection.get_all_items():
        attributes = item.get_attributes()
        if attributes.get("service") != SERVICE:
            continue
        name = attributes.get("username", "")
        if member_id in name or member_id in item.get_secret().decode("utf-8", "replace"):
            found.append(name)
    return found


def _roots(db: Path) -> set[int]:
    """The pages holding the meta and outbox tables and their indexes."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as raw:
        rows = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('meta', 'intents')"
        ).fetchall()
    raw.close()
    return {row[0] for row in rows}


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # a copy or a disk that stopped half way


def _overwrite_middle(db: Path) -> None:
    data = bytearray(db.read_bytes())
    # Every page after the outbox's and meta's own up to the last two (1-based, inclusive):
    # the snapshots' pages. A damaged page of the outbox itself loses what it held.
    first, last = max(_roots(db)) + 1, len(data) // PAGE - 2
    assert last - first >= 3
    data[(first - 1) * PAGE : last * PAGE] = os.urandom((last - first + 1) * PAGE)
    db.write_bytes(bytes(data))


def _garbage_header(db: Path) -> None:
    with open(db, "r+b") as file:
        file.write(os.urandom(100))


@pytest.mark.parametrize("damage", [_truncate, _overwrite_middle, _garbage_header])
def test_a_damaged_store_keeps_the_queued_redeem_delivers_it_once_and_says_so(
    demo_server, tmp_path, damage
):
    data = tmp_path / "data"

    async def journey() -> None:
        app = make_state(demo_server.base_url, data)
        await app.start()
        await app.try_demo()
        assert app.phase == "signed_in"
        before = app.me.balance
        cost = next(r.cost for r in app.catalogue.items if r.id == "extra-shot")
        demo_server.stop()
        assert await app.redeem("extra-shot") == "pending"
        (queued,) = app.pending
        await app.session.aclose()

        db = data / "member.db"
        assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
        assert db.stat().st_size > 12 * PAGE  # a real member's store: the catalogue and all
        damage(db)

        again = make_state(demo_server.base_url, data)
        await again.start()  # still offline
        assert again.phase == "signed_in"
        assert again.notice == "store.repaired_kept"
        for lang in LANGUAGES:
            sentence = notice_text(lang, again.notice, again.notice_values)
            assert sentence and "{" not in sentence and sentence != again.notice
        assert [(i.kind, i.payload, i.idempotency_key) for i in again.pending] == [
            ("redeem", {"reward_id": "extra-shot"}, queued.idempotency_key)
        ]

        demo_server.start()
        await again.refresh()
        await again.refresh()
        assert again.pending == [] and again.rejected == []
        assert again.me.balance == before - cost
        assert sum(v.reward_id == "extra-shot" for v in again.vouchers) == 1
        await again.session.aclose()

        third = make_state(demo_server.base_url, data)
        await third.start()
        assert third.notice is None  # told once
        await third.session.aclose()

    asyncio.run(journey())


def test_an_outbox_read_without_its_session_meta_is_sent_for_the_right_member(
    demo_server, tmp_path
):
    """The meta's pages are gone, the outbox's are not: the keyring's note for this data
    folder says whose session it was, so the session (and its card) carry on."""
    data = tmp_path / "data"

    async def journey() -> None:
        app = make_state(demo_server.base_url, data)
        await app.start()
        await app.try_demo()
        member_id, before = app.session.member_id, app.me.balance
        card = await app.session.card_credential()
        cost = next(r.cost for r in app.catalogue.items if r.id == "extra-shot")
        demo_server.stop()
        assert await app.redeem("extra-shot") == "pending"
        await app.session.aclose()

        db = data / "member.db"
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as raw:
            meta_pages = [
                row[0]
                for row in raw.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'meta'")
            ]
        raw.close()
        with open(db, "r+b") as file:
            for page in meta_pages:
                file.seek((page - 1) * PAGE)
                file.write(os.urandom(PAGE))

        again = make_state(demo_server.base_url, data)
        recovery = again.session.store.recovery
        assert recovery.readable and recovery.meta == () and recovery.intents == 1
        await again.start()
        assert again.phase == "signed_in" and again.notice == "store.repaired_kept"
        assert again.session.member_id == member_id
        assert await again.session.card_credential() == card
        assert [i.payload["reward_id"] for i in again.pending] == ["extra-shot"]
        demo_server.start()
        await again.refresh()
        assert again.pending == [] and again.me.balance == before - cost
        await again.session.aclose()

    asyncio.run(journey())


def _till_scan(base: str, staff: str, token: str) -> httpx.Response:
    return httpx.post(
        f"{base}/v1/checkout/scan",
        json={"token": token},
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    )


def test_an_unreadable_store_ends_its_session_and_card_and_wipes_their_secrets(
    demo_server, tmp_path
):
    data = tmp_path / "data"
    base = demo_server.base_url
    staff = add_staff(demo_server.database_url, "Ana Souza")

    async def journey() -> tuple[str, dict[str, str | None], CardCredential]:
        app = make_state(base, data)
        await app.start()
        await app.try_demo()
        member_id = app.session.member_id
        old = _entries(member_id)
        assert all(old.values())
        card = await app.session.card_credential()
        await app.session.aclose()
        # Until now the card works at the till.
        assert _till_scan(base, staff, make_token(card, time.time() - 30)).status_code == 200

        db = data / "member.db"
        db.write_bytes(os.urandom(db.stat().st_size))

        # Offline at first: the member is told; the secrets wait for the server.
        demo_server.stop()
        offline = make_state(base, data)
        await offline.start()
        assert offline.phase == "signed_out" and offline.notice == "store.lost"
        assert _entries(member_id) == old
        await offline.session.aclose()

        demo_server.start()
        online = make_state(base, data)
        await online.start()
        assert online.phase == "signed_out" and online.notice is None  # said once already
        assert _entries(member_id) == dict.fromkeys(old)
        assert _keyring_items_naming(member_id) == []
        await online.session.aclose()
        return member_id, old, card

    member_id, old, card = asyncio.run(journey())
    assert _keyring_items_naming(member_id) == []

    refreshed = httpx.post(
        f"{base}/v1/auth/refresh", json={"refresh_token": old["refresh_token"]}, timeout=10
    )
    assert refreshed.status_code == 401, refreshed.text
    me = httpx.get(
        f"{base}/v1/me", headers={"Authorization": f"Bearer {old['access_token']}"}, timeout=10
    )
    assert me.status_code == 401, me.text
    scanned = _till_scan(base, staff, make_token(card, time.time()))
    assert scanned.status_code == 422 and scanned.json()["type"] == "/problems/card-revoked"


def test_a_damaged_kiosk_store_keeps_the_queued_credits_it_can_read(server, smtp, tmp_path):
    client = client_for(server)
    members = [sign_in(client, smtp) for _ in range(2)]
    folder = tmp_path / "kiosk"

    async def scenario() -> list[str]:
        kiosk = KioskSession(server.base_url, folder, KeyringSecretStore())
        await kiosk.set_up(add_staff(server.database_url, "Ana Souza"), "2468")
        await kiosk.sync()
        server.stop()
        for member, amount in zip(members, ("12.50", "4.00"), strict=True):
            ref = await kiosk.scan(member.card_token())
            assert ref.offline
            assert (await kiosk.credit(ref, amount)).status == "pending"
        keys = [i.idempotency_key for i in kiosk.status().pending]
        await kiosk.aclose()
        db = folder / "kiosk.db"
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
        _garbage_header(db)

        again = KioskSession(server.base_url, folder, KeyringSecretStore())
        assert [i.idempotency_key for i in again.status().pending] == keys
        assert await again.is_set_up()  # its settings were read too: no new set-up
        server.start()
        await again.sync()
        await again.sync()
        assert again.status().pending == [] and again.status().rejected == []
        await again.aclose()
        return keys

    asyncio.run(scenario())
    assert [m.balance() for m in members] == [125, 40]
    client.close()
