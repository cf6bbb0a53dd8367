"""The member's session: what a member does (sign in, sync, show the card, redeem, sign out),
as methods that return typed results or raise `SessionError`s carrying a problem slug.

The screens, the observable state and the `loyalty-member` CLI talk to this and nothing below
it. It reads the store first and never waits on the network for what the store already knows.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loyalty_core.card.format import CARD_ALGORITHM, CARD_DIGITS, CARD_PERIOD
from loyalty_core.card.token import CardCredential, make_token, seconds_to_next

from ..api.auth import TokenHolder
from ..api.client import LoyaltyApi
from ..api.errors import ApiError, Rejected
from ..auth.secrets import SecretStore, SecretStoreError, wipe_member
from ..domain.models import (
    Badge,
    BadgeList,
    Catalogue,
    CodeSent,
    Device,
    Inbox,
    LedgerPage,
    Member,
    Offer,
    OfferList,
    PayloadError,
    Programme,
    Redemption,
    Referral,
    Session,
    TierLadder,
    TierProgress,
    Voucher,
    VoucherList,
)
from ..store.pictures import PictureCache
from ..store.store import Store
from ..sync.engine import SyncEngine
from .errors import NotSignedIn, translate
from .outbox import OutboxItem
from .pictures import Pictures

log = logging.getLogger(__name__)

ACCESS, REFRESH, CARD_SECRET = "access_token", "refresh_token", "card_secret"
#: What the store's meta says about the signed-in session (none of it secret).
SESSION_META = (
    "member_id",
    "backend_url",
    "card_id",
    "card_prefix",
    "card_period",
    "card_digits",
    "card_algorithm",
)
#: Meta keys for what a damaged store left to do (`settle_store`) and to say (`take_notice`).
NOTICE = "notice"
STORE_LOST = "store_lost"  # the damaged store's session meta could not be read: whose was it?
ORPHAN = "orphaned_member"  # a member whose session a damaged store left behind: revoke it
#: The notices a damaged store leads to (keys of the message catalogues).
STORE_REPAIRED, STORE_REPAIRED_KEPT, STORE_LOST_NOTICE = (
    "store.repaired",
    "store.repaired_kept",
    "store.lost",
)


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
    inbox: Inbox | None
    pending: tuple[OutboxItem, ...]
    rejected: tuple[OutboxItem, ...]
    last_synced: datetime | None
    #: The member's offers: running ones first, then upcoming.
    offers: tuple[Offer, ...] = ()
    #: The programme's challenges: the member's badges and how far the others are.
    badges: tuple[Badge, ...] = ()


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
    #: The resources this sync replaced in the store (empty when every GET answered 304).
    changed: frozenset[str] = frozenset()


class MemberSession:
    def __init__(self, backend_url: str, data_dir: Path, secrets: SecretStore) -> None:
        self.backend_url = backend_url.rstrip("/")
        self.data_dir = Path(data_dir)
        self.secrets = secrets
        self.store = Store.open(self.data_dir / "member.db", SESSION_META)
        self._api: LoyaltyApi | None = None
        self._engine: SyncEngine | None = None
        # Making the client reads the tokens from the keyring (an await): callers arriving
        # meanwhile (the pictures at start, a sync) wait for that one client instead of
        # each making their own (and their own sync engine).
        self._making_api = asyncio.Lock()
        self._card: CardCredential | None = None
        self._index_checked = False
        #: The programme's logo and reward images, kept beside the store for offline use.
        self.pictures = Pictures(self.api, PictureCache(self.data_dir / "pictures"))
        # One sync at a time: a second caller joins the running one (`sync`); a poll waits
        # for it (`_lock`); delivering an intent does not (`deliver`: the engine pushes one
        # at a time).
        self._lock = asyncio.Lock()
        self._running: asyncio.Future[SyncReport] | None = None
        # Parsed copies of the stored resources, by ETag: a copy the server confirmed with a
        # 304 is not read and parsed again (nor are the screens' indexes over it rebuilt).
        self._parsed: dict[str, tuple[str, type, Any]] = {}
        self._card_lock = asyncio.Lock()  # one read of the card secret, however many ask
        self._note_recovery()

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
        async with self._making_api:
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
        api = await self.api()  # before the check: no await between it and the assignment
        if self._engine is None:
            self._engine = SyncEngine(api, self.store)
        return self._engine

    # --- a damaged store ------------------------------------------------------------------------

    @property
    def _index_name(self) -> str:
        """The secret that names this data folder's signed-in session, so a store that cannot
        be read any more still tells whose tokens and card are in the keyring."""
        folder = str(self.data_dir.resolve()).encode("utf-8", "surrogateescape")
        return f"device:{hashlib.sha256(folder).hexdigest()[:24]}:session"

    async def _write_index(self) -> None:
        identity = {key: self.store.get_meta(key) for key in SESSION_META}
        await self.secrets.set(self._index_name, json.dumps(identity))

    async def _read_index(self) -> dict[str, str]:
        try:
            identity = json.loads(await self.secrets.get(self._index_name) or "{}")
        except ValueError:
            return {}
        if not isinstance(identity, dict) or not isinstance(identity.get("member_id"), str):
            return {}
        return {k: v for k, v in identity.items() if k in SESSION_META and isinstance(v, str)}

    def _note_recovery(self) -> None:
        """The store file was damaged and replaced: say so, and note what is left to do."""
        recovery = self.store.recovery
        if recovery is None:
            return
        if self.member_id:
            kept = bool(self.store.pending_intents())
            self.store.set_meta(NOTICE, STORE_REPAIRED_KEPT if kept else STORE_REPAIRED)
        else:
            self.store.set_meta(STORE_LOST, recovery.aside.name)

    def settled(self) -> bool:
        """Whether the store needs no settling (`settle_store`): a signed-in member's screens
        can be drawn from it at once, before anything else is read."""
        return bool(self.member_id) and not any(
            self.store.get_meta(key) for key in (STORE_LOST, ORPHAN, NOTICE)
        )

    async def settle_store(self, *, check_index: bool = True) -> None:
        """Finishes what a damaged store left: when its session's meta could not be read, the
        session is ended on the server (its tokens and card) and its keyring entries deleted —
        or, when its outbox could be read, the session is taken back so that outbox is sent.
        Best effort: unreachable (or a keyring that stays locked), it tries again next time.
        Cheap when there is nothing to do."""
        try:
            await self._settle_store(check_index)
        except SecretStoreError as exc:
            log.warning("could not finish after a damaged store yet: %s", exc)

    async def _settle_store(self, check_index: bool = True) -> None:
        if self.store.get_meta(STORE_LOST):
            identity = await self._read_index()
            mid = identity.get("member_id")
            if mid and self.store.intents():
                # The outbox was read, the session's meta was not: the keyring says whose.
                for key, value in identity.items():
                    self.store.set_meta(key, value)
                self.store.set_meta(NOTICE, STORE_REPAIRED_KEPT)
            elif mid:
                self.store.set_meta(ORPHAN, mid)
                self.store.set_meta(NOTICE, STORE_LOST_NOTICE)
                await self.secrets.delete(self._index_name)
            elif self.store.intents():
                # Whose they were is unknown: they must never go out under someone else.
                self.store.discard_outbox()
                self.store.set_meta(NOTICE, STORE_LOST_NOTICE)
            self.store.delete_meta(STORE_LOST)
        orphan = self.store.get_meta(ORPHAN)
        if orphan:
            await self._revoke_orphan(orphan)
        elif check_index and self.member_id and not self._index_checked:
            if not await self._read_index():  # a session from before the index existed
                await self._write_index()
            self._index_checked = True

    async def _revoke_orphan(self, mid: str) -> None:
        access = await self.secrets.get(_secret_name(mid, ACCESS))
        refresh = await self.secrets.get(_secret_name(mid, REFRESH))
        if access or refresh:

            async def keep(new_access: str, new_refresh: str) -> None:
                await self.secrets.set(_secret_name(mid, ACCESS), new_access)
                await self.secrets.set(_secret_name(mid, REFRESH), new_refresh)

            holder = TokenHolder(access or "-", refresh or "", on_change=keep)
            api = LoyaltyApi(self.backend_url, holder)
            try:
                await api.sign_out()  # ends the device: its tokens and its card
                log.info("ended the session a damaged store left behind")
            except Rejected as exc:
                if exc.status in (408, 429):
                    return  # try again later
                log.info("the session a damaged store left behind was already over: %s", exc)
            except ApiError as exc:
                log.info("could not end the session a damaged store left behind yet: %s", exc)
                return
            finally:
                await api.aclose()
        await wipe_member(self.secrets, mid)
        self.store.delete_meta(ORPHAN)

    def take_notice(self) -> str | None:
        """A message key to show the member once (e.g. what a damaged store kept), or None."""
        notice = self.store.get_meta(NOTICE)
        if notice:
            self.store.delete_meta(NOTICE)
        return notice

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
        await self.settle_store()
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
        await self.settle_store()
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
        if self.store.get_meta(ORPHAN) == mid:
            # Still not ended on the server, and its tokens are about to be overwritten by the
            # new ones: the old session can no longer be ended from here.
            self.store.delete_meta(ORPHAN)
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
        await self._write_index()
        self._index_checked = True
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
            await self.secrets.delete(self._index_name)
        orphan = self.store.get_meta(ORPHAN)
        self.store.wipe()
        if orphan:  # still to be ended on the server: that survives a sign-out
            self.store.set_meta(ORPHAN, orphan)
        self._parsed.clear()
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
        """What the store holds now, typed; a copy the app cannot read counts as missing.
        A copy whose ETag has not changed since it was last parsed is handed out again, the
        same object: not read, not parsed (the screens can tell it is unchanged by identity)."""
        etags = self.store.etags()

        def read(name: str, model: type[Any]) -> Any:
            etag = etags.get(name)
            cached = self._parsed.get(name)
            if etag is not None and cached is not None and cached[:2] == (etag, model):
                return cached[2]
            value = self.store.read(name, model)
            if etag is not None and value is not None:
                self._parsed[name] = (etag, model, value)
            return value

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
            inbox=read("inbox", Inbox),
            pending=tuple(OutboxItem.of(i) for i in self.store.pending_intents()),
            rejected=tuple(OutboxItem.of(i) for i in self.store.intents("rejected")),
            last_synced=self.store.snapshots_synced().get("me"),
            offers=offers.items if (offers := read("offers", OfferList)) else (),
            badges=badges.items if (badges := read("badges", BadgeList)) else (),
        )

    def outbox(self) -> tuple[tuple[OutboxItem, ...], tuple[OutboxItem, ...]]:
        """The pending and the refused intents alone (no resource is read)."""
        return (
            tuple(OutboxItem.of(i) for i in self.store.pending_intents()),
            tuple(OutboxItem.of(i) for i in self.store.intents("rejected")),
        )

    async def sync(self, trigger: str = "manual", *, fresh: bool = False) -> SyncReport:
        """Send the outbox, then refresh every resource (conditional GETs). One sync at a
        time: called while one runs, this waits for it and returns its report — or, when
        `fresh` (after a redeem: the running one may have read the balance before it), waits
        for it and then runs one that starts after this call."""
        running = self._running
        if fresh and running is not None and not running.done():
            await asyncio.wait([running])  # its outcome is its own callers'
            running = self._running
        if running is None or running.done():
            running = self._running = asyncio.ensure_future(self._locked_sync(trigger))
        # Shielded: a caller that stops waiting (a screen unmounted) does not stop the sync
        # the other callers wait for.
        return await asyncio.shield(running)

    async def _locked_sync(self, trigger: str, only: tuple[str, ...] | None = None) -> SyncReport:
        async with self._lock:
            await self.settle_store()
            if not self.member_id:
                raise NotSignedIn("sign in first")
            state = await (await self.engine()).sync(trigger, only=only)
            return SyncReport(
                connectivity=state.connectivity,
                problem=state.last_problem,
                signed_out=state.signed_out,
                requests=state.requests,
                not_modified=state.not_modified,
                pending=state.pending,
                rejected=len(state.rejected),
                detail=state.last_error,
                changed=frozenset(state.changed),
            )

    @property
    def syncing(self) -> bool:
        return self._lock.locked()

    async def check_me(self) -> SyncReport:
        """The cheap check while the card shows: the outbox, then only ``GET /v1/me`` with its
        ETag (a 304 most of the time). Waits for a sync that is running (after which this
        one is a 304 too). ``changed`` says whether the member's balance or tier moved."""
        return await self._locked_sync("poll", only=("me",))

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
        async with self._card_lock:
            if self._card is not None:  # read meanwhile by the caller this one waited for
                return self._card
            mid = self.member_id
            if not mid:
                raise NotSignedIn("sign in first")
            secret = await self.secrets.get(_secret_name(mid, CARD_SECRET))
            if not secret:
                raise NotSignedIn("this device has no card secret; sign in again")
            self._card = self._credential(secret)
            return self._card

    def _credential(self, secret: str) -> CardCredential:
        meta = self.store.get_meta
        return CardCredential(
            card_id=meta("card_id") or "",
            secret=secret,
            prefix=meta("card_prefix") or "",
            period=int(meta("card_period") or CARD_PERIOD),
            digits=int(meta("card_digits") or CARD_DIGITS),
            algorithm=meta("card_algorithm") or CARD_ALGORITHM,
        )

    def read_card_blocking(self) -> bool:
        """Read the card secret in the calling thread, for a worker thread at launch (the
        first screen then draws its QR in its first frame). Only for a secret store with a
        blocking read (the OS keyring); True when the card is in memory afterwards."""
        read = getattr(self.secrets, "get_blocking", None)
        mid = self.member_id
        if self._card is None and read is not None and mid:
            try:
                secret = read(_secret_name(mid, CARD_SECRET))
            except SecretStoreError as exc:
                log.info("no card read ahead: %s", exc)
                return False
            # Still this member's: a sign-out while the keyring answered wiped the store.
            if secret and self._card is None and self.member_id == mid:
                self._card = self._credential(secret)
        return self._card is not None

    async def prefetch_card(self) -> None:
        """Read the card secret now, before the screens ask (at launch it is the first
        keyring read, ahead of the sync's tokens). Quiet when there is none."""
        try:
            await self.card_credential()
        except (NotSignedIn, SecretStoreError) as exc:
            log.info("no card to prefetch: %s", exc)

    def card_token_now(self, now: float) -> tuple[str, float] | None:
        """`card_token` without waiting, once the credential is in memory (else None): the
        card screen draws its QR in its first frame."""
        if self._card is None:
            return None
        return make_token(self._card, now), seconds_to_next(self._card, now)

    async def card_token(self, now: float | None = None) -> tuple[str, float]:
        """The card code to show now, and the seconds until the next one."""
        cred = await self.card_credential()
        t = datetime.now(UTC).timestamp() if now is None else now
        return make_token(cred, t), seconds_to_next(cred, t)

    # --- intents -------------------------------------------------------------------------------

    async def redeem(self, reward_id: str) -> OutboxItem:
        """Queue the redeem (its idempotency key is made now), then try to deliver it and
        refresh everything (the CLI's redeem; the app delivers first, then syncs)."""
        intent = self.queue_redeem(reward_id)
        await self.sync("manual")
        return OutboxItem.of(self.store.get_intent(intent.id) or intent)

    def queue_redeem(self, reward_id: str) -> OutboxItem:
        """Queue the redeem in the outbox (committed, with its idempotency key); no network."""
        if not self.member_id:
            raise NotSignedIn("sign in first")
        intent = self.store.add_intent("redeem", {"reward_id": reward_id}, datetime.now(UTC))
        return OutboxItem.of(intent)

    def queue_activate_offer(self, offer_id: str) -> OutboxItem:
        """Queue "add to card" for an offer in the outbox; no network (adding twice is one add
        on the server, so a retry needs no key of its own)."""
        if not self.member_id:
            raise NotSignedIn("sign in first")
        intent = self.store.add_intent("activate_offer", {"offer_id": offer_id}, datetime.now(UTC))
        return OutboxItem.of(intent)

    async def deliver(self, intent_id: int) -> tuple[OutboxItem, SyncReport]:
        """Send the outbox (oldest first, so up to and including `intent_id`) and nothing
        else: the answer is back after one request, not after a whole sync, and not behind a
        sync or a card poll that is running (only behind a push under way, which may send
        this intent itself). Returns the intent as it stands now, and the push's report."""
        if not self.settled():
            # A damaged store is settled first (under the sync lock, as a sync does it).
            report = await self._locked_sync("manual", only=())
        else:
            state = await (await self.engine()).send()
            report = SyncReport(
                connectivity=state.connectivity,
                problem=state.last_problem,
                signed_out=state.signed_out,
                requests=state.requests,
                not_modified=0,
                pending=state.pending,
                rejected=len(state.rejected),
                detail=state.last_error,
            )
        intent = self.store.get_intent(intent_id)
        if intent is None:
            raise NotSignedIn("the outbox was wiped (signed out)")
        return OutboxItem.of(intent), report

    @staticmethod
    def redemption(item: OutboxItem) -> Redemption | None:
        """The server's answer to a delivered redeem (the voucher, the balance after it)."""
        if item.kind != "redeem" or item.status != "done" or not item.result:
            return None
        try:
            return Redemption.from_json(dict(item.result))
        except PayloadError as exc:
            log.warning("cannot read the answer to redeem %s: %s", item.id, exc)
            return None

    async def mark_message(self, message_id: str, mark: str) -> SyncReport:
        """Mark an inbox message read or dismiss it: queued in the outbox (kept offline and
        sent later), then sent with the inbox fetched again. The screens show the mark at once
        from the outbox (`loyalty_app.domain.inbox.shown`)."""
        if mark not in ("read", "dismiss"):
            raise ValueError(f"no such mark: {mark}")
        if not self.member_id:
            raise NotSignedIn("sign in first")
        payload = {"message_id": message_id, "mark": mark}
        await asyncio.to_thread(self.store.add_intent, "inbox_mark", payload, datetime.now(UTC))
        return await self._locked_sync("manual", only=("inbox",))

    async def answer_feedback(
        self, purchase_id: int, score: int | None, comment: str = ""
    ) -> SyncReport:
        """The member's answer to the feedback question (a score of None: "Not now"), queued
        with its idempotency key, then sent with the inbox fetched again."""
        if not self.member_id:
            raise NotSignedIn("sign in first")
        payload = {"purchase_id": purchase_id, "score": score, "comment": comment.strip()}
        await asyncio.to_thread(self.store.add_intent, "feedback", payload, datetime.now(UTC))
        return await self._locked_sync("manual", only=("inbox",))

    async def change_settings(self, **fields: Any) -> SyncReport:
        """Change the member's own settings on the server (``email_reminders``): queued like
        every intent, then sent with the profile fetched again."""
        if not self.member_id:
            raise NotSignedIn("sign in first")
        await asyncio.to_thread(self.store.add_intent, "settings", fields, datetime.now(UTC))
        return await self._locked_sync("manual", only=("me",))

    def dismiss(self, intent_id: int) -> None:
        """The member has seen a refused intent: stop showing it."""
        self.store.dismiss(intent_id)
