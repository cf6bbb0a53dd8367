"""Offers: a member's list, adding one to the card, and the bonuses a purchase earns from them.
Every function runs inside the caller's transaction and never commits on its own."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from .. import rules, schemas
from ..models import LedgerEntry, Member, MemberOfferState
from ..problems import Problem
from ..programme import Offer, Programme
from . import points

#: The ledger reason of an offer's bonus line; its void line is `offer_withdrawn`.
OFFER_BONUS = "offer_bonus"
# The upsert counting one use of an offer, per database dialect (built at its first use).
_COUNT_USE: dict[str, Executable] = {}


# The credit path's reads, built once per process; each call binds the member.
_OFFER_STATES = select(
    MemberOfferState.offer_id, MemberOfferState.activated_at, MemberOfferState.uses
).where(MemberOfferState.member_id == bindparam("member_id"))
_LAST_PURCHASE = (
    select(LedgerEntry.created_at)
    .where(
        LedgerEntry.member_id == bindparam("member_id"),
        LedgerEntry.kind == "purchase",
        LedgerEntry.voided_at.is_(None),
    )
    .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
    .limit(1)
)


def member_facts(
    s: Session, member: Member, *, states: bool = True, last_purchase: bool = True
) -> rules.MemberFacts:
    """What the offer rules need to know about a member; the credit path asks only for what
    its open offers look at (activations and uses; the last purchase for win-back offers)."""
    activated, used = set(), {}
    if states:
        # On the connection (no autoflush): nothing of these tables waits in the session.
        rows = s.connection().execute(_OFFER_STATES, {"member_id": member.id})
        for offer_id, activated_at, uses in rows:
            if activated_at is not None:
                activated.add(offer_id)
            used[offer_id] = uses
    last = None
    if last_purchase and member.first_purchase_at is not None:
        # The newest first along the (member, date) index: stops at the first purchase found.
        last = s.connection().scalar(_LAST_PURCHASE, {"member_id": member.id})
    return rules.MemberFacts(
        tier_code=member.tier_code,
        joined_at=member.joined_at,
        last_purchase_at=last,
        activated=frozenset(activated),
        used=used,
    )


def purchase_bonuses(
    s: Session,
    member: Member,
    programme: Programme,
    purchase: rules.PurchaseFacts,
    now: datetime,
) -> list[rules.OfferBonus]:
    """The offers' bonuses for a purchase about to be booked; reads nothing about the member
    when no offer runs now for such a purchase (the usual case)."""
    candidates = [
        o
        for o in rules.open_offers(programme.offers, purchase, now, programme.time_zone)
        if rules.may_be_aimed_at(
            o, member.tier_code, member.joined_at, member.first_purchase_at is not None, now
        )
    ]
    if not candidates:
        return []
    facts = member_facts(
        s,
        member,
        states=any(o.activate or o.uses is not None for o in candidates),
        last_purchase=any(o.lapsed_days is not None for o in candidates),
    )
    return rules.offer_bonuses(candidates, facts, purchase, now, programme.rounding)


def post_bonuses(
    s: Session,
    member: Member,
    programme: Programme,
    bonuses: list[rules.OfferBonus],
    credit: LedgerEntry,
    now: datetime,
) -> list[LedgerEntry]:
    """One ledger line per bonus, after the purchase's own line, each counting one use."""
    entries = []
    for bonus in bonuses:
        offer = bonus.offer
        entries.append(
            points.post(
                s,
                member,
                now,
                amount=bonus.points,
                kind="bonus",
                reason=OFFER_BONUS,
                details={
                    "offer_id": offer.id,
                    "name": dict(offer.name),
                    "credit_id": credit.id,
                    "multiplier": None if offer.multiplier is None else str(offer.multiplier),
                },
                programme=programme,
            )
        )
        _count_use(s, member.id, offer.id)
    return entries


def _count_use(s: Session, member_id: str, offer_id: str) -> None:
    """One more use of the offer by the member: one INSERT .. ON CONFLICT DO UPDATE on the
    session's connection (both databases have it), not a read of the row first. The credit
    path holds no ORM copy of the row that this would leave stale."""
    dialect = s.get_bind().dialect.name
    statement = _COUNT_USE.get(dialect)
    if statement is None:
        module = sqlite if dialect == "sqlite" else postgresql
        table = MemberOfferState.__table__
        upsert = module.insert(table).values(
            member_id=bindparam("member_id"), offer_id=bindparam("offer_id"), uses=1
        )
        statement = _COUNT_USE[dialect] = upsert.on_conflict_do_update(
            index_elements=[table.c.member_id, table.c.offer_id],
            set_={"uses": table.c.uses + 1},
        )
    s.connection().execute(statement, {"member_id": member_id, "offer_id": offer_id})


def give_back_use(s: Session, member_id: str, offer_id: str) -> None:
    """A voided purchase's offer may pay again."""
    state = s.get(MemberOfferState, (member_id, offer_id))
    if state is not None and state.uses > 0:
        state.uses -= 1


def _state(s: Session, member_id: str, offer_id: str) -> MemberOfferState:
    state = s.get(MemberOfferState, (member_id, offer_id))
    if state is None:
        state = MemberOfferState(member_id=member_id, offer_id=offer_id, uses=0)
        s.add(state)
    return state


def offer_out(seen: rules.MemberOffer) -> schemas.OfferOut:
    offer: Offer = seen.offer
    return schemas.OfferOut(
        id=offer.id,
        name=dict(offer.name),
        description=dict(offer.description),
        multiplier=None if offer.multiplier is None else str(offer.multiplier),
        points=offer.points,
        starts=offer.starts,
        ends=offer.ends,
        days=list(offer.days),
        from_hour=offer.from_hour,
        until_hour=offer.until_hour,
        category=offer.category,
        min_spend=None if offer.min_spend is None else str(offer.min_spend),
        tiers=list(offer.tiers),
        welcome=offer.new_members_days is not None,
        win_back=offer.lapsed_days is not None,
        needs_activation=offer.activate,
        activated=seen.activated,
        upcoming=seen.upcoming,
        uses_left=seen.uses_left,
    )


def member_offers(
    s: Session, member: Member, programme: Programme, now: datetime
) -> list[rules.MemberOffer]:
    """The offers the member has now: the one list the app, the inbox and the kiosk use."""
    if not programme.offers:
        return []
    facts = member_facts(s, member)
    return rules.member_offers(programme.offers, facts, now, programme.time_zone)


def offer_list(
    s: Session, member: Member, programme: Programme, now: datetime
) -> schemas.OfferList:
    return schemas.OfferList(
        items=[offer_out(m) for m in member_offers(s, member, programme, now)],
        time_zone=programme.time_zone,
    )


def activate(
    s: Session, member: Member, programme: Programme, offer_id: str, now: datetime
) -> schemas.OfferOut:
    """Add an offer to the member's card (again: no change). 404 offer-not-found when the
    member does not have it (unknown, over, used up or aimed at others)."""
    seen = next(
        (m for m in member_offers(s, member, programme, now) if m.offer.id == offer_id), None
    )
    if seen is None:
        raise Problem(
            404, "offer-not-found", "No such offer", "You have no offer with that id (now)."
        )
    if seen.offer.activate and not seen.activated:
        _state(s, member.id, offer_id).activated_at = now
        member.version += 1
        seen = rules.MemberOffer(
            offer=seen.offer, upcoming=seen.upcoming, activated=True, uses_left=seen.uses_left
        )
    return offer_out(seen)


def applied(bonuses: list[rules.OfferBonus]) -> list[schemas.AppliedOffer]:
    return [
        schemas.AppliedOffer(offer_id=b.offer.id, name=dict(b.offer.name), points=b.points)
        for b in bonuses
    ]


def amount_facts(amount: Decimal, base_points: int, categories: list[str]) -> rules.PurchaseFacts:
    return rules.PurchaseFacts(
        amount=amount, base_points=base_points, categories=frozenset(categories)
    )
