"""Observable app state over the member's session. Methods are named for what the member does;
no controls in here, so tests drive them directly in plain Python."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import flet as ft

from ..domain.feedback import question
from ..domain.inbox import InboxShown, shown
from ..domain.models import (
    Badge,
    Catalogue,
    Device,
    FeedbackAsk,
    Inbox,
    LedgerEntry,
    Member,
    Offer,
    PayloadError,
    Programme,
    Referral,
    Reward,
    TierLadder,
    TierProgress,
    Voucher,
)
from ..domain.recommend import Recommendation, recommend
from ..domain.rewards import RewardIndex, can_afford
from ..i18n import LANGUAGES
from ..platform import off_the_loop
from ..session import (
    MemberSession,
    NotSignedIn,
    Offline,
    OutboxItem,
    Prefs,
    SessionError,
)

log = logging.getLogger("loyalty_app.ui")

THEMES = ("system", "light", "dark")
#: How long a notice stays (it also goes on leaving its tab, a language change, sign-out).
#: LOYALTY_NOTICE_SECONDS overrides it (tests that must tell the timer from the rest).
NOTICE_SECONDS = float(os.environ.get("LOYALTY_NOTICE_SECONDS") or 4.0)
#: While the card shows: how often `GET /v1/me` asks whether a till credited points.
CARD_POLL_SECONDS = 4.0
# Syncs that must start after the call, not join one already running: the member tapped
# Refresh, redeemed, or the card's poll saw the balance move.
FRESH_TRIGGERS = frozenset({"manual", "redeem", "poll"})


def tab_of(location: str) -> str:
    """The tab a route belongs to: its first segment (``/rewards/oat-milk`` -> rewards)."""
    return location.strip("/").split("/", 1)[0] or "card"


@ft.observable
@dataclass
class Notice:
    key: str | None = None  # a message key (and values) for a snackbar-like line
    values: dict = field(default_factory=dict)
    serial: int = 0  # one more for every notice said: its timer's key


@ft.observable
@dataclass
class AppState:
    session: MemberSession = field(repr=False, compare=False)
    prefs: Prefs = field(repr=False, compare=False)
    lang: str = "en"
    theme: str = "system"
    width: float = 0
    phase: str = "loading"  # loading | signed_out | signed_in
    # Sign-in
    demo_available: bool = False
    email: str = ""
    code_sent: bool = False
    # The sign-in fields as typed: a re-render (a wrong code's error) draws them again as
    # they were, instead of empty (a field drawn without its value was cleared).
    code: str = ""
    name: str = ""
    referral_code: str = ""
    signin_error: str | None = None  # a problem slug: err.<slug> in the catalogues
    # What the store holds
    programme: Programme | None = None
    me: Member | None = None
    progress: TierProgress | None = None
    ladder: TierLadder | None = None
    history: list[LedgerEntry] = field(default_factory=list)
    history_cursor: str | None = None
    history_loading: bool = False
    catalogue: Catalogue | None = None
    vouchers: list[Voucher] = field(default_factory=list)
    referral: Referral | None = None
    inbox: Inbox | None = None
    offers: list[Offer] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    # Sync
    connectivity: str = "unknown"
    last_synced: datetime | None = None
    sync_error: str | None = None  # a problem slug, or "signed_out" (or "session-expired")
    syncing: bool = False
    pending: list[OutboxItem] = field(default_factory=list)
    rejected: list[OutboxItem] = field(default_factory=list)
    # Rewards screen
    query: str = ""
    category: str | None = None
    affordable_only: bool = False
    rewards_limit: int = 48
    # Settings: the member's signed-in devices (online only, never stored)
    devices: list[Device] = field(default_factory=list)
    devices_status: str = "idle"  # idle | loading | loaded | offline | failed
    devices_error: str | None = None  # a problem slug when failed
    #: The notice line, an observable of its own: saying something ("Redeeming…") redraws
    #: the notice bar alone, not every screen that reads the app state.
    notices: Notice = field(default_factory=lambda: Notice(), repr=False, compare=False)

    # --- start-up ---------------------------------------------------------------------------

    def load_prefs(self, system_lang: str) -> None:
        prefs = self.prefs.load()
        self.lang = prefs.get("lang") if prefs.get("lang") in LANGUAGES else system_lang
        self.theme = prefs.get("theme") if prefs.get("theme") in THEMES else "system"

    def open_from_store(self) -> bool:
        """Before the first frame: a signed-in member whose store needs no settling gets the
        card screen drawn from the store straight away (no "loading" frame first)."""
        if self.phase != "loading" or not self.session.settled():
            return False
        self.phase = "signed_in"
        self.reload_from_store()
        return True

    async def start(self) -> None:
        """Show what the store has at once, then sync in the background of the caller."""
        # A damaged store: end the session it left behind (or take it back), and tell the
        # member once what happened. (The keyring index of an older session is checked by
        # the first sync, not before the card: the card's own secret is read meanwhile.)
        await self.session.settle_store(check_index=False)
        notice = self.session.take_notice()
        if notice:
            self.say(notice)
        if self.session.member_id:
            self.phase = "signed_in"
            self.reload_from_store()
            await self.refresh("start")
        else:
            self.phase = "signed_out"
            await self.check_demo()

    async def check_demo(self) -> None:
        try:
            self.programme = await self.session.programme()
            self.demo_available = self.programme.demo
        except SessionError:
            self.demo_available = False

    def reload_from_store(self) -> None:
        """Take what changed in the store since the last reload. The session hands out the
        same parsed object for a resource whose ETag did not change, so an unchanged one is
        skipped by identity: no re-render for it, and the reward search index (built per
        catalogue object) is not rebuilt."""
        view = self.session.view()
        seen: dict[str, Any] = self.__dict__.setdefault("_seen", {})

        def fresh(name: str, value: Any) -> bool:
            if name in seen and seen[name] is value:
                return False
            seen[name] = value
            return True

        if fresh("programme", view.programme):
            self.programme = view.programme or self.programme
        if fresh("me", view.me):
            self.me = view.me
        if fresh("progress", view.progress):
            self.progress = view.progress
        if fresh("ladder", view.ladder):
            self.ladder = view.ladder
        if fresh("history", view.history) and view.history is not None:
            self.history = list(view.history.items)
            self.history_cursor = view.history.next_cursor
        if fresh("catalogue", view.catalogue):
            self.catalogue = view.catalogue
        if fresh("vouchers", view.vouchers):
            self.vouchers = list(view.vouchers)
        if fresh("referral", view.referral):
            self.referral = view.referral
        if fresh("inbox", view.inbox):
            self.inbox = view.inbox
        if fresh("offers", view.offers):
            self.offers = list(view.offers)
        if fresh("badges", view.badges):
            self.badges = list(view.badges)
        self.pending = list(view.pending)
        self.rejected = list(view.rejected)
        self.last_synced = view.last_synced

    def _forget_seen(self) -> None:
        self.__dict__.pop("_seen", None)

    # --- sync -------------------------------------------------------------------------------

    async def refresh(self, trigger: str = "manual") -> None:
        """Sync and show what changed. Called while a sync runs, this joins it (the session
        runs one sync at a time) — except when the member asked (a tap on Refresh), after a
        redeem, or when the card's poll saw a change: a sync that began before may have read
        the old balance (a till's credit made meanwhile), so a new one follows it."""
        if self.phase != "signed_in":
            return
        self.syncing = True
        try:
            report = await self.session.sync(trigger, fresh=trigger in FRESH_TRIGGERS)
            self.connectivity = report.connectivity
            if report.signed_out:
                # The maximum session age gets its own words; any other end is "signed out".
                expired = report.problem == "session-expired"
                self.sync_error = "session-expired" if expired else "signed_out"
            else:
                self.sync_error = report.problem
        except NotSignedIn:
            self.phase = "signed_out"
        finally:
            self.syncing = False
        if self.phase == "signed_in":
            self.reload_from_store()

    async def poll_card(self) -> bool:
        """The card is showing: ask the server cheaply (``GET /v1/me`` with its ETag) whether
        anything happened, e.g. a till credited points; on a change, sync the rest. Returns
        whether something changed."""
        if self.phase != "signed_in":
            return False
        try:
            report = await self.session.check_me()
        except NotSignedIn:
            return False
        back_online = self.connectivity == "offline" and report.connectivity == "online"
        if not (report.changed or report.signed_out or back_online):
            return False
        self.reload_from_store()  # the new balance at once, the rest after the sync
        await self.refresh("poll")
        return True

    async def watch_card(
        self, showing: Callable[[], bool] = lambda: True, period: float = CARD_POLL_SECONDS
    ) -> None:
        """Polls (`poll_card`) every `period` seconds while `showing()`; runs until cancelled
        (the card screen runs it while mounted: Flet cancels it when the screen unmounts).
        The log says how many run, so a test can tell they do not pile up per visit."""
        watchers = self.__dict__.get("_watchers", 0) + 1
        object.__setattr__(self, "_watchers", watchers)
        log.info("card watch started (%d running)", watchers)
        try:
            while True:
                await asyncio.sleep(period)
                if showing():
                    try:
                        await self.poll_card()
                    except SessionError as exc:  # a poll never stops the card
                        log.info("card poll failed: %s", exc.slug)
        finally:
            watchers = self.__dict__["_watchers"] - 1
            object.__setattr__(self, "_watchers", watchers)
            log.info("card watch stopped (%d running)", watchers)

    async def load_more_history(self) -> None:
        if not self.history_cursor or self.history_loading:
            return
        self.history_loading = True
        try:
            page = await self.session.load_more_history(self.history_cursor)
            self.history = self.history + list(page.items)
            self.history_cursor = page.next_cursor
        except Offline:
            self.say("error.offline_action")
        except SessionError as exc:
            self.say(f"err.{exc.slug}")
        finally:
            self.history_loading = False

    # --- sign-in ----------------------------------------------------------------------------

    async def request_code(self, email: str) -> None:
        self.signin_error = None
        self.email = email.strip()  # a refused address stays in the field to be corrected
        try:
            await self.session.request_code(self.email)
            self.code_sent = True
        except SessionError as exc:
            self.signin_error = exc.slug

    def typed(self, field_name: str, value: str) -> None:
        """The member typed in a sign-in field (email, code, name or referral_code): kept
        without a redraw (a redraw per key could send a field an older value back while
        keys are still arriving), so the next redraw draws the field as typed."""
        if field_name in ("email", "code", "name", "referral_code"):
            object.__setattr__(self, field_name, value)

    async def verify(self, code: str, name: str = "", referral_code: str = "") -> None:
        """A refused code stays in its field (with the reason under it) to be corrected."""
        self.signin_error = None
        self.code, self.name, self.referral_code = code, name, referral_code
        try:
            await self.session.sign_in(
                self.email,
                code.strip(),
                name=name.strip() or None,
                referral_code=referral_code.strip() or None,
                device_name="member app",
            )
        except SessionError as exc:
            self.signin_error = exc.slug
            return
        await self._signed_in()

    async def try_demo(self) -> None:
        self.signin_error = None
        try:
            await self.session.demo_sign_in("member app (demo)")
        except SessionError as exc:
            self.signin_error = exc.slug
            return
        await self._signed_in()

    async def _signed_in(self) -> None:
        self.phase, self.code_sent = "signed_in", False
        self.code = self.name = self.referral_code = ""
        await self.refresh("start")

    def change_email(self) -> None:
        self.code_sent, self.signin_error, self.code = False, None, ""

    async def sign_out(self) -> None:
        await self.session.sign_out()
        self.clear_notice()
        self._forget_seen()
        self.phase = "signed_out"
        self.me = self.progress = self.catalogue = self.referral = self.inbox = None
        self.history, self.vouchers, self.pending, self.rejected = [], [], [], []
        self.devices, self.devices_status, self.devices_error = [], "idle", None
        await self.check_demo()

    async def sign_in_again(self) -> None:
        """The server ended this device's session: back to the sign-in screen, keeping the
        store (and queued intents) for when the same member signs in again."""
        self.phase, self.code_sent, self.signin_error = "signed_out", False, None
        self.sync_error = None
        self.clear_notice()
        await self.check_demo()

    # --- devices ----------------------------------------------------------------------------

    async def load_devices(self) -> None:
        """Ask the server for the member's signed-in devices (Settings shows them)."""
        if self.phase != "signed_in" or self.devices_status == "loading":
            return
        self.devices_status, self.devices_error = "loading", None
        try:
            self.devices = list(await self.session.devices())
            self.devices_status = "loaded"
        except Offline:
            self.devices_status = "offline"
        except SessionError as exc:
            self.devices_status, self.devices_error = "failed", exc.slug

    async def sign_out_device(self, device_id: str) -> None:
        """Sign one of the listed devices out (confirmed on screen); this one means sign-out."""
        device = next((d for d in self.devices if d.id == device_id), None)
        if device is None:
            return
        if device.current:
            await self.sign_out()
            return
        try:
            await self.session.end_device(device)
        except Offline:
            self.devices_status = "offline"
            self.say("error.offline_action")
            return
        except SessionError as exc:
            self.say(f"err.{exc.slug}")
            if exc.slug == "device-not-found":  # ended elsewhere meanwhile: gone all the same
                self.devices = [d for d in self.devices if d.id != device_id]
            return
        self.say("settings.devices.ended", name=device.name or "—")
        self.devices = [d for d in self.devices if d.id != device_id]

    # --- rewards ----------------------------------------------------------------------------

    def rewards_shown(self) -> list[Reward]:
        """The catalogue after search, category and "I can afford" filters."""
        if self.catalogue is None:
            return []
        index = self._index()
        found = index.search(self.query, self.lang, category=self.category)
        if self.affordable_only and self.me is not None and self.ladder is not None:
            today = datetime.now(UTC).date()
            found = [
                r
                for r in found
                if can_afford(r, self.me.balance, self.me.tier_code, self.ladder, today).ok
            ]
        return found

    def recommended(self) -> list[Recommendation]:
        """A few rewards for this member, each with its reason (domain.recommend)."""
        if self.catalogue is None or self.me is None:
            return []
        return recommend(
            self.catalogue.items,
            self.vouchers,
            balance=self.me.balance,
            tier_code=self.me.tier_code,
            ladder=self.ladder,
            today=datetime.now(UTC).date(),
        )

    def _index(self) -> RewardIndex:
        cached = self.__dict__.get("_index_cache")
        if cached is None or cached[0] is not self.catalogue:
            cached = (self.catalogue, RewardIndex(self.catalogue.items))
            object.__setattr__(self, "_index_cache", cached)
        return cached[1]

    def search(self, query: str) -> None:
        self.query = query
        self.rewards_limit = 48

    def show_more_rewards(self) -> None:
        self.rewards_limit += 48

    def choose_category(self, category: str | None) -> None:
        self.category = category or None

    def toggle_affordable(self, value: bool) -> None:
        self.affordable_only = bool(value)

    async def redeem(self, reward_id: str, then_at: str = "/vouchers") -> str:
        """Queue the redeem and say so at once (no network before that), then deliver it
        alone and show the server's answer: the voucher and the balance after it. Returns
        done | pending | rejected; the caller refreshes the rest afterwards (when done).
        The notices belong to `then_at`, the screen the member is taken to."""
        if self.connectivity == "offline":
            self._say("rewards.queued", {}, route=then_at)
        else:
            self._say("rewards.redeeming", {}, route=then_at, sticky=True)
        said = self.notice_serial
        # The outbox write waits for the disk (each commit is synced): off the UI loop, so
        # the message above is drawn meanwhile.
        item = await off_the_loop(self.session.queue_redeem, reward_id)
        self.pending = [*self.pending, item]
        try:
            item, report = await self.session.deliver(item.id)
        except NotSignedIn:
            self.phase = "signed_out"
            self.clear_notice()
            return "pending"
        if report.signed_out:
            expired = report.problem == "session-expired"
            self.sync_error = "session-expired" if expired else "signed_out"
        self.connectivity = report.connectivity
        pending, rejected = self.session.outbox()
        self.pending, self.rejected = list(pending), list(rejected)
        # The answer replaces "Redeeming…"/"Queued" only while that still shows: a member who
        # has gone to another tab (or closed it) meanwhile is not followed by it.
        showing = self.notice is not None and self.notice_serial == said

        def say(key: str, values: dict) -> None:
            if showing:
                self._say(key, values, route=then_at)

        if item.status == "done":
            answer = self.session.redemption(item)
            if answer is None:
                say("rewards.done", {})
            else:
                if self.me is not None:
                    self.me = replace(self.me, balance=answer.balance)
                others = [v for v in self.vouchers if v.id != answer.voucher.id]
                self.vouchers = [answer.voucher, *others]
                say("rewards.done_voucher", {"code": answer.voucher.code})
        elif item.status == "pending":
            say("rewards.queued", {})
        else:
            say("rewards.rejected", {"problem": item.problem or "server-error"})
        return item.status

    def offer_adding(self, offer_id: str) -> bool:
        """Whether "add to card" for this offer waits in the outbox (offline)."""
        return any(
            i.kind == "activate_offer" and i.payload.get("offer_id") == offer_id
            for i in self.pending
        )

    async def add_offer_to_card(self, offer_id: str) -> str:
        """Queue "add to card" (no network first), then deliver it alone; the offer shows as
        added once the server said so, and as waiting while offline. Returns done | pending
        | rejected."""
        item = await asyncio.to_thread(self.session.queue_activate_offer, offer_id)
        self.pending = [*self.pending, item]
        try:
            item, report = await self.session.deliver(item.id)
        except NotSignedIn:
            self.phase = "signed_out"
            return "pending"
        self.connectivity = report.connectivity
        pending, rejected = self.session.outbox()
        self.pending, self.rejected = list(pending), list(rejected)
        if item.status == "done" and item.result:
            try:
                added = Offer.from_json(dict(item.result))
            except PayloadError:
                added = None
            if added is not None:
                self.offers = [added if o.id == added.id else o for o in self.offers]
            self.say("offers.added")
        elif item.status == "pending":
            self.say("offers.adding_offline")
        else:
            self.say("err." + (item.problem or "server-error"))
        return item.status

    def dismiss(self, intent_id: int) -> None:
        """Stop showing a refused intent: only the outbox is read again."""
        self.session.dismiss(intent_id)
        pending, rejected = self.session.outbox()
        self.pending, self.rejected = list(pending), list(rejected)

    # --- inbox ------------------------------------------------------------------------------

    def inbox_shown(self) -> InboxShown:
        """The inbox with the marks still in the outbox applied, and its unread count."""
        marks = [
            (i.payload["message_id"], i.payload["mark"])
            for i in self.pending
            if i.kind == "inbox_mark"
        ]
        return shown(self.inbox, marks)

    def feedback_question(self) -> FeedbackAsk | None:
        """The feedback question to show now (none once answered or dismissed here)."""
        answered = [i.payload["purchase_id"] for i in self.pending if i.kind == "feedback"]
        answered += self.__dict__.get("_answered", [])
        return question(self.inbox, answered)

    async def answer_feedback(self, purchase_id: int, score: int | None, comment: str) -> None:
        """Answer (0-10, a comment) or dismiss (no score): the question goes at once and
        does not come back; the answer waits in the outbox when offline."""
        if self.phase != "signed_in":
            return
        object.__setattr__(self, "_answered", [*self.__dict__.get("_answered", []), purchase_id])
        try:
            report = await self.session.answer_feedback(purchase_id, score, comment)
        except NotSignedIn:
            self.phase = "signed_out"
            return
        self._took(report)
        if score is not None:
            self.say("feedback.thanks")

    async def read_message(self, message_id: str) -> None:
        """The member opened a message: it counts as read at once, offline too."""
        message = next((m for m in self.inbox_shown().items if m.id == message_id), None)
        if message is None or message.read:
            return
        await self._mark(message_id, "read")

    async def dismiss_message(self, message_id: str) -> None:
        """The member dismissed a message: it goes at once and for good, offline too."""
        await self._mark(message_id, "dismiss")

    async def _mark(self, message_id: str, mark: str) -> None:
        if self.phase != "signed_in":
            return
        try:
            report = await self.session.mark_message(message_id, mark)
        except NotSignedIn:
            self.phase = "signed_out"
            return
        self._took(report)

    def _took(self, report: Any) -> None:
        """After an intent was queued and (maybe) sent: connectivity, outbox and store."""
        self.connectivity = report.connectivity
        if report.signed_out:
            expired = report.problem == "session-expired"
            self.sync_error = "session-expired" if expired else "signed_out"
        self.reload_from_store()

    # --- settings ---------------------------------------------------------------------------

    def email_reminders(self) -> bool:
        """Whether reminder e-mails go out, with a change still in the outbox applied."""
        for item in reversed(self.pending):
            if item.kind == "settings" and "email_reminders" in item.payload:
                return bool(item.payload["email_reminders"])
        return self.me.email_reminders if self.me is not None else True

    async def set_email_reminders(self, on: bool) -> None:
        if self.phase != "signed_in":
            return
        try:
            report = await self.session.change_settings(email_reminders=bool(on))
        except NotSignedIn:
            self.phase = "signed_out"
            return
        self._took(report)

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES:
            if lang != self.lang:
                self.clear_notice()
            self.lang = lang
            self.prefs.save(lang=lang)

    def set_theme(self, theme: str) -> None:
        if theme in THEMES:
            self.theme = theme
            self.prefs.save(theme=theme)

    # --- notices: transient, like a snackbar --------------------------------------------------

    def say(self, key: str | None, **values: Any) -> None:
        """Show a notice on the current tab for `NOTICE_SECONDS`."""
        self._say(key, values, route=self.__dict__.get("_location", "/"))

    def _say(self, key: str | None, values: dict, *, route: str, sticky: bool = False) -> None:
        """A notice that belongs to `route`'s tab; a sticky one ("Redeeming…") stays until
        the next notice replaces it (or the member leaves the tab)."""
        if key is None:
            self.clear_notice()
            return
        object.__setattr__(self, "_notice_tab", tab_of(route))
        until = None if sticky else self._now() + NOTICE_SECONDS
        object.__setattr__(self, "_notice_until", until)
        self.notices.key, self.notices.values = key, values
        self.notices.serial += 1

    def clear_notice(self) -> None:
        if self.notices.key is not None:
            self.notices.key, self.notices.values = None, {}
        object.__setattr__(self, "_notice_until", None)

    @property
    def notice(self) -> str | None:
        """The notice's message key (None: no notice)."""
        return self.notices.key

    @property
    def notice_values(self) -> dict:
        return self.notices.values

    @property
    def notice_serial(self) -> int:
        return self.notices.serial

    def notice_left(self, now: float | None = None) -> float | None:
        """Seconds until the notice goes; None when there is none or it stays."""
        until = self.__dict__.get("_notice_until")
        if not self.notice or until is None:
            return None
        return max(0.0, until - (self._now() if now is None else now))

    def expire_notice(self, now: float | None = None) -> None:
        """Called by the notice's timer: clears it once its time is up (an older timer
        finding a newer notice leaves it)."""
        if self.notice_left(now) == 0.0:
            self.clear_notice()

    @property
    def location(self) -> str:
        """Where the member is now (as the frame last reported it)."""
        return self.__dict__.get("_location", "/")

    def navigated(self, location: str) -> None:
        """The member went to `location`: a notice said on another tab goes."""
        object.__setattr__(self, "_location", location)
        if self.notice and tab_of(location) != self.__dict__.get("_notice_tab"):
            self.clear_notice()

    def _now(self) -> float:
        clock = self.__dict__.get("_clock") or time.monotonic
        return clock()
