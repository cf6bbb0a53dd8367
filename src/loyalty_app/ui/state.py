"""Observable app state over the member's session. Methods are named for what the member does;
no controls in here, so tests drive them directly in plain Python."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import flet as ft

from ..domain.models import (
    Catalogue,
    Device,
    LedgerEntry,
    Member,
    Programme,
    Referral,
    Reward,
    TierLadder,
    TierProgress,
    Voucher,
)
from ..domain.rewards import RewardIndex, can_afford
from ..i18n import LANGUAGES
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
    notice: str | None = None  # a message key (and values) for a snackbar-like line
    notice_values: dict = field(default_factory=dict)

    # --- start-up ---------------------------------------------------------------------------

    def load_prefs(self, system_lang: str) -> None:
        prefs = self.prefs.load()
        self.lang = prefs.get("lang") if prefs.get("lang") in LANGUAGES else system_lang
        self.theme = prefs.get("theme") if prefs.get("theme") in THEMES else "system"

    async def start(self) -> None:
        """Show what the store has at once, then sync in the background of the caller."""
        # A damaged store: end the session it left behind (or take it back), and tell the
        # member once what happened.
        await self.session.settle_store()
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
        view = self.session.view()
        self.programme = view.programme or self.programme
        self.me = view.me
        self.progress = view.progress
        self.ladder = view.ladder
        if view.history is not None:
            self.history = list(view.history.items)
            self.history_cursor = view.history.next_cursor
        self.catalogue = view.catalogue
        self.vouchers = list(view.vouchers)
        self.referral = view.referral
        self.pending = list(view.pending)
        self.rejected = list(view.rejected)
        self.last_synced = view.last_synced

    # --- sync -------------------------------------------------------------------------------

    async def refresh(self, trigger: str = "manual") -> None:
        if self.phase != "signed_in" or self.syncing:
            return
        self.syncing = True
        try:
            report = await self.session.sync(trigger)
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

    async def verify(self, code: str, name: str = "", referral_code: str = "") -> None:
        self.signin_error = None
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
        await self.refresh("start")

    def change_email(self) -> None:
        self.code_sent, self.signin_error = False, None

    async def sign_out(self) -> None:
        await self.session.sign_out()
        self.phase = "signed_out"
        self.me = self.progress = self.catalogue = self.referral = None
        self.history, self.vouchers, self.pending, self.rejected = [], [], [], []
        self.devices, self.devices_status, self.devices_error = [], "idle", None
        await self.check_demo()

    async def sign_in_again(self) -> None:
        """The server ended this device's session: back to the sign-in screen, keeping the
        store (and queued intents) for when the same member signs in again."""
        self.phase, self.code_sent, self.signin_error = "signed_out", False, None
        self.sync_error = None
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

    async def redeem(self, reward_id: str) -> str:
        """Queue the redeem and try to deliver it; returns done | pending | rejected."""
        intent = await self.session.redeem(reward_id)
        self.reload_from_store()
        if intent.status == "done":
            self.say("rewards.done")
        elif intent.status == "pending":
            self.say("rewards.queued")
        else:
            self.say("rewards.rejected", problem=intent.problem or "server-error")
        return intent.status

    def dismiss(self, intent_id: int) -> None:
        self.session.dismiss(intent_id)
        self.reload_from_store()

    # --- settings ---------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES:
            self.lang = lang
            self.prefs.save(lang=lang)

    def set_theme(self, theme: str) -> None:
        if theme in THEMES:
            self.theme = theme
            self.prefs.save(theme=theme)

    def say(self, key: str | None, **values: Any) -> None:
        self.notice, self.notice_values = key, values
