"""Observable kiosk state: what the person at the kiosk sees, as plain Python."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import flet as ft

from ..api.errors import ApiError
from ..i18n import LANGUAGES
from .core import CreditOutcome, KioskCore, KioskError, MemberRef
from .scan_input import EntryTimer

log = logging.getLogger("loyalty_app.kiosk")

IDLE_SECONDS = 60.0


@dataclass
class Activity:
    last: float


@ft.observable
@dataclass
class KioskState:
    core: KioskCore = field(repr=False, compare=False)
    mode: str = "checkout"  # checkout | self-service
    lang: str = "en"
    idle_seconds: float = IDLE_SECONDS
    # loading | setup | attract | member | credited | voucher | join | joined | stopped
    phase: str = "loading"
    store_name: str = ""
    connectivity: str = "unknown"
    pending: int = 0
    rejected: list[dict] = field(default_factory=list)
    error: str | None = None  # a message key
    error_detail: str = ""
    member: MemberRef | None = None
    last_credit: CreditOutcome | None = None
    voucher: dict | None = None
    joined: dict | None = None
    busy: bool = False
    scans: int = 0  # a new scan field (fresh, focused) after each scan
    staff_unlocked: bool = False
    staff_open: bool = False
    # Mutated in place, never reassigned: keystrokes must not re-render the scan field
    # (a re-render would send its old, empty value back to the browser).
    activity: Activity = field(
        default_factory=lambda: Activity(time.monotonic()), repr=False, compare=False
    )
    timer: EntryTimer = field(default_factory=EntryTimer, repr=False, compare=False)

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        if not await self.core.is_set_up():
            self.phase = "setup"
            return
        await self.sync()
        self.phase = "attract"

    async def set_up(self, credential: str, pin: str, pin_again: str) -> None:
        self.clear_error()
        if pin != pin_again:
            self._fail("pins_differ")
            return
        try:
            await self.core.set_up(credential, pin)
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        await self.sync()
        self.phase = "attract"

    async def sync(self) -> None:
        state = await self.core.sync()
        status = self.core.status()
        self.connectivity = state.connectivity
        self.pending = len(status.pending)
        self.rejected = [
            {
                "id": i.id,
                "amount": i.payload.get("amount"),
                "reason": i.last_error or "",
                "type": i.problem_type,
            }
            for i in status.rejected
            if i.kind == "credit"
        ]
        self.store_name = self.core.store_name

    def touch(self) -> None:
        self.activity.last = time.monotonic()

    def idle_check(self, now: float | None = None) -> bool:
        """Back to the attract screen after the idle timeout; True when it went back."""
        now = time.monotonic() if now is None else now
        if self.phase in ("loading", "setup", "attract") or self.busy:
            return False
        if now - self.activity.last >= self.idle_seconds:
            self.reset()
            return True
        return False

    def reset(self) -> None:
        self.phase = "attract"
        self.member = self.last_credit = self.voucher = self.joined = None
        self.staff_unlocked = self.staff_open = False
        self.clear_error()
        self.scans += 1
        self.timer.reset()

    # --- scanning ---------------------------------------------------------------------------

    def typing(self, text: str, at: float | None = None) -> None:
        self.timer.changed(text, time.monotonic() if at is None else at)
        self.touch()

    async def submit_scan(self, text: str, at: float | None = None) -> None:
        if self.busy:  # one scan at a time; a second burst while busy is dropped
            return
        source = self.timer.source(time.monotonic() if at is None else at)
        log.info("scan submitted: %d characters, %s", len(text.strip()), source)
        self.timer.reset()
        self.scans += 1
        self.clear_error()
        self.touch()
        self.busy = True
        try:
            outcome = await self.core.scan(text, source=source)
        except KioskError as exc:
            log.info("scan refused: %s", exc.kind)
            self._fail(exc.kind, exc.detail)
            return
        except ApiError as exc:
            self._fail(getattr(exc, "slug", "") or "unreachable", str(exc))
            return
        finally:
            self.busy = False
        if isinstance(outcome, MemberRef):
            self.member, self.phase = outcome, "member"
        else:
            self.voucher, self.phase = outcome, "voucher"

    # --- checkout ---------------------------------------------------------------------------

    async def credit(self, amount_text: str) -> None:
        if self.member is None:
            return
        self.clear_error()
        self.touch()
        self.busy = True
        try:
            self.last_credit = await self.core.credit(self.member, amount_text)
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        finally:
            self.busy = False
        if self.last_credit.status == "rejected":
            self._fail("credit_rejected", self.last_credit.intent.last_error or "")
        self.phase = "credited"
        await self.sync()

    async def void_last(self, pin: str) -> None:
        credit = self.last_credit
        if credit is None or credit.result is None:
            return
        self.clear_error()
        try:
            await self.core.void(int(credit.result["credit_id"]), pin)
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        self.last_credit = None
        self.reset()
        self._fail("voided")  # shown as a notice on the attract screen

    # --- self-service -------------------------------------------------------------------------

    def affordable_rewards(self) -> list[dict[str, Any]]:
        if self.member is None or self.member.summary is None:
            return []
        balance = self.member.summary["balance"]
        return sorted(
            (
                r
                for r in self.core.rewards()
                if r.get("active", True)
                and r["cost"] <= balance
                and r.get("stock") != 0
                and not r.get("min_tier")
            ),
            key=lambda r: -r["cost"],
        )

    def open_join(self) -> None:
        self.clear_error()
        self.touch()
        self.phase = "join"

    async def join(self, contact: str, name: str, referral_code: str) -> None:
        self.clear_error()
        self.touch()
        try:
            self.joined = await self.core.join(
                contact=contact, name=name, referral_code=referral_code
            )
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        self.phase = "joined"

    # --- staff ------------------------------------------------------------------------------

    async def unlock(self, pin: str) -> bool:
        self.touch()
        self.staff_unlocked = await self.core.check_pin(pin)
        if not self.staff_unlocked:
            self._fail("bad_pin")
        return self.staff_unlocked

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES and self.staff_unlocked:
            self.lang = lang

    def lock(self) -> None:
        self.staff_unlocked = False

    def toggle_staff(self) -> None:
        """Open or close the staff panel; it always opens locked."""
        self.staff_open = not self.staff_open
        self.staff_unlocked = False
        self.touch()

    # --- messages ---------------------------------------------------------------------------

    def _fail(self, kind: str, detail: str = "") -> None:
        self.error, self.error_detail = kind, detail

    def clear_error(self) -> None:
        self.error, self.error_detail = None, ""
