"""Pure business rules of the loyalty programme.

Nothing here reads the clock, the database or the network: the current time is always
passed in as ``now``, a timezone-aware UTC ``datetime``.
"""

from .challenges import (
    ChallengeFacts,
    ChallengeProgress,
    challenge_progress,
    newly_reached,
    visits_needed,
)
from .earning import PurchaseEarn, purchase_points, round_points
from .inbox import birthday_voucher_due
from .lots import (
    InsufficientPoints,
    Lot,
    allocate_spend,
    expire_lots,
    expiring_soon,
    pending_points,
    spendable,
)
from .months import add_months, earn_expiry
from .names import cashier_name
from .offers import (
    MemberFacts,
    MemberOffer,
    OfferBonus,
    PurchaseFacts,
    may_be_aimed_at,
    member_offers,
    offer_bonuses,
    open_offers,
)
from .tiers import (
    TierDecision,
    TierProgress,
    evaluate_tier,
    tier_for_points,
    tier_progress,
    tier_unchanged_below,
)
from .totals import LedgerLine, LedgerTotals, totals_of
from .visits import EARLIEST_BIRTH_YEAR, birthday_bonus_due, plausible_birthday, punch

__all__ = [
    "cashier_name",
    "ChallengeFacts",
    "ChallengeProgress",
    "challenge_progress",
    "newly_reached",
    "visits_needed",
    "EARLIEST_BIRTH_YEAR",
    "InsufficientPoints",
    "LedgerLine",
    "LedgerTotals",
    "Lot",
    "MemberFacts",
    "MemberOffer",
    "OfferBonus",
    "PurchaseFacts",
    "PurchaseEarn",
    "TierDecision",
    "TierProgress",
    "add_months",
    "allocate_spend",
    "birthday_bonus_due",
    "birthday_voucher_due",
    "earn_expiry",
    "evaluate_tier",
    "expire_lots",
    "expiring_soon",
    "may_be_aimed_at",
    "member_offers",
    "offer_bonuses",
    "open_offers",
    "pending_points",
    "plausible_birthday",
    "punch",
    "purchase_points",
    "round_points",
    "spendable",
    "tier_for_points",
    "tier_progress",
    "tier_unchanged_below",
    "totals_of",
]
