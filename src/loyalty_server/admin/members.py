"""Members for the owner: find, show, adjust points."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import rules
from ..context import ServerContext
from ..models import IdempotencyRecord, LedgerEntry, Member, Staff, Voucher
from ..problems import Problem
from ..services import points
from ..services.idempotency import run_once
from . import AdminError, audit

LAST_VISITS = 5
ADJUST_SCOPE = "admin"


def _phone(text: str) -> str:
    return re.sub(r"[\s\-().]", "", text)


def find(s: Session, text: str, limit: int = 20) -> list[Member]:
    """Members whose e-mail contains `text`, whose phone contains its digits, or whose member
    number starts with it."""
    text = text.strip()
    if not text:
        raise AdminError("say what to look for: part of an e-mail, a phone or a member number")
    clauses = [func.lower(Member.email).contains(text.lower(), autoescape=True)]
    digits = _phone(text)
    if re.fullmatch(r"\+?[0-9]+", digits):
        clauses.append(Member.phone.contains(digits, autoescape=True))
        clauses.append(Member.number.startswith(digits.lstrip("+"), autoescape=True))
    query = select(Member).where(or_(*clauses)).order_by(Member.number).limit(limit)
    return list(s.scalars(query))


def one(s: Session, who: str) -> Member:
    """The member with exactly this e-mail, phone or member number; AdminError otherwise."""
    who = who.strip()
    member = s.scalar(
        select(Member).where(
            or_(
                func.lower(Member.email) == who.lower(),
                Member.phone == _phone(who),
                Member.number == who.replace(" ", ""),
            )
        )
    )
    if member is None:
        raise AdminError(f"no member with the e-mail, phone or member number {who!r}")
    return member


@dataclass(frozen=True)
class Visit:
    at: datetime
    store: str
    amount: str
    points: int


@dataclass(frozen=True)
class MemberCard:
    member: Member
    tier_name: str
    balance: int
    pending: int
    vouchers: int
    visits: list[Visit]


def show(s: Session, ctx: ServerContext, who: str) -> MemberCard:
    """What an owner needs to answer a member: balance, tier, open vouchers, last visits."""
    member = one(s, who)
    now = ctx.now()
    lots = points.load_lots(s, member.id)
    try:
        tier_name = ctx.programme.tier(member.tier_code).name["en"]
    except KeyError:
        tier_name = f"{member.tier_code} (not in the programme file)"
    open_vouchers = s.scalar(
        select(func.count()).where(
            Voucher.member_id == member.id, Voucher.used_at.is_(None), Voucher.expires_at > now
        )
    )
    rows = s.execute(
        select(LedgerEntry.created_at, Staff.store, LedgerEntry.purchase_amount, LedgerEntry.amount)
        .outerjoin(Staff, Staff.id == LedgerEntry.staff_id)
        .where(
            LedgerEntry.member_id == member.id,
            LedgerEntry.kind == "purchase",
            LedgerEntry.voided_at.is_(None),
        )
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
        .limit(LAST_VISITS)
    )
    return MemberCard(
        member=member,
        tier_name=tier_name,
        balance=points.balance_of(lots, now),
        pending=rules.pending_points(lots, now),
        vouchers=int(open_vouchers or 0),
        visits=[Visit(at, store or "", str(amount or ""), n) for at, store, amount, n in rows],
    )


class Adjusted(BaseModel):
    member_number: str
    points: int
    balance: int
    entry_id: int
    audit_id: int
    at: datetime


def already_done(s: Session, key: str) -> bool:
    """Whether an adjustment with this key was made (a retry changes nothing)."""
    found = s.scalar(
        select(IdempotencyRecord.id).where(
            IdempotencyRecord.scope == ADJUST_SCOPE, IdempotencyRecord.key == key
        )
    )
    return found is not None


def adjust(
    ctx: ServerContext, who: str, amount: int, reason: str, by: str, key: str
) -> tuple[Adjusted, bool]:
    """A goodwill credit (amount > 0) or a correction (< 0), once per `key`: a retry with the
    same key and the same request returns the first answer. Returns (answer, was a retry)."""
    reason, by, key = reason.strip(), by.strip(), key.strip()
    if amount == 0:
        raise AdminError("--points must not be 0")
    if not reason:
        raise AdminError('--reason is needed: say why, e.g. --reason "missed credit, till down"')
    if not by:
        raise AdminError("--by is needed: the name of whoever makes the change")
    if not 8 <= len(key) <= 128 or not key.isprintable():
        raise AdminError("--idempotency-key must be 8 to 128 printable characters")
    with ctx.db.read() as s:
        member_id = one(s, who).id
        retry = already_done(s, key)
    programme = ctx.programme

    def work(s: Session, member: Member, now: datetime) -> Adjusted:
        lots = points.settle(s, member, programme, now)
        details = {"note": reason, "by": by}
        if amount > 0:
            entry = points.post(
                s,
                member,
                now,
                amount=amount,
                kind="adjust",
                reason="adjustment",
                details=details,
                programme=programme,
            )
            lots.append(points.lot_of(entry))
        else:
            entry = points.spend(
                s,
                member,
                now,
                -amount,
                kind="adjust",
                reason="adjustment",
                details=details,
                lots=lots,
            )
            lots = points.load_lots(s, member.id)
        row = audit.record(
            s,
            now,
            by,
            "members.adjust",
            member.number,
            points=amount,
            reason=reason,
            entry=entry.id,
            key=key,
        )
        return Adjusted(
            member_number=member.number,
            points=amount,
            balance=points.balance_of(lots, now),
            entry_id=entry.id,
            audit_id=row.id,
            at=now,
        )

    try:
        _, body = run_once(
            ctx,
            scope=ADJUST_SCOPE,
            key=key,
            path="members adjust",
            body={"member": member_id, "points": amount, "reason": reason, "by": by},
            status=200,
            lock=lambda s: points.lock_member(s, member_id),
            work=work,
        )
    except Problem as exc:
        raise AdminError(exc.detail) from exc
    return Adjusted.model_validate(body), retry
