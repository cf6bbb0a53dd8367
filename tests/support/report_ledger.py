"""A small hand-made ledger for the owner's report, and its answers worked out by hand.

Harbor Coffee's time zone is America/Los_Angeles; every entry is at 20:00 UTC (noon or
1 pm there), so each falls on the day written. The period reported is 2026-10-01 to
2026-10-28 (four weeks); the previous one 2026-09-03 to 2026-09-30; the one before that
2026-08-06 to 2026-09-02. "Now" is 2026-11-01.

Two stores: Pier 7 and Market St. Members A to G (E, F and G invited by A).

| day        | member | store  | what                          | points | left now |
|------------|--------|--------|-------------------------------|--------|----------|
| 2026-08-10 | A      | Pier   | purchase 5.00                 | +50    | 0        |
| 2026-09-10 | A      | Pier   | purchase 4.00; green → gold   | +40    | 0        |
| 2026-09-12 | B      | Pier   | purchase 6.00                 | +60    | 0        |
| 2026-09-15 | C      | Market | purchase 10.00 (expires 10-31, not yet settled) | +100 | 100 |
| 2026-09-20 | D      | Market | purchase 2.00                 | +20    | 0        |
| 2026-09-20 | G      |        | joins, invited by A           |        |          |
| 2026-10-01 | D      |        | gold → green (requalified)    |        |          |
| 2026-10-02 | A      | Pier   | purchase 5.00                 | +50    | 0        |
| 2026-10-03 | B      | Pier   | purchase 7.00                 | +70    | 0        |
| 2026-10-05 | D      |        | goodwill                      | +45    | 45       |
| 2026-10-08 | D      |        | expired                       | −20    |          |
| 2026-10-09 | A      | Market | purchase 3.00                 | +30    | 20       |
| 2026-10-12 | A      |        | redeems extra-shot            | −100   |          |
| 2026-10-14 | E      |        | joins, invited by A           |        |          |
| 2026-10-16 | E      | Market | purchase 4.00 (first)         | +20    | 20       |
| 2026-10-16 | E      |        | offer "welcome"               | +20    | 20       |
| 2026-10-16 | E      |        | referral welcome              | +25    | 25       |
| 2026-10-16 | A      |        | referral reward               | +50    | 0        |
| 2026-10-16 |        |        | a punch-card voucher (no points) |     |          |
| 2026-10-20 | B      | Pier   | purchase 9.00 (a Tuesday); green → gold | +45 | 25 |
| 2026-10-20 | B      |        | offer "double-tuesdays"       | +45    | 45       |
| 2026-10-20 | F      |        | joins, invited by A           |        |          |
| 2026-10-22 | B      |        | redeems oat-milk              | −150   |          |
| 2026-10-25 | C      | Market | purchase 8.00 (Sunday), voided; gold → green | +40 / −40 | 0 |
| 2026-10-25 | C      |        | offer "gold-weekends", withdrawn | +40 / −40 | 0 |
| 2026-10-26 | A      |        | redeems extra-shot            | −100   |          |
| 2026-10-30 | D      | Pier   | purchase 1.00 (after the period) | +10 | 10       |

Offer lines are bonus lines with the reason `offer_bonus` and the offer's id in their
details, as the till writes them; a purchase and its offer's bonus together credit 10 points
per unit, like the purchases with no offer.
Offers added to the card (pastry-pairing, which must be activated): D on 10-10, A on 10-30.

Feedback ("how likely are you to recommend us?"), about the purchase named:

| answered   | member | about the purchase of | store  | score          |
|------------|--------|-----------------------|--------|----------------|
| 2026-09-13 | B      | 09-12                 | Pier   | 10             |
| 2026-09-16 | C      | 09-15                 | Market | 3              |
| 2026-10-02 | A      | 10-02                 | Pier   | 10             |
| 2026-10-04 | B      | 10-03                 | Pier   | 6              |
| 2026-10-10 | A      | 10-09                 | Market | 9              |
| 2026-10-17 | E      | 10-16                 | Market | (dismissed)    |
| 2026-10-21 | B      | 10-20                 | Pier   | 8              |
| 2026-10-31 | D      | 10-30                 | Pier   | 0 (after the period) |

Referral-link visits: two in September (09-05, 09-18), five in October (10-02, 10-03,
10-10, 10-13, 10-19). Tiers now: A gold, B gold, C green, D green, E, F, G green.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from loyalty_server.db import Database
from loyalty_server.models import (
    Feedback,
    LedgerEntry,
    Member,
    MemberOfferState,
    ReferralVisit,
    Staff,
    TierChange,
    Voucher,
)
from loyalty_server.services.ledger_check import check_ledger

PERIOD = (date(2026, 10, 1), date(2026, 10, 28))
NOW = datetime(2026, 11, 1, 20, tzinfo=UTC)
PIER, MARKET = "Harbor Coffee Pier 7", "Harbor Coffee Market St"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=20, tzinfo=UTC)


MEMBERS = {  # name: (joined, tier now, invited by)
    "A": ("2026-08-01", "gold", None),
    "B": ("2026-08-01", "gold", None),
    "C": ("2026-08-01", "green", None),
    "D": ("2026-08-01", "green", None),
    "E": ("2026-10-14", "green", "A"),
    "F": ("2026-10-20", "green", "A"),
    "G": ("2026-09-20", "green", "A"),
}
FIRST_PURCHASE = {"A": "2026-08-10", "B": "2026-09-12", "C": "2026-09-15", "D": "2026-09-20"}
FIRST_PURCHASE["E"] = "2026-10-16"

# (day, member, store or None, kind, points, purchase amount, points left now, voided)
ENTRIES = [
    ("2026-08-10", "A", PIER, "purchase", 50, "5.00", 0, False),
    ("2026-09-10", "A", PIER, "purchase", 40, "4.00", 0, False),
    ("2026-09-12", "B", PIER, "purchase", 60, "6.00", 0, False),
    ("2026-09-15", "C", MARKET, "purchase", 100, "10.00", 100, False),
    ("2026-09-20", "D", MARKET, "purchase", 20, "2.00", 0, False),
    ("2026-10-02", "A", PIER, "purchase", 50, "5.00", 0, False),
    ("2026-10-03", "B", PIER, "purchase", 70, "7.00", 0, False),
    ("2026-10-05", "D", None, "adjust", 45, None, 45, False),
    ("2026-10-08", "D", None, "expire", -20, None, 0, False),
    ("2026-10-09", "A", MARKET, "purchase", 30, "3.00", 20, False),
    ("2026-10-12", "A", None, "redeem", -100, None, 0, False),
    ("2026-10-16", "E", MARKET, "purchase", 20, "4.00", 20, False),
    ("2026-10-16", "E", None, "bonus", 25, None, 25, False),
    ("2026-10-16", "A", None, "bonus", 50, None, 0, False),
    ("2026-10-20", "B", PIER, "purchase", 45, "9.00", 25, False),
    ("2026-10-22", "B", None, "redeem", -150, None, 0, False),
    ("2026-10-25", "C", MARKET, "purchase", 40, "8.00", 0, True),
    ("2026-10-25", "C", MARKET, "void", -40, None, 0, False),
    ("2026-10-25", "C", None, "void", -40, None, 0, False),  # the offer's bonus
    ("2026-10-26", "A", None, "redeem", -100, None, 0, False),
    ("2026-10-30", "D", PIER, "purchase", 10, "1.00", 10, False),
]
# Offers' bonus lines: (day, member, offer id, points, points left now, voided)
OFFER_LINES = [
    ("2026-10-16", "E", "welcome", 20, 20, False),
    ("2026-10-20", "B", "double-tuesdays", 45, 45, False),
    ("2026-10-25", "C", "gold-weekends", 40, 0, True),
]
# Offers added to the card: (day, member, offer id)
ACTIVATIONS = [("2026-10-10", "D", "pastry-pairing"), ("2026-10-30", "A", "pastry-pairing")]
# (day answered, member, day of the purchase it is about, score or None: dismissed)
FEEDBACK = [
    ("2026-09-13", "B", "2026-09-12", 10),
    ("2026-09-16", "C", "2026-09-15", 3),
    ("2026-10-02", "A", "2026-10-02", 10),
    ("2026-10-04", "B", "2026-10-03", 6),
    ("2026-10-10", "A", "2026-10-09", 9),
    ("2026-10-17", "E", "2026-10-16", None),
    ("2026-10-21", "B", "2026-10-20", 8),
    ("2026-10-31", "D", "2026-10-30", 0),
]
STORE_OF = {(day, name): store for day, name, store, kind, *_ in ENTRIES if kind == "purchase"}

# Points bought with: (day, member, reward, source)
VOUCHERS = [
    ("2026-10-12", "A", "extra-shot", "redeem"),
    ("2026-10-16", "D", "brewed-coffee", "punch_card"),
    ("2026-10-22", "B", "oat-milk", "redeem"),
    ("2026-10-26", "A", "extra-shot", "redeem"),
]
TIER_CHANGES = [  # (day, member, from, to)
    ("2026-09-10", "A", "green", "gold"),
    ("2026-10-01", "D", "gold", "green"),
    ("2026-10-20", "B", "green", "gold"),
    ("2026-10-25", "C", "gold", "green"),
]
VISITS = ["2026-09-05", "2026-09-18", "2026-10-02", "2026-10-03", "2026-10-10", "2026-10-13"]
VISITS.append("2026-10-19")


def member_id(name: str) -> str:
    return f"00000000-0000-4000-8000-00000000000{'ABCDEFG'.index(name)}"


def insert(db: Database) -> None:
    """Writes the ledger into a migrated, empty database."""
    with db.write() as s:
        staff = {}
        for store in (PIER, MARKET):
            row = Staff(
                id=f"staff-{len(staff)}",
                name="Till",
                store=store,
                token_hash=f"{len(staff):064d}",
                created_at=at("2026-08-01"),
            )
            s.add(row)
            staff[store] = row.id
        for index, (name, (joined, tier, inviter)) in enumerate(MEMBERS.items()):
            first = FIRST_PURCHASE.get(name)
            s.add(
                Member(
                    id=member_id(name),
                    number=f"{index + 1:012d}",
                    email=f"{name.lower()}@report.test",
                    name=f"Member {name}",
                    joined_at=at(joined),
                    tier_code=tier,
                    referral_code=f"CODE{name}",
                    referred_by_id=member_id(inviter) if inviter else None,
                    first_purchase_at=at(first) if first else None,
                )
            )
        s.flush()
        entries = {}
        for day, name, store, kind, points, amount, left, voided in ENTRIES:
            entry = LedgerEntry(
                member_id=member_id(name),
                created_at=at(day),
                amount=points,
                kind=kind,
                reason=kind,
                qualifying=kind == "purchase",
                remaining=left,
                expires_at=at(day) + timedelta(days=46) if points > 0 else None,
                purchase_amount=Decimal(amount) if amount else None,
                staff_id=staff[store] if store else None,
                voided_at=at(day) if voided else None,
            )
            s.add(entry)
            s.flush()
            entries[day, name, kind] = entry.id
        for day, name, offer_id, points, left, voided in OFFER_LINES:
            purchase = entries[day, name, "purchase"]
            s.add(
                LedgerEntry(
                    member_id=member_id(name),
                    created_at=at(day),
                    amount=points,
                    kind="bonus",
                    reason="offer_bonus",
                    details=json.dumps(
                        {
                            "offer_id": offer_id,
                            "name": {"en": offer_id},
                            "credit_id": purchase,
                            "multiplier": None,
                        }
                    ),
                    remaining=left,
                    expires_at=at(day) + timedelta(days=46),
                    voided_at=at(day) if voided else None,
                )
            )
        for day, name, offer_id in ACTIVATIONS:
            s.add(
                MemberOfferState(
                    member_id=member_id(name), offer_id=offer_id, activated_at=at(day), uses=0
                )
            )
        for day, name, bought, score in FEEDBACK:
            s.add(
                Feedback(
                    member_id=member_id(name),
                    purchase_id=entries[bought, name, "purchase"],
                    store=STORE_OF[bought, name],
                    answered_at=at(day),
                    score=score,
                )
            )
        for index, (day, name, reward, source) in enumerate(VOUCHERS):
            s.add(
                Voucher(
                    id=f"voucher-{index}",
                    code=f"V{index:07d}",
                    member_id=member_id(name),
                    reward_id=reward,
                    source=source,
                    ledger_entry_id=entries.get((day, name, "redeem")),
                    created_at=at(day),
                    expires_at=at(day) + timedelta(days=30),
                )
            )
        for day, name, before, after in TIER_CHANGES:
            s.add(
                TierChange(
                    member_id=member_id(name), changed_at=at(day), from_code=before, to_code=after
                )
            )
        for index, day in enumerate(VISITS):
            s.add(ReferralVisit(referral_code="CODEA", visited_at=at(day), visitor=f"v{index}"))
    # Written row by row, not through services.points: the members' running totals are set
    # from the ledger afterwards, as the server keeps them.
    assert check_ledger(db, fix=True)
