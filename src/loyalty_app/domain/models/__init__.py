"""The client's view of the API's data: frozen dataclasses built from the JSON bodies.

Each class derives from :class:`Wire` and names the OpenAPI schema it reads in ``SCHEMA``
(``Me`` → :class:`Member`, ``LedgerItem`` → :class:`LedgerEntry`, ...); its ``from_json(d)``
is derived from the field types (see ``wire.py``). Unknown keys are ignored, so a newer server
can add fields; a missing required key or a value of the wrong type raises
:class:`PayloadError` (a ``ValueError``). The test `test_contract_types.py` parses an
instance built from every schema of the committed OpenAPI document, so the two cannot drift
apart silently.

Datetimes are timezone-aware (the server sends ISO 8601 with ``Z``); a timestamp without
an offset is refused rather than guessed.  Decimal strings (multipliers, earn rates,
amounts) become :class:`~decimal.Decimal`.  Multilingual texts stay dictionaries keyed by
language tag (``"en"``, ``"zh-Hans"``, ``"zh-Hant"``); pick one with :func:`text`.

No I/O here: parsing only. The API client returns these; the store hands them out; the
member app and the kiosk both draw from them.
"""

from loyalty_core.card.token import CardCredential

from ._json import PayloadError, parse_datetime
from .badges import Badge, BadgeList
from .checkout import (
    CheckoutMember,
    CreditResult,
    JoinResult,
    StaffMe,
    VoidResult,
    VoucherRedeemResult,
)
from .devices import Device, DeviceList
from .inbox import FeedbackAsk, FeedbackResult, Inbox, InboxMessage
from .ledger import LedgerEntry, LedgerPage
from .member import ExpiringPoints, Member, PunchCard
from .offers import AppliedOffer, Offer, OfferList
from .programme import Programme
from .referral import Referral, ReferralStats
from .rewards import Catalogue, Category, Redemption, Reward, Voucher, VoucherList
from .session import CodeSent, Health, Session
from .texts import LANGUAGES, Texts, resolve_language, text
from .tiers import Tier, TierLadder, TierProgress, TierRef
from .wire import Wire, card_credential_from_json

__all__ = [
    "Badge",
    "BadgeList",
    "AppliedOffer",
    "Offer",
    "OfferList",
    "CheckoutMember",
    "CreditResult",
    "JoinResult",
    "StaffMe",
    "VoidResult",
    "VoucherRedeemResult",
    "Redemption",
    "VoucherList",
    "CodeSent",
    "Device",
    "DeviceList",
    "Health",
    "FeedbackAsk",
    "FeedbackResult",
    "Inbox",
    "InboxMessage",
    "TierRef",
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
    "Wire",
    "card_credential_from_json",
    "parse_datetime",
    "resolve_language",
    "text",
]
