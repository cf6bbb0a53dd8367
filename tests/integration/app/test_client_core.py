"""The client core against the real server: sign-in, sync, the card at the till, offline
queueing across a killed client, conditional re-sync, and faults that leave nothing lost."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import keyring
import pytest
import zxingcpp
from PIL import Image

from loyalty_app.api.client import LoyaltyApi
from tests.support.servers import add_staff

pytestmark = pytest.mark.skipif(
    "SecretService"
    not in type(keyring.get_keyring()).__module__ + type(keyring.get_keyring()).__name__,
    reason="needs a real Secret Service: run the suite with `python3 dev.py test`",
)


def member(backend: str, data_dir: Path, *args: str, check: bool = True) -> dict:
    """Run the real `loyalty-member` CLI in its own process and parse its JSON."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "loyalty_app.cli",
            "--backend",
            backend,
            "--data-dir",
            str(data_dir),
            "--json",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check:
        assert proc.returncode == 0, proc.stderr + proc.stdout
    out = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
    out["_stderr"] = proc.stderr
    out["_rc"] = proc.returncode
    return out


def staff_scan(base_url: str, staff: str, token: str) -> httpx.Response:
    return httpx.post(
        f"{base_url}/v1/checkout/scan",
        json={"token": token},
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    )


def test_card_png_decodes_to_a_token_the_till_accepts_once(demo_server, tmp_path):
    base = demo_server.base_url
    member(base, tmp_path, "sign-in", "--demo")
    png = tmp_path / "card.png"
    card = member(base, tmp_path, "card", "--png", str(png))
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.read_bytes())))
    assert [d.text for d in decoded] == [card["token"]]
    staff = add_staff(demo_server.database_url, "Ana Souza")
    first = staff_scan(base, staff, decoded[0].text)
    assert first.status_code == 200, first.text
    assert first.json()["display_name"] == "Mei L."
    again = staff_scan(base, staff, decoded[0].text)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/token-replayed"


def test_sign_in_by_emailed_code_then_status(server, smtp, tmp_path):
    base, email = server.base_url, "kai.tanaka@example.org"
    mark = smtp.mark()
    sent = member(base, tmp_path, "sign-in", email)
    assert sent["code_sent"] is True
    code = smtp.wait_for_code(email, after=mark)
    signed = member(base, tmp_path, "sign-in", email, "--code", code, "--name", "Kai Tanaka")
    assert signed["new_member"] is True and signed["synced"] is True
    status = member(base, tmp_path, "status")
    assert status["name"] == "Kai Tanaka" and status["balance"] == 0
    assert status["tier"] == "green" and status["offline"] is False
    assert set(status["last_synced"]) >= {"me", "rewards", "tier_progress", "vouchers"}


def test_second_sync_with_nothing_changed_is_all_304(demo_server, tmp_path):
    base = demo_server.base_url
    member(base, tmp_path, "sign-in", "--demo")
    again = member(base, tmp_path, "sync")
    assert again["connectivity"] == "online"
    assert again["requests"] == again["not_modified"] == 11


def _balance(base: str, data_dir: Path) -> int:
    return member(base, data_dir, "status")["balance"]


def test_offline_redeem_survives_a_killed_client_and_posts_exactly_once(demo_server, tmp_path):
    base = demo_server.base_url
    member(base, tmp_path, "sign-in", "--demo")
    before = _balance(base, tmp_path)
    rewards = member(base, tmp_path, "rewards")["items"]
    reward = next(r for r in rewards if r["cost"] <= before and r["min_tier"] is None)

    demo_server.stop()
    offline = member(base, tmp_path, "status")
    assert offline["offline"] is True and offline["balance"] == before
    assert member(base, tmp_path, "rewards")["items"] == rewards
    card = member(base, tmp_path, "card")
    assert card["token"].startswith("HBR:")

    # Queue the redeem in a client process that is killed -9 right after the queue commit.
    script = textwrap.dedent(f"""
        import asyncio, os, signal
        from loyalty_app.session import MemberSession
        from loyalty_app.auth.secrets import KeyringSecretStore
        async def go():
            core = MemberSession({base!r}, {str(tmp_path)!r}, KeyringSecretStore())
            from datetime import UTC, datetime
            core.store.add_intent("redeem", {{"reward_id": {reward["id"]!r}}}, datetime.now(UTC))
            os.kill(os.getpid(), signal.SIGKILL)
        asyncio.run(go())
    """)
    killed = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert killed.returncode == -9
    queued = member(base, tmp_path, "status")
    assert [i["kind"] for i in queued["pending_intents"]] == ["redeem"]

    demo_server.start()
    synced = member(base, tmp_path, "sync")
    assert synced["pending"] == 0 and synced["rejected"] == 0
    after = member(base, tmp_path, "status")
    assert after["balance"] == before - reward["cost"]
    # A second sync must not spend again.
    member(base, tmp_path, "sync")
    assert _balance(base, tmp_path) == before - reward["cost"]
    vouchers = member(base, tmp_path, "vouchers")["items"]
    assert (
        sum(1 for v in vouchers if v["reward_id"] == reward["id"] and v["status"] == "usable") == 1
    )


def test_redeem_delivered_but_client_killed_before_marking_done_spends_once(demo_server, tmp_path):
    base = demo_server.base_url
    member(base, tmp_path, "sign-in", "--demo")
    before = _balance(base, tmp_path)
    reward = next(
        r
        for r in member(base, tmp_path, "rewards")["items"]
        if r["cost"] <= before and r["min_tier"] is None
    )
    # The server applies the redeem, then the client dies before recording the answer.
    script = textwrap.dedent(f"""
        import asyncio, os, signal
        from datetime import UTC, datetime
        from loyalty_app.session import MemberSession
        from loyalty_app.auth.secrets import KeyringSecretStore
        async def go():
            core = MemberSession({base!r}, {str(tmp_path)!r}, KeyringSecretStore())
            intent = core.store.add_intent("redeem", {{"reward_id": {reward["id"]!r}}},
                                           datetime.now(UTC))
            api = await core.api()
            await api.redeem(intent.payload["reward_id"], intent.idempotency_key)
            os.kill(os.getpid(), signal.SIGKILL)
        asyncio.run(go())
    """)
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == -9
    member(base, tmp_path, "sync")
    assert _balance(base, tmp_path) == before - reward["cost"]


def test_rejected_redeem_is_reported_and_the_queue_moves_on(demo_server, tmp_path):
    base = demo_server.base_url
    member(base, tmp_path, "sign-in", "--demo")
    rewards = member(base, tmp_path, "rewards")["items"]
    too_dear = max(rewards, key=lambda r: r["cost"])
    out = member(base, tmp_path, "redeem", too_dear["id"], check=False)
    assert out["_rc"] == 1 and out["status"] == "rejected"
    status = member(base, tmp_path, "status")
    assert len(status["rejected_intents"]) == 1
    assert status["pending_intents"] == []


def test_sign_out_wipes_local_data_and_secrets_even_offline(demo_server, tmp_path):
    base = demo_server.base_url
    signed = member(base, tmp_path, "sign-in", "--demo")
    demo_server.stop()
    out = member(base, tmp_path, "sign-out")
    assert out["signed_out"] is True and out["server_confirmed"] is False
    for what in ("access_token", "refresh_token", "card_secret"):
        assert keyring.get_password("loyalty-app", f"member:{signed['member_id']}:{what}") is None
    gone = member(base, tmp_path, "status", check=False)
    assert gone["_rc"] == 3 and "not signed in" in gone["_stderr"]


# --- faults a real server cannot be made to show: a raw socket server on loopback ----------


async def _fault_server(answer: bytes, stall: bool = False):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)
        await writer.drain()
        if stall:
            await asyncio.sleep(30)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


@pytest.mark.parametrize(
    "answer,stall,connectivity",
    [
        (b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 2\r\n\r\n{}", False, "online"),
        (
            b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\n"
            b'{"bro',
            False,
            "online",
        ),
        (
            b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n"
            b'{"voucher": ',
            True,
            "offline",
        ),
    ],
)
def test_faults_leave_the_intent_pending_with_a_clear_state(tmp_path, answer, stall, connectivity):
    from datetime import UTC, datetime

    from loyalty_app.store.store import Store
    from loyalty_app.sync.engine import SyncEngine

    async def scenario() -> None:
        server, url = await _fault_server(answer, stall)
        store = Store.open(tmp_path / "s.db")
        intent = store.add_intent("redeem", {"reward_id": "oat-milk"}, datetime.now(UTC))
        async with LoyaltyApi(url, timeout=1.0) as api:
            state = await SyncEngine(api, store).sync("manual")
        server.close()
        assert state.connectivity == connectivity
        assert state.last_error
        kept = store.get_intent(intent.id)
        assert kept.status == "pending" and kept.attempts == 1
        assert kept.idempotency_key == intent.idempotency_key
        store.close()

    asyncio.run(scenario())


def test_truncated_store_is_moved_aside_and_sync_rebuilds_it(demo_server, tmp_path):
    base = demo_server.base_url
    signed = member(base, tmp_path, "sign-in", "--demo")
    db = next(p for p in tmp_path.iterdir() if p.suffix == ".db")
    db.write_bytes(db.read_bytes()[:100])
    for extra in tmp_path.glob("*.db-*"):
        os.remove(extra)
    out = member(base, tmp_path, "status", check=False)
    assert out["_rc"] == 3  # the session's meta went with the broken file: sign in again
    assert "signed out" in out["_stderr"]  # the one sentence, and the orphaned session ended:
    for what in ("access_token", "refresh_token", "card_secret"):
        assert keyring.get_password("loyalty-app", f"member:{signed['member_id']}:{what}") is None
    assert any(p.name.startswith(db.name + ".corrupt-") for p in tmp_path.iterdir())
    member(base, tmp_path, "sign-in", "--demo")
    assert member(base, tmp_path, "status")["balance"] > 0
