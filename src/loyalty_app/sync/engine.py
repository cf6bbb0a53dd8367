"""The sync engine: push the outbox in order, then pull every resource with conditional GETs.
Network errors and 5xx leave intents pending for a later retry; a 4xx marks the intent
rejected with the server's reason and the queue moves on.

One push at a time (`_pushing`), so no intent is sent twice at once; the pull is not under
that lock, so an intent the member just made (`send`) goes out while a long pull runs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from loyalty_core.problems import problem_type

from ..api.client import Answer, Fetched, LoyaltyApi
from ..api.errors import Rejected, ServerError, Unreachable
from ..store.store import Intent, Store
from .backoff import Backoff

log = logging.getLogger("loyalty_app.sync")

Fetcher = Callable[..., Awaitable[Fetched[Any]]]

# Snapshot name -> the conditional GET that refreshes it. The ledger snapshot is its first
# page; older pages load on demand.
MEMBER_RESOURCES: dict[str, Fetcher] = {
    "programme": LoyaltyApi.programme,
    "me": LoyaltyApi.me,
    "tier_progress": LoyaltyApi.tier_progress,
    "tiers": LoyaltyApi.tiers,
    "ledger": LoyaltyApi.ledger,
    "rewards": LoyaltyApi.rewards,
    "vouchers": LoyaltyApi.vouchers,
    "referral": LoyaltyApi.referral,
    "inbox": LoyaltyApi.inbox,
    "offers": LoyaltyApi.offers,
    "badges": LoyaltyApi.badges,
}
KIOSK_RESOURCES: dict[str, Fetcher] = {
    "programme": LoyaltyApi.programme,
    "tiers": LoyaltyApi.tiers,
    "rewards": LoyaltyApi.rewards,
}

Pusher = Callable[[LoyaltyApi, Intent], Awaitable[Answer[Any]]]


async def _push_redeem(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    return await api.redeem(intent.payload["reward_id"], intent.idempotency_key)


async def _push_activate_offer(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    return await api.activate_offer(intent.payload["offer_id"])


async def _push_claim(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    return await api.claim_referral(intent.payload["code"])


async def _push_credit(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    p = intent.payload
    scanned_at = datetime.fromisoformat(p["scanned_at"]) if p.get("scanned_at") else None
    return await api.credit(
        amount=p["amount"],
        idempotency_key=intent.idempotency_key,
        token=p.get("token"),
        member_number=p.get("member_number"),
        scanned_at=scanned_at,
        categories=p.get("categories"),
    )


async def _push_voucher(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    return await api.redeem_voucher(intent.payload["code"], intent.idempotency_key)


async def _push_mark(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    return await api.mark_message(intent.payload["message_id"], intent.payload["mark"])


async def _push_settings(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    return await api.update_me(**intent.payload)


async def _push_feedback(api: LoyaltyApi, intent: Intent) -> Answer[Any]:
    p = intent.payload
    return await api.send_feedback(
        p["purchase_id"], p.get("score"), p.get("comment"), intent.idempotency_key
    )


PUSHERS: dict[str, Pusher] = {
    "feedback": _push_feedback,
    "inbox_mark": _push_mark,
    "settings": _push_settings,
    "redeem": _push_redeem,
    "claim_referral": _push_claim,
    "activate_offer": _push_activate_offer,
    "credit": _push_credit,
    "redeem_voucher": _push_voucher,
}


@dataclass
class SyncState:
    connectivity: str = "unknown"  # online | offline | syncing | unknown
    last_synced: dict[str, datetime] = field(default_factory=dict)
    pending: int = 0
    rejected: list[Intent] = field(default_factory=list)
    last_error: str | None = None  # in English, for logs and the CLI
    last_problem: str | None = None  # its registered problem slug, for the screens
    requests: int = 0
    not_modified: int = 0
    signed_out: bool = False
    #: The resources whose stored copy the last sync replaced (a 200, not a 304).
    changed: set[str] = field(default_factory=set)


class SyncEngine:
    def __init__(
        self,
        api: LoyaltyApi,
        store: Store,
        *,
        resources: dict[str, Fetcher] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.api = api
        self.store = store
        self.resources = MEMBER_RESOURCES if resources is None else resources
        self.clock = clock
        self.backoff = Backoff()
        self.state = SyncState()
        self._listeners: list[Callable[[SyncState], None]] = []
        self._pushing = asyncio.Lock()
        self._refresh_counts()

    def subscribe(self, listener: Callable[[SyncState], None]) -> None:
        self._listeners.append(listener)

    def _emit(self) -> None:
        for listener in self._listeners:
            listener(self.state)

    def _refresh_counts(self) -> None:
        self.state.pending = len(self.store.pending_intents())
        self.state.rejected = self.store.intents("rejected")
        self.state.last_synced = self.store.snapshots_synced()

    async def sync(
        self, trigger: str = "manual", *, only: tuple[str, ...] | None = None
    ) -> SyncState:
        """Push then pull. `interval`, `resume` and `poll` triggers respect the retry backoff.
        `only` names the resources to pull (none: push only); every one when it is None."""
        now = self.clock()
        if trigger in ("interval", "resume", "poll") and not self.backoff.due(now):
            self.state.changed = set()
            return self.state
        self.state.connectivity = "syncing"
        self.state.requests = self.state.not_modified = 0
        self.state.changed = set()
        self._emit()
        try:
            await self.push()
            await self.pull(only)
        except Unreachable as exc:
            self._failed("offline", f"cannot reach the server: {exc}", "unreachable")
        except ServerError as exc:
            self._failed("online", f"the server had a problem: {exc}", "server-error")
        except Rejected as exc:
            # Session ended or rate-limited: nothing is lost, the member is told why.
            self._failed("online", exc.detail or exc.title, exc.slug)
            self.state.signed_out = exc.signed_out
        else:
            self.backoff.succeeded()
            self.state.connectivity = "online"
            self.state.last_error = self.state.last_problem = None
        self._refresh_counts()
        self._emit()
        return self.state

    def _failed(
        self, connectivity: str, message: str, problem: str, state: SyncState | None = None
    ) -> None:
        self.backoff.failed(self.clock())
        state = self.state if state is None else state
        state.connectivity = connectivity
        state.last_error, state.last_problem = message, problem
        log.info("sync stopped: %s", message)

    async def send(self) -> SyncState:
        """Push the outbox and nothing else, now: not behind a sync's pull (only behind a
        push under way). Reports in a state of its own (the running sync keeps its own)."""
        state = SyncState()
        try:
            await self.push(state)
        except Unreachable as exc:
            self._failed("offline", f"cannot reach the server: {exc}", "unreachable", state)
        except ServerError as exc:
            self._failed("online", f"the server had a problem: {exc}", "server-error", state)
        except Rejected as exc:
            self._failed("online", exc.detail or exc.title, exc.slug, state)
            state.signed_out = exc.signed_out
        else:
            self.backoff.succeeded()
            state.connectivity = "online"
        state.pending = len(self.store.pending_intents())
        state.rejected = self.store.intents("rejected")
        return state

    async def push(self, state: SyncState | None = None) -> None:
        """Send pending intents oldest first; stop at the first that could not be delivered.
        One push at a time: a second waits, then finds what the first sent done."""
        async with self._pushing:
            await self._push(self.state if state is None else state)

    async def _push(self, state: SyncState) -> None:
        for intent in self.store.pending_intents():
            pusher = PUSHERS.get(intent.kind)
            if pusher is None:
                self.store.mark_rejected(
                    intent.id,
                    problem_type("unknown-intent").type,
                    f"This app cannot send '{intent.kind}'.",
                )
                continue
            try:
                state.requests += 1
                answer = await pusher(self.api, intent)
            except Rejected as exc:
                if exc.signed_out or exc.status == 429:
                    # Not the intent's fault: keep it for after sign-in / the wait.
                    self.store.record_attempt(intent.id, exc.detail or exc.title)
                    raise
                self.store.mark_rejected(intent.id, exc.type, exc.detail or exc.title)
            except (Unreachable, ServerError) as exc:
                self.store.record_attempt(intent.id, str(exc))
                raise
            else:
                self.store.mark_done(intent.id, dict(answer.body))

    async def pull(self, only: tuple[str, ...] | None = None) -> None:
        for name, fetch in self.resources.items():
            if only is not None and name not in only:
                continue
            etag = self.store.get_etag(name)
            self.state.requests += 1
            fetched = await fetch(self.api, etag=etag)
            now = self.clock()
            if fetched.status == 304 and self.store.touch_snapshot(name, now):
                self.state.not_modified += 1
            elif fetched.body is not None:
                # Only a reply that parsed as the contract's type replaces the last good copy.
                self.store.put_snapshot(name, dict(fetched.body), fetched.etag, now)
                self.state.changed.add(name)
