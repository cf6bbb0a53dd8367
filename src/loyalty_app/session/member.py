"""The member's session: what a member does (sign in, sync, show the card, redeem, sign out),
as methods that return typed results or raise `SessionError`s carrying a problem slug.

The screens, the observable state and the `loyalty-member` CLI talk to this and nothing below
it. It reads the store first and never waits on the network for what the store already knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loyalty_core.card.format import CARD_ALGORITHM, CARD_DIGITS, CARD_PERIOD
from loyalty_core.card.token import CardCredential, make_token, seconds_to_next

from ..api.auth import TokenHolder
from ..api.client import LoyaltyApi
from ..api.errors import ApiError
from ..auth.secrets import SecretStore
from ..domain.models import (
    Catalogue,
    CodeSent,
    Device,
    LedgerPage,
    Member,
    Programme,
    Referral,
    Session,
    TierLadder,
    TierProgress,
    Voucher,
    VoucherList,
)
from ..store.store import Store
from ..sync.engine import SyncEngine
from .errors import NotSignedIn, translate
from .outbox import OutboxItem

ACCESS, REFRESH, CARD_SECRET = "access_token", "refresh_token", "card_secret"


def _secret_name(member_id: str, what: str) -> str:
    return f"member:{member_id}:{what}"


@dataclass(frozen=True)
class MemberView:
    """Everything the member's screens draw, as the store holds it now."""

    programme: Programme | None
    me: Member | None
    progress: TierProgress | None
    ladder: TierLadder | None
    history: LedgerPage | None
    catalogue: Catalogue | None
    vouchers: tuple[Voucher, ...]
    referral: Referral | None
    pending: tuple[OutboxItem, ...]
    rejected: tuple[OutboxItem, ...]
    last_synced: datetime | None


@dataclass(frozen=True)
class SyncReport:
    connectivity: str  # online | offline | unknown
    problem: str | None  # the registered slug of what stopped the sync, if anything did
    signed_out: bool  # the server ended this device's session
    requests: int
    not_modified: int
    pending: int
    rejected: int
    detail: str | None  # what stopped it, in English, for logs and the CLI


class MemberSession:
    def __init__(self, backend_url: str, data_dir: Path, secrets: SecretStore) -> None:
        self.backend_url = backend_url.rstrip("/")
        self.data_dir = Path(data_dir)
        self.secrets = secrets
        self.store = Store.open(self.data_dir / "member.db")
        self._api: LoyaltyApi | None = None
        self._engine: SyncEngine | None = None
        self._card: CardCredential | None = None

    async def aclose(self) -> None:
        if self._api is not None:
            await self._api.aclose()
        self.store.close()

    async def __aenter__(self) -> MemberSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- plumbing ------------------------------------------------------------------------------

    @property
    def member_id(self) -> str | None:
        return self.store.get_meta("member_id")

    async def api(self) -> LoyaltyApi:
        """The API client with this member's tokens (for the CLI's support commands)."""
        if self._api is None:
            holder = None
            if self.member_id:
                mid = self.member_id
                access = await self.secrets.get(_secret_name(mid, ACCESS))
                refresh = await self.secrets.get(_secret_name(mid, REFRESH))
                if access and refresh:
                    holder = TokenHolder(access, refresh, on_change=self._save_tokens)
            self._api = LoyaltyApi(self.backend_url, holder)
        return self._api

    async def _save_tokens(self, access: str, refresh: str) -> None:
        mid = self.member_id
        if mid:
            await self.secrets.set(_secret_name(mid, ACCESS), access)
            await self.secrets.set(_secret_name(mid, REFRESH), refresh)

    async def engine(self) -> SyncEngine:
        if self._engine is None:
            self._engine = SyncEngine(await self.api(), self.store)
        return self._engine

    # --- signing in and out --------------------------------------------------------------------

    async def request_code(self, email: str) -> CodeSent:
        try:
            return await (await self.api()).request_code(email=email)
        except ApiError as exc:
            raise translate(exc) from exc

    async def sign_in(
        self,
        email: str,
        code: str,
        *,
        name: str | None = None,
        referral_code: str | None = None,
        device_name: str = "",
    ) -> Session:
        try:
            session = await (await self.api()).verify(
                code,
                email=email,
                name=name,
                referral_code=referral_code,
                device_name=device_name or "loyalty-member",
            )
        except ApiError as exc:
            raise translate(exc) from exc
        await self._adopt(session)
        return session

    async def demo_sign_in(self, device_name: str = "") -> Session:
        try:
            session = await (await self.api()).demo_sign_in(device_name or "demo")
        except ApiError as exc:
            raise translate(exc) from exc
        await self._adopt(session)
        return session

    async def _adopt(self, session: Session) -> None:
        """Keep the new session: tokens and card secret in the secret store, the rest in meta."""
        if self.member_id and self.member_id != session.member_id:
            await self._forget_local()
        mid, card = session.member_id, session.card
        await self.secrets.set(_secret_name(mid, ACCESS), session.access_token)
        await self.secrets.set(_secret_name(mid, REFRESH), session.refresh_token)
        await self.secrets.set(_secret_name(mid, CARD_SECRET), card.secret)
        self.store.set_meta("member_id", mid)
        self.store.set_meta("backend_url", self.backend_url)
        self.store.set_meta("card_id", card.card_id)
        self.store.set_meta("card_prefix", card.prefix)
        self.store.set_meta("card_period", str(card.period))
        self.store.set_meta("card_digits", str(card.digits))
        self.store.set_meta("card_algorithm", card.algorithm)
        if self._api is not None:
            await self._api.aclose()
        self._api, self._engine, self._card = None, None, None

    async def sign_out(self) -> bool:
        """Revoke on the server when it can be reached; wipe local data and secrets always.
        Returns whether the server confirmed."""
        confirmed = False
        if self.member_id:
            try:
                await (await self.api()).sign_out()
                confirmed = True
            except ApiError:
                confirmed = False
        await self._forget_local()
        return confirmed

    # --- devices -------------------------------------------------------------------------------

    async def devices(self) -> tuple[Device, ...]:
        """The member's signed-in devices, this one first (online only: nothing is stored)."""
        if not self.member_id:
            raise NotSignedIn("sign in first")
        try:
            return (await (await self.api()).devices()).items
        except ApiError as exc:
            raise translate(exc) from exc

    async def end_device(self, device: Device) -> bool:
        """Sign a device out on the server: its tokens and card stop at once. Ending this
        device is signing out (local data and secrets wiped too). Returns whether the server
        confirmed (always True for another device: a failure raises)."""
        if device.current:
            return await self.sign_out()
        try:
            await (await self.api()).end_device(device.id)
        except ApiError as exc:
            raise translate(exc) from exc
        return True

    async def _forget_local(self) -> None:
        mid = self.member_id
        if mid:
            for what in (ACCESS, REFRESH, CARD_SECRET):
                await self.secrets.delete(_secret_name(mid, what))
        self.store.wipe()
        if self._api is not None:
            await self._api.aclose()
        self._api, self._engine, self._card = None, None, None

    async def programme(self) -> Programme:
        """The programme as the server has it now (before sign-in: is there a demo?)."""
        try:
            fetched = await (await self.api()).programme()
        except ApiError as exc:
            raise translate(exc) from exc
        assert fetched.data is not None  # no ETag was sent, so never a 304
        return fetched.data

    # --- reading -------------------------------------------------------------------------------

    def view(self) -> MemberView:
        """What the store holds now, typed; a copy the app cannot read counts as missing."""
        read = self.store.read
        vouchers = read("vouchers", VoucherList)
        return MemberView(
            programme=read("programme", Programme),
            me=read("me", Member),
            progress=read("tier_progress", TierProgress),
            ladder=read("tiers", TierLadder),
            history=read("ledger", LedgerPage),
            catalogue=read("rewards", Catalogue),
            vouchers=vouchers.items if vouchers else (),
            referral=read("referral", Referral),
            pending=tuple(OutboxItem.of(i) for i in self.store.pending_intents()),
            rejected=tuple(OutboxItem.of(i) for i in self.store.intents("rejected")),
            last_synced=self.store.snapshots_synced().get("me"),
        )

    async def sync(self, trigger: str = "manual") -> SyncReport:
        """Send the outbox, then refresh every resource (conditional GETs)."""
        if not self.member_id:
            raise NotSignedIn("sign in first")
        state = await (await self.engine()).sync(trigger)
        return SyncReport(
            connectivity=state.connectivity,
            problem=state.last_problem,
            signed_out=state.signed_out,
            requests=state.requests,
            not_modified=state.not_modified,
            pending=state.pending,
            rejected=len(state.rejected),
            detail=state.last_error,
        )

    async def load_more_history(self, cursor: str) -> LedgerPage:
        """The page of the points history after `cursor` (online only)."""
        try:
            fetched = await (await self.api()).ledger(cursor=cursor)
        except ApiError as exc:
            raise translate(exc) from exc
        return fetched.data or LedgerPage(items=(), next_cursor=None)

    def last_synced(self) -> dict[str, str]:
        """When each resource was last confirmed by the server (ISO 8601)."""
        return {k: v.isoformat() for k, v in self.store.snapshots_synced().items()}

    def stored_json(self, resource: str) -> dict[str, Any] | None:
        """The stored copy exactly as the server sent it, for the CLI's JSON output."""
        snap = self.store.get_snapshot(resource)
        return snap.data if snap else None

    # --- the card ------------------------------------------------------------------------------

    async def card_credential(self) -> CardCredential:
        """The device's card credential; read from the secret store once, then kept in memory
        (the card redraws every second)."""
        if self._card is not None:
            return self._card
        mid = self.member_id
        if not mid:
            raise NotSignedIn("sign in first")
        secret = await self.secrets.get(_secret_name(mid, CARD_SECRET))
        if not secret:
            raise NotSignedIn("this device has no card secret; sign in again")
        meta = self.store.get_meta
        self._card = CardCredential(
            card_id=meta("card_id") or "",
            secret=secret,
            prefix=meta("card_prefix") or "",
            period=int(meta("card_period") or CARD_PERIOD),
            digits=int(meta("card_digits") or CARD_DIGITS),
            algorithm=meta("card_algorithm") or CARD_ALGORITHM,
        )
        return self._card

    async def card_token(self, now: float | None = None) -> tuple[str, float]:
        """The card code to show now, and the seconds until the next one."""
        cred = await self.card_credential()
        t = datetime.now(UTC).timestamp() if now is None else now
        return make_token(cred, t), seconds_to_next(cred, t)

    # --- intents -------------------------------------------------------------------------------

    async def redeem(self, reward_id: str) -> OutboxItem:
        """Queue the redeem (its idempotency key is made now), then try to deliver it."""
        intent = self.store.add_intent("redeem", {"reward_id": reward_id}, datetime.now(UTC))
        await self.sync("manual")
        return OutboxItem.of(self.store.get_intent(intent.id) or intent)

    def dismiss(self, intent_id: int) -> None:
        """The member has seen a refused intent: stop showing it."""
        self.store.dismiss(intent_id)
