"""Request and response bodies: the typed half of the OpenAPI contract."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from . import formats
from .formats import CalendarDate

Texts = dict[str, str]


# Characters that change how the text around them is shown (the right-to-left override
# turns "Eve\u202egnp.exe" into "Eveexe.png") or are not text at all.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _plain_text(value: str) -> str:
    for ch in value:
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            raise ValueError(
                f"must not contain control or text-direction characters (U+{ord(ch):04X})"
            )
    return value


# Free text that is stored as typed and shown to people (names, at the till too): control
# and text-direction characters are refused (422) up front. PostgreSQL could not store NUL.
StoredText = Annotated[
    str, Field(json_schema_extra={"pattern": formats.PLAIN_TEXT}), AfterValidator(_plain_text)
]
Email = formats.checked(
    formats.EMAIL,
    "invalid-email",
    "not an e-mail address",
    max_length=254,
    description="An e-mail address (compared without case).",
)
Phone = formats.checked(
    formats.PHONE,
    "invalid-phone",
    "6 to 15 digits, optionally after a +",
    max_length=20,
    description="6 to 15 digits, optionally after a +; spaces, dots, dashes and brackets "
    "between them are ignored.",
)
ReferralCode = formats.checked(
    formats.REFERRAL_CODE,
    "unknown-referral-code",
    "no member has that referral code (they are 4 to 16 letters and digits); check it",
    description="A member's referral code (any case). An unknown one is 422 unknown-referral-code.",
)
MemberNumber = formats.checked(
    formats.MEMBER_NUMBER,
    "not-a-member-number",
    "a member number has 12 digits",
    max_length=32,
    description="12 digits (spaces and dashes between them are ignored); the last is a Luhn "
    "check digit (a wrong one is 422 bad-check-digit).",
)


class _OneOfIdentity:
    """Exactly one of `email` and `phone` (absent and null are alike): 422 identity-required."""

    @model_validator(mode="after")
    def _exactly_one_identity(self):  # noqa: ANN202
        formats.one_of_identity(self.email, self.phone)  # type: ignore[attr-defined]
        return self


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- auth -------------------------------------------------------------------------------------


class CodeRequest(_OneOfIdentity, Strict):
    model_config = ConfigDict(json_schema_extra=formats.ONE_OF_IDENTITY)
    email: Email | None = None
    phone: Phone | None = None


class CodeSent(BaseModel):
    sent: bool
    expires_in: int


SignInCode = formats.documented(
    formats.SIGN_IN_CODE,
    max_length=12,
    description="The 6-digit code that was sent; any other is 401 invalid-code.",
)


class VerifyRequest(_OneOfIdentity, Strict):
    model_config = ConfigDict(json_schema_extra=formats.ONE_OF_IDENTITY)
    email: Email | None = None
    phone: Phone | None = None
    code: SignInCode
    device_name: StoredText = Field(default="", max_length=100)
    name: StoredText | None = Field(default=None, max_length=100)
    referral_code: ReferralCode | None = None


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=1, max_length=200)


class CardCredentialOut(BaseModel):
    card_id: str
    secret: str
    prefix: str
    period: int
    digits: int
    algorithm: str


class Session(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int
    member_id: str
    new_member: bool
    card: CardCredentialOut


class Tokens(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int


# --- devices ----------------------------------------------------------------------------------


class DeviceOut(BaseModel):
    id: str
    name: str = Field(description="The device name given at sign-in (`device_name`).")
    created_at: datetime = Field(description="When the device signed in.")
    last_seen_at: datetime = Field(
        description="Its last sign-in or token refresh (refreshed about every 15 minutes "
        "while in use; not every request)."
    )
    session_ends_at: datetime = Field(
        description="When its session ends for good (a fixed age after sign-in)."
    )
    current: bool = Field(description="True for the device making this request.")


class DeviceList(BaseModel):
    items: list[DeviceOut] = Field(
        description="Live devices: the caller's first, then the most recently seen."
    )


# --- member -----------------------------------------------------------------------------------


class TierRef(BaseModel):
    code: str
    name: Texts
    colour: str
    multiplier: str


class ExpiringPoints(BaseModel):
    points: int
    on: date


class PunchCardState(BaseModel):
    stamps: int
    of: int
    reward_id: str


class Me(BaseModel):
    member_id: str
    member_number: str
    name: str
    email: str | None
    phone: str | None
    language: str
    birthday: date | None
    joined_at: datetime
    tier: TierRef
    balance: int
    pending: int
    expiring: list[ExpiringPoints]
    punch_card: PunchCardState | None
    is_demo: bool
    email_reminders: bool = Field(
        default=True,
        description="Whether reminder e-mails (points or a voucher about to expire) go out.",
    )


class ProfileUpdate(Strict):
    name: StoredText | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, pattern="^(en|zh-Hans|zh-Hant)$")
    birthday: CalendarDate | None = Field(
        default=None,
        description="Set once; from 1900-01-01 up to today (else 422 invalid-birthday). "
        "The birthday bonus pays only for a birthday set at least the programme's notice "
        "(30 days in the demo) before the birthday month begins.",
    )
    email_reminders: bool | None = Field(
        default=None, description="Turn reminder e-mails on or off."
    )


# --- inbox ------------------------------------------------------------------------------------


class InboxMessage(BaseModel):
    id: str = Field(
        description="Names the event (e.g. `points-expiring:2026-12-05`): the same event keeps "
        "its id, and read and dismissed state is kept per id."
    )
    kind: str = Field(
        description="offer | points_expiring | voucher_expiring | stamp_card | "
        "birthday_voucher | tier_reached | tier_at_risk (more kinds may come: show what you "
        "know, skip the rest)."
    )
    at: datetime = Field(description="When the message arose; the inbox is newest first.")
    read: bool
    points: int | None = Field(
        default=None,
        description="points_expiring: the points that expire; tier_at_risk: the qualifying "
        "points still needed to keep the tier.",
    )
    on: date | None = Field(
        default=None,
        description="The day points or a voucher expire, or the tier is requalified; offer: "
        "the first day of the offer's run (after today: it is still to come).",
    )
    voucher_code: str | None = None
    reward_name: Texts | None = None
    tier_name: Texts | None = None
    stamps_left: int | None = None
    offer_id: str | None = Field(
        default=None, description="offer: the offer's id in GET /v1/me/offers."
    )
    offer_name: Texts | None = None


class FeedbackAsk(BaseModel):
    purchase_id: int = Field(description="The purchase the question is about.")
    store: str = Field(description="Where it was made (may be empty).")
    purchase_at: datetime


class Inbox(BaseModel):
    items: list[InboxMessage]
    unread: int
    feedback: FeedbackAsk | None = Field(
        default=None,
        description="Ask the member how likely they are to recommend the shop (0-10): after "
        "a purchase in the last 7 days, at most once in 30 days (an answer and a dismissal "
        "both count). Answer with POST /v1/me/feedback.",
    )


def _not_a_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    return value


# A JSON integer (9 or 9.0, as JSON Schema counts), never `true` or `false`.
WholeNumber = Annotated[int, BeforeValidator(_not_a_boolean)]


class FeedbackIn(Strict):
    purchase_id: WholeNumber = Field(ge=1, le=2**31 - 1)
    score: Annotated[int, Ge(0), Le(10), BeforeValidator(_not_a_boolean)] | None = Field(
        default=None, description="0-10; none: the member dismissed the question."
    )
    comment: StoredText | None = Field(default=None, max_length=1000)


class FeedbackResult(BaseModel):
    recorded: bool = Field(
        description="False when that question was no longer due (answered elsewhere meanwhile)."
    )


# --- ledger -----------------------------------------------------------------------------------


class LedgerItem(BaseModel):
    id: int
    at: datetime = Field(
        description="When it happened: the purchase, the bonus, the redeem, or the moment the "
        "points expired (an expiry is booked on the member's next visit, dated when it "
        "happened). The history is ordered by this, newest first, then by `id`."
    )
    amount: int
    kind: str
    reason: str
    details: dict = Field(
        description="What the entry is about, by `reason`. `purchase`: `amount`, `currency`, "
        "`store` (where it was bought), `base`, `bonus`, `multiplier`. `reward_redeemed`: "
        "`reward_id`. `points_expired`: `expired_on` (the date the points expired) and "
        "`earned_on` (the dates they were earned, oldest first). Clients ignore keys they "
        "do not know."
    )
    expires_at: datetime | None
    available_at: datetime | None
    voided: bool


class LedgerPage(BaseModel):
    items: list[LedgerItem]
    next_cursor: str | None


# --- tiers ------------------------------------------------------------------------------------


class TierOut(BaseModel):
    code: str
    name: Texts
    qualifying_points: int
    multiplier: str
    benefits: list[Texts]
    colour: str


class TierLadder(BaseModel):
    window_months: int
    tiers: list[TierOut]


class TierProgressOut(BaseModel):
    tier: str
    next_tier: str | None
    qualifying_points: int
    points_to_next: int
    fraction: float
    requalify_at: datetime | None
    window_months: int


# --- rewards and vouchers ---------------------------------------------------------------------


class RewardOut(BaseModel):
    id: str
    name: Texts
    description: Texts
    terms: Texts
    category: str
    cost: int
    stock: int | None
    valid_until: date | None
    image: str | None = Field(
        description="Server-relative URL of the reward's picture (GET it: SVG, PNG, JPEG or "
        "WebP with an ETag), or null when it has none."
    )
    min_tier: str | None
    active: bool
    updated_at: datetime


class Category(BaseModel):
    id: str
    name: Texts


class Catalogue(BaseModel):
    items: list[RewardOut]
    categories: list[Category]
    server_time: datetime
    delta: bool
    removed: list[str]


class VoucherOut(BaseModel):
    id: str
    code: str
    qr_payload: str
    reward_id: str
    reward_name: Texts
    source: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    status: str  # usable | used | expired


class VoucherList(BaseModel):
    items: list[VoucherOut]


class Redemption(BaseModel):
    voucher: VoucherOut
    points_spent: int
    balance: int


# --- referral ---------------------------------------------------------------------------------


class ReferralStats(BaseModel):
    invited: int
    joined: int
    rewarded: int


class ReferralOut(BaseModel):
    code: str
    link: str
    referrer_points: int
    referee_points: int
    stats: ReferralStats
    referred_by: str | None


class ClaimRequest(Strict):
    code: ReferralCode


# --- offers -----------------------------------------------------------------------------------


class OfferOut(BaseModel):
    """A programme offer as one member has it."""

    id: str
    name: Texts
    description: Texts
    multiplier: str | None = Field(
        description='The purchase\'s base points times this, less the base ("2": double '
        "points); null for a fixed bonus. Of several multiplier offers on one purchase only "
        "the highest pays; fixed bonuses all add up."
    )
    points: int | None = Field(description="A fixed bonus per purchase; null for a multiplier.")
    starts: date = Field(description="First day, in the programme's `time_zone`.")
    ends: date = Field(description="Last day (inclusive), in the programme's `time_zone`.")
    days: list[str] = Field(description="Days of the week it runs (mon … sun); empty: every day.")
    from_hour: int | None = Field(description="Runs from this hour (0-23), shop time.")
    until_hour: int | None = Field(description="… until before this hour (1-24).")
    category: str | None = Field(description="Only purchases in this reward category.")
    min_spend: str | None = Field(description="Only purchases of at least this amount.")
    tiers: list[str] = Field(description="Only members of these tiers; empty: every tier.")
    welcome: bool = Field(description="For new members, in their first days.")
    win_back: bool = Field(description="For members who have not visited for a while.")
    needs_activation: bool = Field(description="Pays only once added to the card.")
    activated: bool
    upcoming: bool = Field(description="Not running yet: `starts` is after today.")
    uses_left: int | None = Field(description="Bonuses it will still pay; null: no limit.")


class OfferList(BaseModel):
    items: list[OfferOut] = Field(
        description="The member's offers: running ones first, then upcoming by first day."
    )
    time_zone: str = Field(description="The shop's time zone: days and hours are its own.")


class AppliedOffer(BaseModel):
    offer_id: str
    name: Texts
    points: int


# --- challenges and badges ----------------------------------------------------------------


class BadgeOut(BaseModel):
    """A challenge of the programme and the member's badge for it."""

    id: str
    name: Texts
    description: Texts
    goal: str = Field(description="visits | categories | referrals: what it counts.")
    count: int = Field(description="How many to reach.")
    within_days: int | None = Field(description="Visits within this many days; null: ever.")
    points: int = Field(description="Points awarded once with the badge (0: none).")
    reached: int = Field(description="How many the member has (at most `count`).")
    earned_at: datetime | None = Field(description="When the badge was earned; null: not yet.")


class BadgeList(BaseModel):
    items: list[BadgeOut] = Field(description="Every challenge, in the programme's order.")


# --- programme --------------------------------------------------------------------------------


class ProgrammeOut(BaseModel):
    id: str
    name: Texts
    primary_colour: str
    logo: str | None = Field(
        description="Server-relative URL of the shop's logo (GET it: SVG, PNG, JPEG or WebP "
        "with an ETag), or null when it has none."
    )
    currency: str
    currency_decimals: int
    earn_points_per_unit: str
    card_prefix: str
    card_period: int
    card_digits: int
    expiry_months: int | None
    max_purchase_amount: str
    demo: bool
    birthday_points: int | None = Field(
        default=None,
        description="Points given once a year in the member's birthday month; null: none.",
    )


# --- checkout (staff) -------------------------------------------------------------------------


CardToken = formats.documented(
    formats.CARD_TOKEN,
    max_length=256,
    description="The card QR's text, `<prefix>:<card id>:<step start>:<code>`; whether it is "
    "this programme's, known and current is checked against the card (422 not-our-code, "
    "unknown-card, card-revoked, token-*; 409 token-replayed).",
)
Scanned = formats.documented(
    formats.SCANNED,
    max_length=256,
    description="What the till read: a card code, a typed member number, or (refused with "
    "422 voucher-not-card) a voucher's QR.",
)
ScanTime = Annotated[
    formats.timestamp("scan-time-invalid"),
    Field(
        description="When an offline kiosk scanned the card (RFC 3339 with an offset); not in "
        "the future nor before the card existed (else 422 scan-time-invalid)."
    ),
]


class ScanRequest(Strict):
    token: Scanned
    scanned_at: ScanTime | None = None


class MemberNumberLookup(Strict):
    member_number: MemberNumber


class CheckoutMember(BaseModel):
    member_id: str
    display_name: str
    member_number: str
    tier: TierRef
    balance: int
    vouchers: list[VoucherOut]
    next_tier: TierRef | None
    points_to_next: int
    tier_fraction: float


Amount = formats.checked(
    formats.AMOUNT,
    "invalid-amount",
    "a purchase amount is written like 12.50",
    description="A positive amount in plain decimals, like 12.50; more decimals than the "
    "currency has or more than the programme's maximum is 422 invalid-amount.",
)
VoucherCode = formats.checked(
    formats.VOUCHER_CODE,
    "invalid-voucher-code",
    "not a voucher code",
    description="The voucher's code as shown (any case, dashes or spaces between groups) or "
    "its QR payload `<card prefix>-V:<code>`.",
)


class CreditRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["token"],
                    "properties": {"token": {"type": "string"}, "member_number": {"type": "null"}},
                },
                {
                    "required": ["member_number"],
                    "properties": {"member_number": {"type": "string"}, "token": {"type": "null"}},
                },
            ],
            "description": "Exactly one of `token` (the card code scanned) and "
            "`member_number` (typed); else 422 card-required.",
        }
    )
    token: CardToken | None = None
    member_number: MemberNumber | None = None
    amount: Amount
    scanned_at: ScanTime | None = None
    categories: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]] = Field(
        default_factory=list,
        max_length=20,
        description="The programme's reward categories the purchase includes (optional): "
        "offers for one category pay only when it is named.",
    )

    @model_validator(mode="after")
    def _card_or_number(self):  # noqa: ANN202
        formats.one_of_card(self.token, self.member_number)
        return self


class CreditResult(BaseModel):
    credit_id: int
    member_id: str
    display_name: str
    purchase_amount: str
    currency: str
    base_points: int
    bonus_points: int
    points: int
    multiplier: str
    tier: TierRef
    tier_change: str
    balance: int
    punch_card: PunchCardState | None
    voucher_issued: VoucherOut | None
    referral_bonus: int
    offers: list[AppliedOffer] = Field(
        default_factory=list,
        description="The offers' bonuses, each also its own line of the member's ledger "
        "(reason `offer_bonus`); not counted in `points`.",
    )


class VoidResult(BaseModel):
    credit_id: int
    points_removed: int
    balance: int


class VoucherRedeemRequest(Strict):
    code: VoucherCode


class VoucherRedeemResult(BaseModel):
    voucher: VoucherOut
    member_display_name: str


class JoinRequest(_OneOfIdentity, Strict):
    model_config = ConfigDict(json_schema_extra=formats.ONE_OF_IDENTITY)
    email: Email | None = None
    phone: Phone | None = None
    name: StoredText = Field(default="", max_length=100)
    referral_code: ReferralCode | None = None


class JoinResult(BaseModel):
    member_id: str
    member_number: str
    display_name: str
    app_link: str
    referral_applied: bool


class StaffMe(BaseModel):
    staff_id: str
    name: str
    store: str


class Health(BaseModel):
    status: str
    database: str
    demo: bool
    version: str
