"""The card secret read ahead at launch, in a worker thread, from the real OS keyring: the
card it makes is the one the till accepts, and nothing breaks when there is nothing to read.

At launch (`run.py`) the app reads the card this way while the browser loads its client, so
the card screen's first frame carries the QR instead of a spinner.
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx

from loyalty_app.auth.secrets import FletSecureStorageStore, KeyringSecretStore
from loyalty_app.session import MemberSession
from tests.integration.app.test_keyring import FakeSecureStorage
from tests.support.secret_service import needs_secret_service
from tests.support.servers import add_staff

pytestmark = needs_secret_service


def _in_a_thread(call):  # noqa: ANN001, ANN202
    """Runs ``call`` in a thread of its own, as the app's warm-up thread does."""
    result: dict = {}
    worker = threading.Thread(target=lambda: result.setdefault("value", call()))
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the read did not finish"
    return result["value"]


def test_a_card_read_in_a_worker_thread_is_the_card_the_till_accepts(demo_server, tmp_path):
    base = demo_server.base_url
    staff = add_staff(demo_server.database_url, "Ana Souza")

    async def sign_in() -> None:
        async with MemberSession(base, tmp_path, KeyringSecretStore()) as member:
            await member.demo_sign_in("phone")

    asyncio.run(sign_in())

    # The next launch: a new session on the same device, nothing in memory yet.
    member = MemberSession(base, tmp_path, KeyringSecretStore())
    now = time.time()
    assert member.card_token_now(now) is None
    assert _in_a_thread(member.read_card_blocking) is True
    token, seconds = member.card_token_now(now)
    assert 0 < seconds <= 30

    async def then() -> tuple[str, float]:
        # The screens' own (awaited) read gives the same card, without a second read.
        try:
            return await member.card_token(now)
        finally:
            await member.aclose()

    assert asyncio.run(then()) == (token, seconds)
    scanned = httpx.post(
        f"{base}/v1/checkout/scan",
        json={"token": token},
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    )
    assert scanned.status_code == 200, scanned.text


def test_nothing_to_read_ahead_is_quiet(demo_server, tmp_path):
    # Signed out: no member, so no secret name to read.
    signed_out = MemberSession(demo_server.base_url, tmp_path / "out", KeyringSecretStore())
    assert _in_a_thread(signed_out.read_card_blocking) is False
    assert signed_out.card_token_now(time.time()) is None
    asyncio.run(signed_out.aclose())

    # A phone's secure storage is reached through the page: there is no blocking read, so
    # the card is left to the screens' own read.
    storage = FakeSecureStorage()
    phone_dir = tmp_path / "phone"

    async def sign_in_on_a_phone() -> None:
        async with MemberSession(
            demo_server.base_url, phone_dir, FletSecureStorageStore(storage)
        ) as member:
            await member.demo_sign_in("phone")

    asyncio.run(sign_in_on_a_phone())
    assert storage.data  # the card secret is there
    phone = MemberSession(demo_server.base_url, phone_dir, FletSecureStorageStore(storage))
    assert phone.read_card_blocking() is False
    assert phone.card_token_now(time.time()) is None
    asyncio.run(phone.aclose())


def test_the_keyring_answers_a_blocking_read_from_any_thread(tmp_path):
    store = KeyringSecretStore("loyalty-app-test-read-ahead")

    async def put() -> None:
        await store.set("card", "JBSWY3DPEHPK3PXP")

    asyncio.run(put())
    try:
        assert _in_a_thread(lambda: store.get_blocking("card")) == "JBSWY3DPEHPK3PXP"
        assert _in_a_thread(lambda: store.get_blocking("nothing-here")) is None
    finally:
        asyncio.run(store.delete("card"))
