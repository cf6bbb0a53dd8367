"""The client's view of the API's data: frozen dataclasses built from the JSON bodies.

Each class has a ``from_json(d)`` classmethod that reads one object of the matching
OpenAPI schema (``Me`` → :class:`Member`, ``LedgerItem`` → :class:`LedgerEntry`, ...).
Unknown keys are ignored, so a newer server can add fields; a missing required key or a
value of the wrong type raises :class:`PayloadError` (a ``ValueError``).

Datetimes are timezone-aware (the server sends ISO 8601 with ``Z``); a timestamp without
an offset is refused rather than guessed.  Decimal strings (multipliers, earn rates,
amounts) become :class:`~decimal.Decimal`.  Multilingual texts stay dictionaries keyed by
language tag (``"en"``, ``"zh-Hans"``, ``"zh-Hant"``); pick one with :func:`text`.

No I/O here: parsing only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from loyalty_core.card.token import CardCredential

__all__ = [
    "LANGUAGES",
    "CardCredential",
    "Catalogue",
    "Category",
    "ExpiringPoints",
    "LedgerEntry",
    "LedgerPage",
    "Member",
    "PayloadError",
    "Programme",
    "PunchCard",
    "Referral",
    "ReferralStats",
    "Reward",
    "Session",
    "Texts",
    "Tier",
    "TierLadder",
    "TierProgress",
    "Voucher",
    "card_credential_from_json",
    "parse_datetime",
    "resolve_language",
    "text",
]

#: The languages every programme text is written in.
LANGUAGES = ("en", "zh-Hans", "zh-Hant")

#: A text in several languages: ``{"en": "Harbor Gold", "zh-Hans": "港湾金卡", ...}``.
Texts = Mapping[str, str]


class PayloadError(ValueError):
    """A JSON body does not match the API contract (missing key, wrong type, bad value)."""


# --------------------------------------------------------------------------- texts

# Where to look when the wanted language is missing, in order.  The two Chinese scripts
# are closer to each other than to English; English is the programme's common fallback.
_FALLBACKS = {
    "zh-Hant": ("zh-Hant", "zh-Hans", "en"),
    "zh-Hans": ("zh-Hans", "zh-Hant", "en"),
    "en": ("en", "zh-Hant", "zh-Hans"),
}
# Regions that write Traditional Chinese when a tag has no script subtag ("zh-TW").
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


def resolve_language(lang: str) -> str:
    """The LANGUAGES entry for a language tag: "zh-TW" → "zh-Hant", "en-GB" → "en".

    Script subtags win over regions ("zh-Hant-CN" → "zh-Hant"); a bare "zh" is
    Simplified; case and "_" instead of "-" do not matter.  Other languages map to "en",
    the programme's common fallback.
    """
    parts = lang.replace("_", "-").lower().split("-")
    if parts[0] != "zh":
        return "en"
    if "hant" in parts:
        return "zh-Hant"
    if "hans" in parts:
        return "zh-Hans"
    return "zh-Hant" if any(p in _HANT_REGIONS for p in parts[1:]) else "zh-Hans"


def text(texts: Texts | None, lang: str) -> str:
    """The text of *texts* to show to someone reading *lang*.

    An exact tag wins; then the same language (``"zh-TW"`` → ``"zh-Hant"``,
    ``"en-GB"`` → ``"en"``); then the other Chinese script before English for Chinese
    readers, and Traditional before Simplified for everyone else; then any non-empty
    text.  Empty strings count as missing.  No texts at all gives ``""``.
    """
    if not texts:
        return ""
    exact = texts.get(lang)
    if exact:
        return exact
    for candidate in _FALLBACKS[resolve_language(lang)]:
        value = texts.get(candidate)
        if value:
            return value
    # Keys with other spellings ("zh-hant", "en-US") or other languages entirely.
    wanted = resolve_language(lang)
    for key, value in texts.items():
        if value and resolve_language(key) == wanted:
            return value
    return next((value for value in texts.values() if value), "")


# --------------------------------------------------------------------------- readers


def _get(d: Mapping[str, Any], key: str) -> Any:
    if not isinstance(d, Mapping):
        raise PayloadError(f"expected a JSON object, got {type(d).__name__}")
    try:
        return d[key]
    except KeyError:
        raise PayloadError(f"missing key {key!r}") from None


def _str(d: Mapping[str, Any], key: str) -> str:
    value = _get(d, key)
    if not isinstance(value, str):
        raise PayloadError(f"{key!r} must be a string")
    return value


def _opt_str(d: Mapping[str, Any], key: str) -> str | None:
    value = d.get(key) if isinstance(d, Mapping) else _get(d, key)
    if value is not None and not isinstance(value, str):
        raise PayloadError(f"{key!r} must be a string or null")
    return value


def _int(d: Mapping[str, Any], key: str) -> int:
    value = _get(d, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{key!r} must be an integer")
    return value


def _opt_int(d: Mapping[str, Any], key: str) -> int | None:
    value = d.get(key) if isinstance(d, Mapping) else _get(d, key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{key!r} must be an integer or null")
    return value


def _float(d: Mapping[str, Any], key: str) -> float:
    value = _get(d, key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(f"{key!r} must be a number")
    return float(value)


def _bool(d: Mapping[str, Any], key: str) -> bool:
    value = _get(d, key)
    if not isinstance(value, bool):
        raise PayloadError(f"{key!r} must be true or false")
    return value


def _decimal(d: Mapping[str, Any], key: str) -> Decimal:
    value = _get(d, key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PayloadError(f"{key!r} must be a decimal string")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise PayloadError(f"{key!r} is not a decimal number: {value!r}") from None
    if not result.is_finite():
        raise PayloadError(f"{key!r} must be finite")
    return result


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 timestamp with a UTC offset (``Z`` or ``+hh:mm``) as an aware datetime."""
    if not isinstance(value, str):
        raise PayloadError("a timestamp must be a string")
    try:
        result = datetime.fromisoformat(value)
    except ValueError:
        raise PayloadError(f"not an ISO 8601 timestamp: {value!r}") from None
    if result.tzinfo is None or result.utcoffset() is None:
        raise PayloadError(f"timestamp without a UTC offset: {value!r}")
    return result


def _datetime(d: Mapping[str, Any], key: str) -> datetime:
    value = _get(d, key)
    try:
        return parse_datetime(value)
    except PayloadError as exc:
        raise PayloadError(f"{key!r}: {exc}") from None


def _opt_datetime(d: Mapping[str, Any], key: str) -> datetime | None:
    if isinstance(d, Mapping) and d.get(key) is None:
        return None
    return _datetime(d, key)


def _date(value: Any, key: str) -> date:
    if not isinstance(value, str):
        raise PayloadError(f"{key!r} must be a date string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PayloadError(f"{key!r} is not an ISO 8601 date: {value!r}") from None


def _opt_date(d: Mapping[str, Any], key: str) -> date | None:
    value = d.get(key) if isinstance(d, Mapping) else _get(d, key)
    return None if value is None else _date(value, key)


def _texts_value(value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise PayloadError(f"{key!r} must be an object of language → text")
    return dict(value)


def _texts(d: Mapping[str, Any], key: str) -> dict[str, str]:
    return _texts_value(_get(d, key), key)


def _list(d: Mapping[str, Any], key: str) -> list[Any]:
    value = _get(d, key)
    if not isinstance(value, list):
        raise PayloadError(f"{key!r} must be a list")
    return value


def _object(d: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = _get(d, key)
    if not isinstance(value, Mapping):
        raise PayloadError(f"{key!r} must be an object")
    return dict(value)


# --------------------------------------------------------------------------- member


@dataclass(frozen=True)
class ExpiringPoints:
    """``points`` that expire on the (UTC) day ``on``."""

    points: int
    on: date

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ExpiringPoints:
        return cls(points=_int(d, "points"), on=_date(_get(d, "on"), "on"))


@dataclass(frozen=True)
class PunchCard:
    """The stamp card: ``stamps`` of ``of``; a full card gives a voucher for ``reward_id``."""

    stamps: int
    of: int
    reward_id: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> PunchCard:
        return cls(stamps=_int(d, "stamps"), of=_int(d, "of"), reward_id=_str(d, "reward_id"))


@dataclass(frozen=True)
class Member:
    """The signed-in member (``GET /v1/me``)."""

    member_id: str
    number: str  # 12 digits, see loyalty_core.member_number
    name: str
    email: str | None
    phone: str | None
    language: str
    birthday: date | None
    joined_at: datetime
    tier_code: str
    tier_name: Texts
    tier_colour: str
    tier_multiplier: Decimal
    balance: int
    pending: int
    expiring: tuple[ExpiringPoints, ...]
    punch_card: PunchCard | None
    is_demo: bool = False

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Member:
        tier = _object(d, "tier")
        punch = d.get("punch_card") if isinstance(d, Mapping) else None
        return cls(
            member_id=_str(d, "member_id"),
            number=_str(d, "member_number"),
            name=_str(d, "name"),
            email=_opt_str(d, "email"),
            phone=_opt_str(d, "phone"),
            language=_str(d, "language"),
            birthday=_opt_date(d, "birthday"),
            joined_at=_datetime(d, "joined_at"),
            tier_code=_str(tier, "code"),
            tier_name=_texts(tier, "name"),
            tier_colour=_str(tier, "colour"),
            tier_multiplier=_decimal(tier, "multiplier"),
            balance=_int(d, "balance"),
            pending=_int(d, "pending"),
            expiring=tuple(ExpiringPoints.from_json(e) for e in _list(d, "expiring")),
            punch_card=None if punch is None else PunchCard.from_json(punch),
            is_demo=bool(d.get("is_demo", False)),
        )


# --------------------------------------------------------------------------- tiers


@dataclass(frozen=True)
class Tier:
    """One rung of the tier ladder (``TierOut``)."""

    code: str
    name: Texts
    qualifying_points: int
    multiplier: Decimal
    benefits: tuple[Texts, ...]
    colour: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Tier:
        return cls(
            code=_str(d, "code"),
            name=_texts(d, "name"),
            qualifying_points=_int(d, "qualifying_points"),
            multiplier=_decimal(d, "multiplier"),
            benefits=tuple(_texts_value(b, "benefits") for b in _list(d, "benefits")),
            colour=_str(d, "colour"),
        )


@dataclass(frozen=True)
class TierLadder:
    """All tiers, lowest first (``GET /v1/tiers``)."""

    window_months: int
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if not self.tiers:
            raise PayloadError("a tier ladder needs at least one tier")
        ordered = tuple(sorted(self.tiers, key=lambda tier: tier.qualifying_points))
        object.__setattr__(self, "tiers", ordered)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TierLadder:
        return cls(
            window_months=_int(d, "window_months"),
            tiers=tuple(Tier.from_json(t) for t in _list(d, "tiers")),
        )

    @property
    def base(self) -> Tier:
        """The tier every member starts in."""
        return self.tiers[0]

    def get(self, code: str | None) -> Tier | None:
        """The tier with *code*, or None."""
        return next((tier for tier in self.tiers if tier.code == code), None)

    def rank(self, code: str | None) -> int | None:
        """0 for the base tier, 1 for the next, ...; None for an unknown code."""
        return next((i for i, tier in enumerate(self.tiers) if tier.code == code), None)

    def above(self, tier: Tier) -> Tier | None:
        """The next tier up from *tier* (None at the top or for a tier not in the ladder)."""
        rank = self.rank(tier.code)
        if rank is None or rank + 1 >= len(self.tiers):
            return None
        return self.tiers[rank + 1]

    def for_points(self, qualifying_points: int) -> Tier:
        """The highest tier *qualifying_points* reach (the base tier at least)."""
        reached = self.tiers[0]
        for tier in self.tiers:
            if tier.qualifying_points <= qualifying_points:
                reached = tier
        return reached


@dataclass(frozen=True)
class TierProgress:
    """The member's way to the next tier, as the server computed it (``GET /v1/me/tier``)."""

    tier: str
    next_tier: str | None
    qualifying_points: int
    points_to_next: int
    fraction: float
    requalify_at: datetime | None
    window_months: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TierProgress:
        return cls(
            tier=_str(d, "tier"),
            next_tier=_opt_str(d, "next_tier"),
            qualifying_points=_int(d, "qualifying_points"),
            points_to_next=_int(d, "points_to_next"),
            fraction=_float(d, "fraction"),
            requalify_at=_opt_datetime(d, "requalify_at"),
            window_months=_int(d, "window_months"),
        )


# --------------------------------------------------------------------------- ledger


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the points history (``LedgerItem``); ``amount`` < 0 for spending."""

    id: int
    at: datetime
    amount: int
    kind: str  # purchase, bonus, redeem, expire, void, ...
    reason: str
    details: Mapping[str, Any]
    expires_at: datetime | None
    available_at: datetime | None
    voided: bool

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> LedgerEntry:
        return cls(
            id=_int(d, "id"),
            at=_datetime(d, "at"),
            amount=_int(d, "amount"),
            kind=_str(d, "kind"),
            reason=_str(d, "reason"),
            details=_object(d, "details"),
            expires_at=_opt_datetime(d, "expires_at"),
            available_at=_opt_datetime(d, "available_at"),
            voided=_bool(d, "voided"),
        )


@dataclass(frozen=True)
class LedgerPage:
    """A page of the history, newest first; ``next_cursor`` fetches the next page."""

    items: tuple[LedgerEntry, ...]
    next_cursor: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> LedgerPage:
        return cls(
            items=tuple(LedgerEntry.from_json(e) for e in _list(d, "items")),
            next_cursor=_opt_str(d, "next_cursor"),
        )


# --------------------------------------------------------------------------- rewards


@dataclass(frozen=True)
class Reward:
    """A reward in the catalogue (``RewardOut``)."""

    id: str
    name: Texts
    description: Texts
    terms: Texts
    category: str
    cost: int
    stock: int | None  # None: unlimited
    valid_until: date | None  # last day (inclusive, UTC) it can be redeemed
    image: str | None
    min_tier: str | None
    active: bool
    updated_at: datetime

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Reward:
        return cls(
            id=_str(d, "id"),
            name=_texts(d, "name"),
            description=_texts(d, "description"),
            terms=_texts(d, "terms"),
            category=_str(d, "category"),
            cost=_int(d, "cost"),
            stock=_opt_int(d, "stock"),
            valid_until=_opt_date(d, "valid_until"),
            image=_opt_str(d, "image"),
            min_tier=_opt_str(d, "min_tier"),
            active=_bool(d, "active"),
            updated_at=_datetime(d, "updated_at"),
        )


@dataclass(frozen=True)
class Category:
    """A tab of the catalogue."""

    id: str
    name: Texts

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Category:
        return cls(id=_str(d, "id"), name=_texts(d, "name"))


@dataclass(frozen=True)
class Catalogue:
    """``GET /v1/rewards``; with ``delta`` only changed ``items`` and ``removed`` ids."""

    items: tuple[Reward, ...]
    categories: tuple[Category, ...]
    server_time: datetime
    delta: bool
    removed: tuple[str, ...]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Catalogue:
        removed = _list(d, "removed")
        if not all(isinstance(r, str) for r in removed):
            raise PayloadError("'removed' must be a list of strings")
        return cls(
            items=tuple(Reward.from_json(r) for r in _list(d, "items")),
            categories=tuple(Category.from_json(c) for c in _list(d, "categories")),
            server_time=_datetime(d, "server_time"),
            delta=_bool(d, "delta"),
            removed=tuple(removed),
        )


@dataclass(frozen=True)
class Voucher:
    """A voucher from redeeming a reward (or a full stamp card)."""

    id: str
    code: str
    qr_payload: str
    reward_id: str
    reward_name: Texts
    source: str  # redeem, punch_card, ...
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    status: str  # usable | used | expired (as the server saw it when it answered)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Voucher:
        return cls(
            id=_str(d, "id"),
            code=_str(d, "code"),
            qr_payload=_str(d, "qr_payload"),
            reward_id=_str(d, "reward_id"),
            reward_name=_texts(d, "reward_name"),
            source=_str(d, "source"),
            created_at=_datetime(d, "created_at"),
            expires_at=_datetime(d, "expires_at"),
            used_at=_opt_datetime(d, "used_at"),
            status=_str(d, "status"),
        )

    def status_at(self, now: datetime) -> str:
        """``status``, but a "usable" voucher whose time has run out is "expired"."""
        if self.status == "usable" and self.expires_at <= now:
            return "expired"
        return self.status


# --------------------------------------------------------------------------- referral


@dataclass(frozen=True)
class ReferralStats:
    invited: int
    joined: int
    rewarded: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ReferralStats:
        return cls(
            invited=_int(d, "invited"), joined=_int(d, "joined"), rewarded=_int(d, "rewarded")
        )


@dataclass(frozen=True)
class Referral:
    """The member's invitation code and link (``GET /v1/referral``)."""

    code: str
    link: str
    referrer_points: int
    referee_points: int
    stats: ReferralStats
    referred_by: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Referral:
        return cls(
            code=_str(d, "code"),
            link=_str(d, "link"),
            referrer_points=_int(d, "referrer_points"),
            referee_points=_int(d, "referee_points"),
            stats=ReferralStats.from_json(_object(d, "stats")),
            referred_by=_opt_str(d, "referred_by"),
        )


# --------------------------------------------------------------------------- programme


@dataclass(frozen=True)
class Programme:
    """The shop's programme and brand (``GET /v1/programme``)."""

    id: str
    name: Texts
    primary_colour: str
    logo: str | None
    currency: str
    currency_decimals: int
    earn_points_per_unit: Decimal
    card_prefix: str
    card_period: int
    card_digits: int
    expiry_months: int | None  # None: points never expire
    max_purchase_amount: Decimal
    demo: bool

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Programme:
        return cls(
            id=_str(d, "id"),
            name=_texts(d, "name"),
            primary_colour=_str(d, "primary_colour"),
            logo=_opt_str(d, "logo"),
            currency=_str(d, "currency"),
            currency_decimals=_int(d, "currency_decimals"),
            earn_points_per_unit=_decimal(d, "earn_points_per_unit"),
            card_prefix=_str(d, "card_prefix"),
            card_period=_int(d, "card_period"),
            card_digits=_int(d, "card_digits"),
            expiry_months=_opt_int(d, "expiry_months"),
            max_purchase_amount=_decimal(d, "max_purchase_amount"),
            demo=_bool(d, "demo"),
        )


# --------------------------------------------------------------------------- session


def card_credential_from_json(d: Mapping[str, Any]) -> CardCredential:
    """A :class:`CardCredential` from ``CardCredentialOut`` (validated by its constructor)."""
    try:
        return CardCredential(
            card_id=_str(d, "card_id"),
            secret=_str(d, "secret"),
            prefix=_str(d, "prefix"),
            period=_int(d, "period"),
            digits=_int(d, "digits"),
            algorithm=_str(d, "algorithm"),
        )
    except PayloadError:
        raise
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"unusable card credential: {exc}") from None


@dataclass(frozen=True)
class Session:
    """What signing in returns.  Tokens and the card secret stay out of ``repr``."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    member_id: str
    new_member: bool
    card: CardCredential
    token_type: str = "Bearer"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Session:
        token_type = d.get("token_type", "Bearer") if isinstance(d, Mapping) else "Bearer"
        if not isinstance(token_type, str):
            raise PayloadError("'token_type' must be a string")
        return cls(
            access_token=_str(d, "access_token"),
            refresh_token=_str(d, "refresh_token"),
            expires_in=_int(d, "expires_in"),
            member_id=_str(d, "member_id"),
            new_member=_bool(d, "new_member"),
            card=card_credential_from_json(_object(d, "card")),
            token_type=token_type,
        )
