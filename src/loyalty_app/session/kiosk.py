"""The kiosk's session: set-up with a staff credential and PIN, scans, credits through the
outbox (so an offline till loses nothing and never credits twice), vouchers, joins. Methods
return typed results or raise `KioskError`, whose `kind` is a registered problem slug or one
of the kiosk's own refusals (a bad PIN, a mistyped amount, a damaged scan)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loyalty_core.amounts import AmountError, parse_amount
from loyalty_core.card.scan import CardScan, MemberNumberScan, ScanError, VoucherScan, parse_scan

from ..api.client import LoyaltyApi
from ..api.errors import ApiError, Rejected, ServerError, Unreachable
from ..auth.secrets import SecretStore
from ..domain.models import (
    Catalogue,
    Category,
    CheckoutMember,
    CreditResult,
    JoinResult,
    PayloadError,
    Programme,
    Reward,
    StaffMe,
    TierLadder,
    VoidResult,
    VoucherRedeemResult,
)
from ..kiosk.categories import CategoryError, for_credit
from ..kiosk.pin import PinError, hash_pin, verify_pin
from ..store.store import Store
from ..sync.engine import KIOSK_RESOURCES, SyncEngine
from .errors import SessionError
from .outbox import OutboxItem

#: What the kiosk keeps in the store's meta (asked for by name when its store is damaged).
KIOSK_META = ("kiosk_id", "store_name", "language", "camera")


class KioskError(SessionError):
    """A refusal to show the person at the kiosk: `kind` picks the translated message,
    `detail` is the server's own words when it gave some."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail, slug=kind)
        self.kind = kind


@dataclass(frozen=True)
class MemberRef:
    """Who the next credit is for: a live summary, or (offline) the raw scan to verify later."""

    summary: CheckoutMember | None
    token: str | None = None
    member_number: str | None = None
    scanned_at: datetime | None = None

    @property
    def offline(self) -> bool:
        return self.summary is None


@dataclass(frozen=True)
class CreditOutcome:
    status: str  # done | pending | rejected
    intent: OutboxItem
    result: CreditResult | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories the purchase was marked with, as sent (or queued) with it."""
        return tuple(self.intent.payload.get("categories") or ())


@dataclass
class KioskStatus:
    pending: list[OutboxItem] = field(default_factory=list)
    rejected: list[OutboxItem] = field(default_factory=list)
    connectivity: str = "unknown"
    #: The staff credential was revoked: the kiosk must be set up again (queued credits wait).
    revoked: bool = False


class KioskSession:
    def __init__(self, backend_url: str, data_dir: Path, secrets: SecretStore) -> None:
        self.backend_url = backend_url.rstrip("/")
        self.secrets = secrets
        # A damaged store keeps the queued credits it can still read (they are money), and
        # the kiosk's own settings when they read.
        self.store = Store.open(Path(data_dir) / "kiosk.db", KIOSK_META)
        self._api: LoyaltyApi | None = None
        self._engine: SyncEngine | None = None
        self._making_api = asyncio.Lock()  # one client however many callers wait for it
        self.staff: StaffMe | None = None
        # Secrets are named per kiosk, so two kiosks on one machine keep their own.
        kiosk_id = self.store.get_meta("kiosk_id")
        if not kiosk_id:
            kiosk_id = uuid.uuid4().hex[:12]
            self.store.set_meta("kiosk_id", kiosk_id)
        self._staff_secret = f"kiosk:{kiosk_id}:staff_credential"
        self._pin_secret = f"kiosk:{kiosk_id}:pin_hash"

    async def aclose(self) -> None:
        if self._api is not None:
            await self._api.aclose()
        self.store.close()

    # --- set-up -------------------------------------------------------------------------------

    async def is_set_up(self) -> bool:
        staff = await self.secrets.get(self._staff_secret)
        return bool(staff and await self.secrets.get(self._pin_secret))

    async def set_up(self, credential: str, pin: str) -> StaffMe:
        """Check the credential with the server, then keep it and the PIN hash."""
        try:
            pin_hash = hash_pin(pin)
        except PinError as exc:
            raise KioskError("bad_pin_format", str(exc)) from exc
        probe = LoyaltyApi(self.backend_url, staff_token=credential.strip(), timeout=10)
        try:
            staff = await probe.whoami()
        except Rejected as exc:
            raise KioskError("bad_credential", exc.detail or exc.title) from exc
        except ApiError as exc:
            raise KioskError("unreachable", str(exc)) from exc
        finally:
            await probe.aclose()
        await self.secrets.set(self._staff_secret, credential.strip())
        await self.secrets.set(self._pin_secret, pin_hash)
        self.staff = staff
        self.store.set_meta("store_name", staff.store)
        await self._reset_api()
        return staff

    async def check_pin(self, pin: str) -> bool:
        return verify_pin(pin, await self.secrets.get(self._pin_secret))

    async def api(self) -> LoyaltyApi:
        async with self._making_api:
            if self._api is None:
                token = await self.secrets.get(self._staff_secret)
                self._api = LoyaltyApi(self.backend_url, staff_token=token, timeout=8)
            return self._api

    async def _reset_api(self) -> None:
        if self._api is not None:
            await self._api.aclose()
        self._api, self._engine = None, None

    async def engine(self) -> SyncEngine:
        api = await self.api()  # before the check: no await between it and the assignment
        if self._engine is None:
            self._engine = SyncEngine(api, self.store, resources=KIOSK_RESOURCES)
        return self._engine

    @property
    def language(self) -> str | None:
        """The language staff chose for this kiosk (kept across reloads and restarts)."""
        return self.store.get_meta("language")

    def remember_language(self, lang: str) -> None:
        self.store.set_meta("language", lang)

    @property
    def camera(self) -> bool:
        """Whether staff turned on scanning with the camera (kept like the language)."""
        return self.store.get_meta("camera") == "on"

    def remember_camera(self, on: bool) -> None:
        self.store.set_meta("camera", "on" if on else "off")

    @property
    def store_name(self) -> str:
        return self.store.get_meta("store_name") or ""

    def programme(self) -> Programme | None:
        return self.store.read("programme", Programme)

    def rewards(self) -> tuple[Reward, ...]:
        catalogue = self.store.read("rewards", Catalogue)
        return catalogue.items if catalogue else ()

    def categories(self) -> tuple[Category, ...]:
        """The programme's categories (from the last catalogue), for marking a purchase."""
        catalogue = self.store.read("rewards", Catalogue)
        return catalogue.categories if catalogue else ()

    def ladder(self) -> TierLadder | None:
        return self.store.read("tiers", TierLadder)

    async def sync(self) -> KioskStatus:
        """Send queued credits (the server verifies each offline scan), refresh the catalogue.
        A revoked staff credential is forgotten (set-up again); the queued credits stay."""
        state = await (await self.engine()).sync("manual")
        status = self.status()
        if state.signed_out:
            await self.secrets.delete(self._staff_secret)
            await self._reset_api()
            self.staff = None
            return replace(status, revoked=True)
        if state.connectivity == "online" and self.staff is None:
            try:
                self.staff = await (await self.api()).whoami()
                self.store.set_meta("store_name", self.staff.store)
            except ApiError:
                pass
        return status

    def status(self) -> KioskStatus:
        engine_state = self._engine.state.connectivity if self._engine else "unknown"
        return KioskStatus(
            pending=[OutboxItem.of(i) for i in self.store.pending_intents() if i.kind == "credit"],
            rejected=[OutboxItem.of(i) for i in self.store.intents("rejected")],
            connectivity=engine_state,
        )

    # --- at the till ----------------------------------------------------------------------

    def _prefix(self) -> str:
        programme = self.programme()
        if programme is None:
            raise KioskError("not_ready")
        return programme.card_prefix

    async def scan(
        self, text: str, *, source: str = "scanner", now: float | None = None
    ) -> MemberRef | VoucherRedeemResult:
        """A member (MemberRef) for a card or member number; a redeemed voucher."""
        at = time.time() if now is None else now
        try:
            parsed = parse_scan(text, self._prefix(), at)
        except ScanError as exc:
            raise KioskError(f"scan_{exc.kind}", exc.message) from exc
        if source == "typed" and not isinstance(parsed, MemberNumberScan):
            raise KioskError("typed_not_number")
        api = await self.api()
        scanned_at = datetime.fromtimestamp(at, UTC)
        try:
            # The scan time goes with the scan and with the credit: the server verifies the
            # code as of the scan, however long the order takes to ring up.
            if isinstance(parsed, CardScan):
                summary = await api.scan(parsed.raw, scanned_at)
                return MemberRef(summary, token=parsed.raw, scanned_at=scanned_at)
            if isinstance(parsed, MemberNumberScan):
                summary = await api.lookup(parsed.number)
                return MemberRef(summary, member_number=parsed.number, scanned_at=scanned_at)
            return await self.redeem_voucher(parsed)
        except Rejected as exc:
            raise KioskError(exc.slug, exc.detail or exc.title) from exc
        except (Unreachable, ServerError):
            if isinstance(parsed, VoucherScan):
                raise KioskError("voucher_offline") from None
            # Offline: the form was checked here; the server checks the code on sync.
            if isinstance(parsed, CardScan):
                return MemberRef(None, token=parsed.raw, scanned_at=scanned_at)
            return MemberRef(None, member_number=parsed.number, scanned_at=scanned_at)

    async def redeem_voucher(self, voucher: VoucherScan) -> VoucherRedeemResult:
        """Online only. A fresh key per scan: scanning a used voucher again must say
        "already used", not replay the first success."""
        key = f"voucher-{uuid.uuid4()}"
        return (await (await self.api()).redeem_voucher(voucher.code, key)).data

    async def use_voucher(self, code: str) -> VoucherRedeemResult:
        """A voucher the member's summary listed, tapped at the till: online only."""
        try:
            return await self.redeem_voucher(VoucherScan(code=code, raw=code))
        except Rejected as exc:
            raise KioskError(exc.slug, exc.detail or exc.title) from exc
        except (Unreachable, ServerError):
            raise KioskError("voucher_offline") from None

    def check_amount(self, text: str) -> str:
        programme = self.programme()
        if programme is None:
            raise KioskError("not_ready")
        try:
            amount = parse_amount(
                text,
                decimals=programme.currency_decimals,
                maximum=programme.max_purchase_amount,
                currency=programme.currency,
            )
        except AmountError as exc:
            raise KioskError(f"amount_{exc.kind}", exc.message) from exc
        return str(amount)

    def check_categories(self, chosen: Iterable[str]) -> list[str]:
        """The categories a credit names: the programme's own, each once, in its order."""
        try:
            return for_credit(chosen, [c.id for c in self.categories()])
        except CategoryError as exc:
            raise KioskError("unknown_category", str(exc)) from exc

    async def credit(
        self, member: MemberRef, amount_text: str, categories: Iterable[str] = ()
    ) -> CreditOutcome:
        """Queue the credit with its idempotency key, then try to deliver it at once. The
        categories go with it (queued too when offline): offers for a category and the
        categories challenge count them."""
        amount = self.check_amount(amount_text)
        codes = self.check_categories(categories)
        payload: dict[str, Any] = {"amount": amount}
        if codes:
            payload["categories"] = codes
        if member.token:
            payload["token"] = member.token
        else:
            payload["member_number"] = member.member_number
        if member.scanned_at is not None:
            payload["scanned_at"] = member.scanned_at.isoformat()
        intent = self.store.add_intent("credit", payload, datetime.now(UTC))
        await self.sync()
        final = OutboxItem.of(self.store.get_intent(intent.id) or intent)
        return CreditOutcome(final.status, final, _credit_result(final))

    async def void(self, credit_id: int, pin: str) -> VoidResult:
        if not await self.check_pin(pin):
            raise KioskError("bad_pin")
        key = f"void-credit-{credit_id}"
        try:
            return await (await self.api()).void_credit(credit_id, key)
        except Rejected as exc:
            raise KioskError(exc.slug, exc.detail or exc.title) from exc
        except (Unreachable, ServerError) as exc:
            raise KioskError("offline", str(exc)) from exc

    async def join(self, *, contact: str, name: str, referral_code: str) -> JoinResult:
        """Sign someone up. A fresh key per attempt: a second attempt for the same e-mail or
        phone is told "already a member" by the server rather than replayed."""
        contact = contact.strip()
        kind = "email" if "@" in contact else "phone"
        try:
            return await (await self.api()).join(
                idempotency_key=f"join-{uuid.uuid4()}",
                name=name.strip(),
                referral_code=referral_code.strip() or None,
                **{kind: contact},
            )
        except Rejected as exc:
            raise KioskError(exc.slug, exc.detail or exc.title) from exc
        except (Unreachable, ServerError) as exc:
            raise KioskError("offline", str(exc)) from exc


def _credit_result(item: OutboxItem) -> CreditResult | None:
    """The server's answer to a delivered credit, as stored in the outbox."""
    if item.result is None:
        return None
    try:
        return CreditResult.from_json(item.result)
    except PayloadError:
        return None
