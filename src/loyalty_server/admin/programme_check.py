"""What a new programme file would change for existing members, worked out before it is
deployed. `changes` is pure; `standings` and `vouchers_held` read what it needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import rules
from ..models import LedgerEntry, Member, Voucher
from ..programme import Programme


@dataclass(frozen=True)
class Standing:
    """A member's tier now and qualifying points in the new file's window."""

    tier_code: str
    qualifying_points: int


@dataclass(frozen=True)
class Finding:
    #: True: deploying the file would break something members have (refuse it).
    blocker: bool
    text: str


def _tier_changes(old: Programme, new: Programme, standings: Iterable[Standing]) -> list[Finding]:
    rank = {tier.code: index for index, tier in enumerate(new.tiers)}
    gone: Counter[str] = Counter()
    ups: Counter[tuple[str, str]] = Counter()
    downs: Counter[tuple[str, str]] = Counter()
    for standing in standings:
        if standing.tier_code not in rank:
            gone[standing.tier_code] += 1
            continue
        reached = rules.tier_for_points(new.tiers, standing.qualifying_points).code
        if reached == rules.tier_for_points(old.tiers, standing.qualifying_points).code:
            continue  # the old file puts them there too: not this file's doing
        if rank[reached] > rank[standing.tier_code]:
            ups[standing.tier_code, reached] += 1
        elif rank[reached] < rank[standing.tier_code]:
            downs[standing.tier_code, reached] += 1
    findings = [
        Finding(True, f"tier {code!r} is removed, but {n} member(s) are in it")
        for code, n in sorted(gone.items())
    ]
    findings += [
        Finding(False, f"{n} member(s) would move up {a} → {b} at their next purchase")
        for (a, b), n in sorted(ups.items())
    ]
    findings += [
        Finding(
            False,
            f"{n} member(s) in {a} are below its new threshold: they keep {a} until they "
            f"requalify, then move down to {b}",
        )
        for (a, b), n in sorted(downs.items())
    ]
    old_tiers = {tier.code: tier for tier in old.tiers}
    for tier in new.tiers:
        before = old_tiers.get(tier.code)
        if before is None:
            findings.append(Finding(False, f"tier {tier.code!r} is new"))
            continue
        if before.qualifying_points != tier.qualifying_points:
            findings.append(
                Finding(
                    False,
                    f"tier {tier.code!r}: threshold {before.qualifying_points} → "
                    f"{tier.qualifying_points} qualifying points",
                )
            )
        if before.multiplier != tier.multiplier:
            findings.append(
                Finding(
                    False,
                    f"tier {tier.code!r}: multiplier {before.multiplier} → {tier.multiplier}",
                )
            )
    return findings


def _reward_changes(
    old: Programme, new: Programme, vouchers_held: Mapping[str, int]
) -> list[Finding]:
    findings = []
    for reward in old.rewards:
        if new.reward(reward.id) is None:
            held = vouchers_held.get(reward.id, 0)
            if held:
                findings.append(
                    Finding(
                        True,
                        f"reward {reward.id!r} is removed, but members hold {held} unused "
                        "voucher(s) for it: keep it in the file until they are used or expire",
                    )
                )
            else:
                findings.append(Finding(False, f"reward {reward.id!r} is removed"))
    for reward in new.rewards:
        before = old.reward(reward.id)
        if before is None:
            findings.append(Finding(False, f"reward {reward.id!r} is new ({reward.cost} points)"))
        elif before.cost != reward.cost:
            findings.append(
                Finding(False, f"reward {reward.id!r}: cost {before.cost} → {reward.cost} points")
            )
        elif before.stock != reward.stock:
            findings.append(
                Finding(
                    False,
                    f"reward {reward.id!r}: stock in the file {before.stock} → {reward.stock} "
                    "(the live stock is reset to it at the next start)",
                )
            )
    return findings


def _rule_changes(old: Programme, new: Programme) -> list[Finding]:
    findings = []
    pairs = [
        ("points per currency unit", old.earn_points_per_unit, new.earn_points_per_unit),
        ("rounding", old.rounding, new.rounding),
        ("points expire after (months)", old.expiry_months, new.expiry_months),
        ("qualifying window (months)", old.qualifying_window_months, new.qualifying_window_months),
        ("referrer bonus", old.referral.referrer_points, new.referral.referrer_points),
        ("welcome bonus", old.referral.referee_points, new.referral.referee_points),
        (
            "punch card visits",
            old.punch_card.visits if old.punch_card else None,
            new.punch_card.visits if new.punch_card else None,
        ),
        (
            "birthday bonus",
            old.birthday.points if old.birthday else None,
            new.birthday.points if new.birthday else None,
        ),
    ]
    for name, before, after in pairs:
        if before != after:
            findings.append(Finding(False, f"{name}: {before} → {after}"))
    if old.card_prefix != new.card_prefix:
        findings.append(
            Finding(
                True,
                f"card prefix {old.card_prefix} → {new.card_prefix}: every member's card would "
                "stop scanning until the app signs in again",
            )
        )
    if old.currency != new.currency:
        findings.append(
            Finding(
                True, f"currency {old.currency} → {new.currency}: past purchases would be misread"
            )
        )
    return findings


def changes(
    old: Programme, new: Programme, standings: Iterable[Standing], vouchers_held: Mapping[str, int]
) -> list[Finding]:
    """What deploying `new` in place of `old` would change for existing members."""
    return (
        _tier_changes(old, new, standings)
        + _reward_changes(old, new, vouchers_held)
        + _rule_changes(old, new)
    )


def standings(s: Session, new: Programme, now: datetime) -> list[Standing]:
    """Every member's tier and qualifying points in the new file's window."""
    since = rules.add_months(now, -new.qualifying_window_months)
    e = LedgerEntry
    earned = (
        select(e.member_id, func.sum(e.amount).label("points"))
        .where(
            e.qualifying.is_(True),
            e.voided_at.is_(None),
            e.created_at > since,
            e.created_at <= now,
        )
        .group_by(e.member_id)
        .subquery()
    )
    rows = s.execute(
        select(Member.tier_code, func.coalesce(earned.c.points, 0)).outerjoin(
            earned, earned.c.member_id == Member.id
        )
    )
    return [Standing(code, int(points)) for code, points in rows]


def vouchers_held(s: Session, now: datetime) -> dict[str, int]:
    """Unused, unexpired vouchers per reward."""
    rows = s.execute(
        select(Voucher.reward_id, func.count())
        .where(Voucher.used_at.is_(None), Voucher.expires_at > now)
        .group_by(Voucher.reward_id)
    )
    return {reward: int(n) for reward, n in rows}
