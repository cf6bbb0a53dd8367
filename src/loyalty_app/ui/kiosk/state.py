"""Observable kiosk state: what the person at the kiosk sees, as plain Python."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import flet as ft

from ...domain.models import Category, JoinResult, Programme, Reward, VoucherRedeemResult
from ...domain.rewards import can_afford
from ...i18n import LANGUAGES
from ...kiosk.amount_entry import apply_key
from ...kiosk.camera import SeenCodes, camera_available
from ...kiosk.categories import toggle
from ...kiosk.scan_input import EntryTimer
from ...session import CreditOutcome, KioskError, KioskSession, MemberRef, OutboxItem, SessionError

log = logging.getLogger("loyalty_app.kiosk")

IDLE_SECONDS = 60.0


@dataclass
class Activity:
    last: float
    # Keys the cashier pressed while the card was being looked up: the amount, typed ahead.
    typed_ahead: list[str] = field(default_factory=list)
    # The scan field's text as typed so far: the field is drawn with it, so that a redraw
    # in the middle of a scan (the kiosk going offline) leaves it be. Drawn without it, the
    # field was sent back empty and the keys typed before the redraw were lost.
    scan_text: str = ""


@ft.observable
@dataclass
class KioskState:
    session: KioskSession = field(repr=False, compare=False)
    mode: str = "checkout"  # checkout | self-service
    lang: str = "en"
    idle_seconds: float = IDLE_SECONDS
    # loading | setup | attract | member | credited | voucher | join | joined | stopped
    phase: str = "loading"
    store_name: str = ""
    connectivity: str = "unknown"
    pending: int = 0
    rejected: list[OutboxItem] = field(default_factory=list)
    programme: Programme | None = None
    # The programme's categories, a chip each at checkout; read from the store at each sync,
    # not at each keystroke's re-render.
    purchase_categories: tuple[Category, ...] = ()
    error: str | None = None  # a problem slug (err.<slug>) or a kiosk refusal (kerr.<kind>)
    error_detail: str = ""  # the server's words, for the log only
    member: MemberRef | None = None
    amount: str = ""  # the purchase amount as keyed in on the member screen
    categories: tuple[str, ...] = ()  # what the purchase included, as tapped on the chips
    voucher_pick: str | None = None  # a voucher tapped on the member screen, to confirm
    last_credit: CreditOutcome | None = None
    voucher: VoucherRedeemResult | None = None
    joined: JoinResult | None = None
    busy: bool = False
    scans: int = 0  # a new scan field (fresh, focused) after each scan
    staff_unlocked: bool = False
    camera: bool = False  # scanning with the camera, chosen by staff
    staff_open: bool = False
    void_open: bool = False  # the PIN field to void the last credit is shown
    # Mutated in place, never reassigned: keystrokes must not re-render the scan field
    # (a re-render would send its old, empty value back to the browser).
    activity: Activity = field(
        default_factory=lambda: Activity(time.monotonic()), repr=False, compare=False
    )
    timer: EntryTimer = field(default_factory=EntryTimer, repr=False, compare=False)
    # The codes the camera has handed on: kept here, not in the camera's screen, so the code
    # of a member who pressed "Done" with the phone still up is not read again.
    camera_seen: SeenCodes = field(default_factory=SeenCodes, repr=False, compare=False)

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        if self.session.language in LANGUAGES:  # chosen by staff before a reload or restart
            self.lang = self.session.language
        self.camera = self.session.camera and camera_available()
        if not await self.session.is_set_up():
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
            await self.session.set_up(credential, pin)
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        await self.sync()
        self.phase = "attract"

    async def sync(self) -> None:
        status = await self.session.sync()
        if status.revoked:
            self.reset()
            self.phase = "setup"
            self._fail("credential_revoked")
        self.connectivity = status.connectivity
        self.pending = len(status.pending)
        self.rejected = [i for i in status.rejected if i.kind == "credit"]
        self.store_name = self.session.store_name
        self.programme = self.session.programme()
        self.purchase_categories = self.session.categories()

    def touch(self) -> None:
        self.activity.last = time.monotonic()

    def idle_check(self, now: float | None = None) -> bool:
        """Back to the attract screen after the idle timeout; True when it went back."""
        now = time.monotonic() if now is None else now
        if self.phase in ("loading", "setup", "attract") or self.busy:
            return False
        # Against the deadline, not `now - last`: that difference can come out a hair short
        # of the timeout at the very moment it is due (59.99999999999818 for 60).
        if now >= self.activity.last + self.idle_seconds:
            self.reset()
            return True
        return False

    def reset(self) -> None:
        self.phase = "attract"
        self.member = self.last_credit = self.voucher = self.joined = None
        self.amount, self.voucher_pick, self.categories = "", None, ()
        self.staff_unlocked = self.staff_open = self.void_open = False
        self.clear_error()
        self._fresh_scan_field()

    def _fresh_scan_field(self) -> None:
        self.scans += 1
        self.timer.reset()
        self.activity.scan_text = ""

    # --- scanning ---------------------------------------------------------------------------

    def typing(self, text: str, at: float | None = None) -> None:
        self.timer.changed(text, time.monotonic() if at is None else at)
        self.activity.scan_text = text
        self.touch()

    async def camera_scan(self, text: str) -> None:
        """A code read by the camera: as trustworthy as a scanner's burst."""
        if self.phase == "attract" and not self.staff_open:
            await self.submit_scan(text, source="camera")

    async def submit_scan(
        self, text: str, at: float | None = None, source: str | None = None
    ) -> None:
        if self.busy:  # one scan at a time; a second burst while busy is dropped
            return
        submitted = time.monotonic() if at is None else at
        pace = self.timer.ms_per_char(submitted)
        source = source or self.timer.source(submitted)
        log.info(
            "scan submitted: %d characters, %s (%s ms a character)",
            len(text.strip()),
            source,
            "-" if pace is None else f"{pace:.0f}",
        )
        self._fresh_scan_field()
        self.clear_error()
        self.touch()
        self.activity.typed_ahead.clear()
        self.busy = True
        try:
            outcome = await self.session.scan(text, source=source)
        except SessionError as exc:
            self._fail(exc.slug, exc.detail)
            return
        finally:
            self.busy = False
        ahead, self.activity.typed_ahead = self.activity.typed_ahead, []
        if isinstance(outcome, MemberRef):
            # The header follows what this scan met, not only the last sync (every 20 s).
            self.connectivity = "offline" if outcome.offline else "online"
            self.member, self.phase = outcome, "member"
            if self.mode == "checkout":
                self._apply_typed_ahead(ahead)
        else:
            self.voucher, self.phase = outcome, "voucher"

    # --- checkout ---------------------------------------------------------------------------

    async def key_pressed(self, key: str, modified: bool = False) -> None:
        """A key pressed anywhere on the page. On the checkout member screen it goes to the
        amount whatever has the focus (see kiosk/amount_entry.py); elsewhere text fields
        take their own keys and this does nothing."""
        if modified or self.mode != "checkout" or self.staff_open:
            return
        if self.phase == "attract" and self.busy:
            # The card is being looked up and the cashier is already typing the amount:
            # kept, and applied once the member is on screen (the scan's own keys all came
            # before its Enter, so none of them can land here).
            self.activity.typed_ahead.append(key)
            return
        if self.phase != "member" or self.busy or self.voucher_pick is not None:
            return
        edit = apply_key(self.amount, key)
        if edit.changed:
            self.amount = edit.text
            self.clear_error()  # the refusal was about the amount now being corrected
            self.touch()
        if edit.submit:
            await self.credit()

    def _apply_typed_ahead(self, keys: list[str]) -> None:
        amount = ""
        for key in keys:
            edit = apply_key(amount, key)
            amount = edit.text
            if edit.submit:  # typed ahead and Enter too: shown first, booked only by a new Enter
                break
        self.amount = amount

    def amount_key(self, key: str) -> None:
        """A key of the on-screen keypad."""
        if self.phase == "member" and not self.busy:
            self.amount = apply_key(self.amount, key).text
            self.clear_error()
            self.touch()

    def category_choices(self) -> tuple[Category, ...]:
        """The programme's categories, one chip each on the checkout member screen."""
        return self.purchase_categories

    def toggle_category(self, code: str) -> None:
        """A category chip tapped: the purchase includes it, or no longer does. The amount
        is left alone (its keys keep coming from the page, whatever was tapped)."""
        if self.phase != "member" or self.mode != "checkout" or self.busy:
            return
        self.touch()
        self.categories = toggle(self.categories, code, [c.id for c in self.category_choices()])

    async def credit(self, amount_text: str | None = None) -> None:
        """Book the amount keyed in (or the one given). One at a time: a second Enter while
        the first is on its way books nothing."""
        if self.member is None or self.busy:
            return
        if amount_text is None:
            amount_text = self.amount
        self.clear_error()
        self.touch()
        self.busy = True
        try:
            self.last_credit = await self.session.credit(self.member, amount_text, self.categories)
        except KioskError as exc:  # nothing was booked: the amount and the chips stay
            self._fail(exc.kind, exc.detail)
            return
        finally:
            self.busy = False
        self.categories = ()  # they went with this credit; the next purchase starts afresh
        if self.last_credit.status == "rejected":
            intent = self.last_credit.intent
            self._fail(intent.problem or "server-error", intent.detail or "")
        self.phase = "credited"
        await self.sync()

    async def void_last(self, pin: str) -> None:
        credit = self.last_credit
        if credit is None or credit.result is None:
            return
        self.clear_error()
        try:
            await self.session.void(credit.result.credit_id, pin)
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        self.last_credit = None
        self.reset()
        self._fail("voided")  # shown as a notice on the attract screen

    def pick_voucher(self, code: str | None) -> None:
        """A voucher tapped on the member screen (None: not this one after all)."""
        self.touch()
        self.clear_error()
        self.voucher_pick = code

    async def use_voucher(self) -> None:
        """Redeem the voucher tapped and confirmed on the member screen."""
        code = self.voucher_pick
        if code is None or self.busy:
            return
        self.touch()
        self.busy = True
        try:
            self.voucher = await self.session.use_voucher(code)
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        finally:
            self.busy = False
        self.voucher_pick = None
        self.phase = "voucher"

    def open_void(self) -> None:
        """Ask for the PIN to void the credit just made."""
        self.touch()
        self.void_open = True

    # --- self-service -------------------------------------------------------------------------

    def affordable_rewards(self) -> list[Reward]:
        """What the scanned member can redeem now, dearest first: the member app's rule."""
        ladder = self.session.ladder()
        if self.member is None or self.member.summary is None or ladder is None:
            return []
        summary, today = self.member.summary, datetime.now(UTC).date()
        return sorted(
            (
                r
                for r in self.session.rewards()
                if can_afford(r, summary.balance, summary.tier.code, ladder, today).ok
            ),
            key=lambda r: -r.cost,
        )

    def open_join(self) -> None:
        self.clear_error()
        self.touch()
        self.phase = "join"

    async def join(self, contact: str, name: str, referral_code: str) -> None:
        self.clear_error()
        self.touch()
        try:
            self.joined = await self.session.join(
                contact=contact, name=name, referral_code=referral_code
            )
        except KioskError as exc:
            self._fail(exc.kind, exc.detail)
            return
        self.phase = "joined"

    # --- staff ------------------------------------------------------------------------------

    async def unlock(self, pin: str) -> bool:
        self.touch()
        self.staff_unlocked = await self.session.check_pin(pin)
        if self.staff_unlocked:
            self.clear_error()  # an earlier "Wrong PIN" no longer applies
        else:
            self._fail("bad_pin")
        return self.staff_unlocked

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES and self.staff_unlocked:
            self.lang = lang
            self.session.remember_language(lang)

    def set_camera(self, on: bool) -> None:
        if self.staff_unlocked and (camera_available() or not on):
            self.camera = on
            self.session.remember_camera(on)

    def lock(self) -> None:
        self.staff_unlocked = False

    def toggle_staff(self) -> None:
        """Open or close the staff panel; it always opens locked."""
        self.staff_open = not self.staff_open
        self.staff_unlocked = False
        self.touch()

    # --- messages ---------------------------------------------------------------------------

    def _fail(self, kind: str, detail: str = "") -> None:
        # The server's or the network's words go to the log, where an "Offline" refusal can
        # be told apart (no answer in time, connection dropped) after the fact.
        log.info("refused: %s%s", kind, f" ({detail})" if detail else "")
        self.error, self.error_detail = kind, detail

    def clear_error(self) -> None:
        self.error, self.error_detail = None, ""
