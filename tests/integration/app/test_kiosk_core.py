"""The kiosk core against the real server: set-up, scans, credits (online and offline),
vouchers, voids and joins; every bad input refused with nothing credited.

The tests share `module_server`; those that stop it start it again."""

from __future__ import annotations

import asyncio
import time

import pytest

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import KioskError, KioskSession
from loyalty_core.member_number import luhn_check_digit
from tests.support.loyalty_http import sign_in
from tests.support.secret_service import needs_secret_service
from tests.support.servers import add_staff

pytestmark = needs_secret_service


async def ready_kiosk(server, tmp_path) -> KioskSession:
    kiosk = KioskSession(server.base_url, tmp_path / "kiosk", KeyringSecretStore())
    staff = await kiosk.set_up(add_staff(server.database_url, "Ana Souza"), "2468")
    assert staff.store == "Harbor Coffee Pier 7"
    await kiosk.sync()
    return kiosk


def test_set_up_refuses_a_bad_credential_or_pin_and_keeps_nothing(module_server, tmp_path):
    async def scenario() -> None:
        kiosk = KioskSession(module_server.base_url, tmp_path / "k", KeyringSecretStore())
        with pytest.raises(KioskError) as bad:
            await kiosk.set_up("stf_not-a-real-credential", "2468")
        assert bad.value.kind == "bad_credential"
        with pytest.raises(KioskError) as pin:
            await kiosk.set_up(add_staff(module_server.database_url, "Bo"), "12")
        assert pin.value.kind == "bad_pin_format"
        assert not await kiosk.is_set_up()
        await kiosk.aclose()

    asyncio.run(scenario())


def test_scan_credit_and_replay_at_the_till(module_server, client, smtp, tmp_path):
    member = sign_in(client, smtp, name="Priya Natarajan")

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        assert await kiosk.is_set_up() and await kiosk.check_pin("2468")
        assert not await kiosk.check_pin("0000")
        token = member.card_token()
        ref = await kiosk.scan(token)
        assert ref.summary.display_name == "Priya N." and not hasattr(ref.summary, "email")
        outcome = await kiosk.credit(ref, "12.50")
        assert outcome.status == "done" and outcome.result.points == 125
        assert member.balance() == 125
        with pytest.raises(KioskError) as again:
            await kiosk.scan(token)
        assert again.value.kind == "token-replayed"
        # Void needs the PIN.
        with pytest.raises(KioskError):
            await kiosk.void(outcome.result.credit_id, "1111")
        voided = await kiosk.void(outcome.result.credit_id, "2468")
        assert voided.balance == 0 and member.balance() == 0
        await kiosk.aclose()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "amount,kind",
    [
        ("-5", "amount_not_positive"),
        ("0", "amount_not_positive"),
        ("99999", "amount_too_large"),
        ("12.505", "amount_too_many_decimals"),
        ("twelve", "amount_not_a_number"),
    ],
)
def test_bad_amounts_credit_nothing(module_server, client, smtp, tmp_path, amount, kind):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        ref = await kiosk.scan(member.card_token())
        with pytest.raises(KioskError) as bad:
            await kiosk.credit(ref, amount)
        assert bad.value.kind == kind and bad.value.detail
        assert kiosk.store.pending_intents() == []
        assert member.balance() == 0
        await kiosk.aclose()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "text,kind",
    [
        ("", "scan_empty"),
        ("hello world", "scan_not_ours"),
        ("OTHER:c0123456789ab:30:12345678", "scan_not_ours"),
        ("HBR:c0123456789ab:notastep:1234", "scan_malformed"),
        ("8123 4567 8900", "scan_bad_check_digit"),
    ],
)
def test_garbage_scans_are_refused_with_a_reason(module_server, tmp_path, text, kind):
    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        with pytest.raises(KioskError) as bad:
            await kiosk.scan(text)
        assert bad.value.kind == kind
        await kiosk.aclose()

    asyncio.run(scenario())


def test_expired_and_typed_tokens_and_unknown_numbers(module_server, client, smtp, tmp_path):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        with pytest.raises(KioskError) as old:
            await kiosk.scan(member.card_token(time.time() - 600))
        assert old.value.kind == "scan_expired"
        with pytest.raises(KioskError) as typed:
            await kiosk.scan(member.card_token(), source="typed")
        assert typed.value.kind == "typed_not_number"
        ref = await kiosk.scan(member.member_number, source="typed")
        assert ref.summary.member_number == member.member_number
        with pytest.raises(KioskError) as unknown:
            await kiosk.scan("80000000000" + luhn_check_digit("80000000000"), source="typed")
        assert unknown.value.kind == "unknown-member"
        await kiosk.aclose()

    asyncio.run(scenario())


def test_offline_credit_is_pending_then_posted_exactly_once(module_server, client, smtp, tmp_path):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        token = member.card_token()
        module_server.stop()
        ref = await kiosk.scan(token)
        assert ref.offline and ref.token == token and ref.scanned_at is not None
        outcome = await kiosk.credit(ref, "12.50")
        assert outcome.status == "pending"
        assert [i.payload["amount"] for i in kiosk.status().pending] == ["12.50"]
        await kiosk.sync()  # still offline: still pending, still one
        assert len(kiosk.status().pending) == 1
        module_server.start()
        await kiosk.sync()
        await kiosk.sync()
        assert kiosk.status().pending == [] and kiosk.status().rejected == []
        assert member.balance() == 125
        await kiosk.aclose()

    asyncio.run(scenario())


def test_offline_replay_is_rejected_on_sync_and_shown(module_server, client, smtp, tmp_path):
    member = sign_in(client, smtp)

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        token = member.card_token()
        ref = await kiosk.scan(token)
        assert (await kiosk.credit(ref, "4.75")).status == "done"
        module_server.stop()
        # A screenshot of the same code shown again while the till is offline.
        offline_ref = await kiosk.scan(token)
        assert offline_ref.offline
        assert (await kiosk.credit(offline_ref, "4.75")).status == "pending"
        module_server.start()
        await kiosk.sync()
        rejected = kiosk.status().rejected
        assert len(rejected) == 1 and rejected[0].problem_type == "/problems/token-replayed"
        assert member.balance() == 47
        await kiosk.aclose()

    asyncio.run(scenario())


def test_voucher_redeemed_once_and_join_with_referral(module_server, client, smtp, tmp_path):
    member = sign_in(client, smtp, name="Tom Reyes")

    async def scenario() -> None:
        kiosk = await ready_kiosk(module_server, tmp_path)
        ref = await kiosk.scan(member.card_token())
        await kiosk.credit(ref, "25.00")
        redeemed = member.post(
            "/v1/rewards/oat-milk/redeem", headers={"Idempotency-Key": "kiosk-test-oat-1"}
        )
        assert redeemed.status_code == 201, redeemed.text
        payload = redeemed.json()["voucher"]["qr_payload"]
        used = await kiosk.scan(payload)
        assert used.voucher.status == "used"
        with pytest.raises(KioskError) as twice:
            await kiosk.scan(payload)
        assert twice.value.kind == "voucher-used"
        referral = member.get("/v1/referral").json()["code"]
        joined = await kiosk.join(
            contact="ines.duarte@example.org", name="Inês Duarte", referral_code=referral
        )
        assert joined.referral_applied and joined.display_name == "Inês D."
        with pytest.raises(KioskError) as again:
            await kiosk.join(
                contact="ines.duarte@example.org", name="Inês Duarte", referral_code=referral
            )
        assert again.value.kind == "already-member"
        with pytest.raises(KioskError) as unknown:
            await kiosk.join(contact="zed@example.org", name="Zed", referral_code="NOPE1234")
        assert unknown.value.kind == "unknown-referral-code"
        await kiosk.aclose()

    asyncio.run(scenario())


def test_fuzzed_scans_never_crash_and_never_credit(module_server, client, smtp, tmp_path):
    """Random and near-miss input at the real kiosk core: a refusal or a member summary,
    never another exception, never an outbox entry, never a point."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    member = sign_in(client, smtp)
    live = member.card_token()
    near_misses = st.sampled_from(
        [
            live[:-1],
            live + "0",
            live.replace("HBR:", "hbr:"),
            live.replace(":", ";"),
            live[:4] + "c" + "0" * 12 + live[17:],
            "HBR-V:" + "A" * 10,
            "HBR-V:IIIIIIII",
            member.member_number[:-1] + str((int(member.member_number[-1]) + 1) % 10),
            "\x00" + live,
            live + "\n\n",
            " " * 300,
            "８１２３４５６７８９０１",
        ]
    )
    texts = st.one_of(
        st.text(max_size=80), near_misses, st.binary(max_size=60).map(lambda b: b.decode("latin-1"))
    )

    async def make() -> KioskSession:
        return await ready_kiosk(module_server, tmp_path)

    loop = asyncio.new_event_loop()
    kiosk = loop.run_until_complete(make())

    @settings(
        max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(texts, st.sampled_from(["scanner", "typed"]))
    def scan_anything(text: str, source: str) -> None:
        try:
            loop.run_until_complete(kiosk.scan(text, source=source))
        except KioskError as exc:
            assert exc.kind
        assert kiosk.store.pending_intents() == []

    try:
        scan_anything()
        assert member.balance() == 0
    finally:
        loop.run_until_complete(kiosk.aclose())
        loop.close()
