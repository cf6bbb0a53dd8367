"""The member app's core as one object: sign-in, sync, the card, redeem, sign-out.
The CLI and the screens both drive this; it reads the store first and never waits on the
network to answer what the store already knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loyalty_core.card.token import CardCredential, make_token, seconds_to_next

from .api.auth import TokenHolder
from .api.client import LoyaltyApi
from .api.errors import Rejected, ServerError, Unreachable
from .auth.secrets import SecretStore
from .store.store import Intent, Store
from .sync.engine import SyncEngine, SyncState

ACCESS, REFRESH, CARD_SECRET = "access_token", "refresh_token", "card_secret"


def _secret_name(member_id: str, what: str) -> str:
    return f"member:{member_id}:{what}"


class NotSignedIn(RuntimeError):
    pass


@dataclass(frozen=True)
class QueuedIntent:
    intent: Intent
    delivered: bool


class MemberCore:
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

    async def __aenter__(self) -> MemberCore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- session -----------------------------------------------------------------------------

    @property
    def member_id(self) -> str | None:
        return self.store.get_meta("member_id")

    async def api(self) -> LoyaltyApi:
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

    async def request_code(self, email: str) -> dict[str, Any]:
        return await (await self.api()).request_code(email=email)

    async def sign_in(
        self,
        email: str,
        code: str,
        *,
        name: str | None = None,
        referral_code: str | None = None,
        device_name: str = "",
    ) -> dict:
        session = await (await self.api()).verify(
            code,
            email=email,
            name=name,
            referral_code=referral_code,
            device_name=device_name or "loyalty-member",
        )
        await self._adopt(session)
        return session

    async def demo_sign_in(self, device_name: str = "") -> dict:
        session = await (await self.api()).demo_sign_in(device_name or "demo")
        await self._adopt(session)
        return session

    async def _adopt(self, session: dict[str, Any]) -> None:
        """Keep the new session: tokens and card secret in the secret store, the rest in meta."""
        if self.member_id and self.member_id != session["member_id"]:
            await self._forget_local()
        mid = session["member_id"]
        card = session["card"]
        await self.secrets.set(_secret_name(mid, ACCESS), session["access_token"])
        await self.secrets.set(_secret_name(mid, REFRESH), session["refresh_token"])
        await self.secrets.set(_secret_name(mid, CARD_SECRET), card["secret"])
        self.store.set_meta("member_id", mid)
        self.store.set_meta("backend_url", self.backend_url)
        for key in ("card_id", "prefix", "period", "digits", "algorithm"):
            self.store.set_meta(f"card_{key}" if key != "card_id" else key, str(card[key]))
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
            except (Unreachable, ServerError, Rejected):
                confirmed = False
        await self._forget_local()
        return confirmed

    async def _forget_local(self) -> None:
        mid = self.member_id
        if mid:
            for what in (ACCESS, REFRESH, CARD_SECRET):
                await self.secrets.delete(_secret_name(mid, what))
        self.store.wipe()
        if self._api is not None:
            await self._api.aclose()
        self._api, self._engine, self._card = None, None, None

    # --- reading -----------------------------------------------------------------------------

    def snapshot(self, resource: str) -> dict[str, Any] | None:
        snap = self.store.get_snapshot(resource)
        return snap.data if snap else None

    async def sync(self, trigger: str = "manual") -> SyncState:
        if not self.member_id:
            raise NotSignedIn("sign in first")
        return await (await self.engine()).sync(trigger)

    def status(self) -> dict[str, Any]:
        me = self.snapshot("me") or {}
        progress = self.snapshot("tier_progress") or {}
        synced = self.store.snapshots_synced()
        return {
            "member_id": self.member_id,
            "name": me.get("name"),
            "member_number": me.get("member_number"),
            "balance": me.get("balance"),
            "pending_points": me.get("pending"),
            "expiring": me.get("expiring", []),
            "tier": (me.get("tier") or {}).get("code"),
            "next_tier": progress.get("next_tier"),
            "points_to_next": progress.get("points_to_next"),
            "requalify_at": progress.get("requalify_at"),
            "last_synced": {k: v.isoformat() for k, v in synced.items()},
            "pending_intents": [_intent_json(i) for i in self.store.pending_intents()],
            "rejected_intents": [_intent_json(i) for i in self.store.intents("rejected")],
        }

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
            period=int(meta("card_period") or 30),
            digits=int(meta("card_digits") or 8),
            algorithm=meta("card_algorithm") or "sha1",
        )
        return self._card

    async def card_token(self, now: float | None = None) -> tuple[str, float]:
        cred = await self.card_credential()
        t = datetime.now(UTC).timestamp() if now is None else now
        return make_token(cred, t), seconds_to_next(cred, t)

    # --- intents -----------------------------------------------------------------------------

    async def redeem(self, reward_id: str) -> QueuedIntent:
        """Queue the redeem (its idempotency key is made now), then try to deliver it."""
        intent = self.store.add_intent("redeem", {"reward_id": reward_id}, datetime.now(UTC))
        await self.sync("manual")
        final = self.store.get_intent(intent.id) or intent
        return QueuedIntent(final, final.status != "pending")


def _intent_json(intent: Intent) -> dict[str, Any]:
    return {
        "id": intent.id,
        "kind": intent.kind,
        "payload": intent.payload,
        "status": intent.status,
        "attempts": intent.attempts,
        "last_error": intent.last_error,
        "created_at": intent.created_at.isoformat(),
    }
