"""Referral codes: claiming one at sign-up, the bonus on the referee's first purchase, stats."""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import schemas
from ..models import Member, ReferralVisit
from ..problems import Problem
from ..programme import Programme


def apply_referral_code(s: Session, member: Member, code: str, now: datetime) -> None:
    code = code.strip().upper()
    # No code has a NUL in it (and PostgreSQL would refuse to compare one): unknown.
    referrer = (
        None if "\x00" in code else s.scalar(select(Member).where(Member.referral_code == code))
    )
    if referrer is None:
        raise Problem(
            422,
            "unknown-referral-code",
            "Unknown referral code",
            "No member has that referral code; check it and try again.",
        )
    if referrer.id == member.id:
        raise Problem(
            422,
            "own-referral-code",
            "That is your own code",
            "You cannot use your own referral code.",
        )
    if member.referred_by_id is not None:
        raise Problem(
            409,
            "referral-already-claimed",
            "Referral already claimed",
            "A referral code was already used for this membership.",
        )
    if member.first_purchase_at is not None:
        raise Problem(
            409,
            "referral-too-late",
            "Too late for a referral code",
            "A referral code can only be used before your first purchase.",
        )
    member.referred_by_id = referrer.id
    member.version += 1


def will_pay_referral(member: Member) -> bool:
    """Whether `pay_referral_bonus` pays: the member was referred and it has not paid yet."""
    return member.referred_by_id is not None and member.referral_rewarded_at is None


def pay_referral_bonus(s: Session, member: Member, programme: Programme, now: datetime) -> int:
    """On the referee's first purchase: bonus to both sides, once. Returns the referee's bonus."""
    from .points import lock_member, post

    if not will_pay_referral(member):
        return 0
    member.referral_rewarded_at = now
    bonus = programme.referral
    post(
        s,
        member,
        now,
        amount=bonus.referee_points,
        kind="bonus",
        reason="referral_welcome",
        details={"referrer": member.referred_by_id},
        programme=programme,
    )
    referrer = lock_member(s, member.referred_by_id)
    post(
        s,
        referrer,
        now,
        amount=bonus.referrer_points,
        kind="bonus",
        reason="referral_reward",
        details={"referee_name": member.name.split()[0] if member.name else ""},
        programme=programme,
    )
    return bonus.referee_points


#: A visitor counts once per referral code in each window of this length (fixed windows
#: from the Unix epoch, so every server process and the database agree on them).
VISIT_WINDOW_SECONDS = 24 * 3600


def visitor_key(code: str, address: str, now: datetime) -> str:
    """Who visited, as the database keeps it: a digest of the code, the window and the
    client's network (an IPv4 address, or the /64 an IPv6 host picks its addresses from; any
    other text as it is), never the address itself."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if isinstance(ip, ipaddress.IPv6Address):
            network = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            network = str(ip)
    window = int(now.timestamp()) // VISIT_WINDOW_SECONDS
    digest = hashlib.sha256(f"{code}\n{window}\n{network}".encode()).hexdigest()
    return digest[:32]


def record_visit(s: Session, code: str, address: str, now: datetime) -> bool:
    """Counts a visit of ``code``'s link, once per visitor and window; False: no such code.

    A second visit in the window hits the unique (code, visitor) pair and is dropped in a
    savepoint; on PostgreSQL a concurrent twin waits for the first to commit and is dropped
    the same way, so a burst from one client counts once whatever the interleaving."""
    code = code.strip().upper()
    if s.scalar(select(Member.id).where(Member.referral_code == code)) is None:
        return False
    visit = ReferralVisit(
        referral_code=code, visited_at=now, visitor=visitor_key(code, address, now)
    )
    try:
        with s.begin_nested():
            s.add(visit)
            s.flush()
    except IntegrityError:
        pass  # this visitor was already counted in this window
    return True


def referral_view(
    s: Session, member: Member, programme: Programme, base_url: str
) -> schemas.ReferralOut:
    joined = (
        s.scalar(select(func.count()).select_from(Member).where(Member.referred_by_id == member.id))
        or 0
    )
    rewarded = (
        s.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.referred_by_id == member.id, Member.referral_rewarded_at.is_not(None))
        )
        or 0
    )
    visits = (
        s.scalar(
            select(func.count())
            .select_from(ReferralVisit)
            .where(ReferralVisit.referral_code == member.referral_code)
        )
        or 0
    )
    link_base = programme.brand.link_base or f"{base_url.rstrip('/')}/r"
    referred_by = None
    if member.referred_by_id:
        referred_by = s.scalar(
            select(Member.referral_code).where(Member.id == member.referred_by_id)
        )
    return schemas.ReferralOut(
        code=member.referral_code,
        link=f"{link_base.rstrip('/')}/{member.referral_code}",
        referrer_points=programme.referral.referrer_points,
        referee_points=programme.referral.referee_points,
        stats=schemas.ReferralStats(invited=max(visits, joined), joined=joined, rewarded=rewarded),
        referred_by=referred_by,
    )
