"""Demo data for Harbor Coffee: members with a believable year of visits, built by the same
ledger rules the server runs, so balances, tiers and expiry dates are all consistent."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from . import rules
from .context import ServerContext
from .models import Member
from .programme import Programme
from .services import points
from .services.auth import PRIMARY_DEMO_EMAIL
from .services.members import create_member
from .services.referral import apply_referral_code, pay_referral_bonus
from .services.vouchers import issue

_BASKETS = ["4.75", "5.25", "3.95", "6.40", "12.40", "8.90", "5.60", "18.90", "4.50", "7.35"]


def _purchase(s, member: Member, programme: Programme, at: datetime, amount: str) -> None:  # noqa: ANN001
    value = Decimal(amount)
    earn = rules.purchase_points(value, programme, programme.tier(member.tier_code))
    points.post(
        s,
        member,
        at,
        amount=earn.total,
        kind="purchase",
        reason="purchase",
        details={
            "amount": amount,
            "currency": programme.currency,
            "base": earn.base,
            "bonus": earn.bonus,
            "multiplier": str(earn.multiplier),
            "store": "Harbor Coffee Pier 7",
        },
        programme=programme,
        qualifying=True,
        purchase_amount=value,
    )
    points.update_tier(s, member, programme, at)
    if member.first_purchase_at is None:
        member.first_purchase_at = at
        pay_referral_bonus(s, member, programme, at)
    if programme.punch_card:
        member.punch_stamps, _ = rules.punch(member.punch_stamps, programme.punch_card)


def _history(
    s,
    member: Member,
    programme: Programme,
    start: datetime,
    end: datetime,  # noqa: ANN001
    visits: int,
    rng: random.Random,
) -> None:
    span = (end - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(visits))
    for at in times:
        _purchase(s, member, programme, at, rng.choice(_BASKETS))


def _birthday_today(member: Member, programme: Programme, now: datetime) -> None:
    """Mei's birthday is today in the shop's time zone: her inbox shows the birthday voucher."""
    today = now.astimezone(ZoneInfo(programme.time_zone)).date()
    try:
        member.birthday = today.replace(year=today.year - 31)
    except ValueError:  # 29 February
        member.birthday = today.replace(year=today.year - 31, day=28)


def _one_visit_and_a_voucher_to_go(s, member: Member, programme: Programme, now: datetime) -> None:  # noqa: ANN001
    """Mei's inbox: her stamp card is one visit from its reward, and the drink of her last full
    card expires in five days."""
    card = programme.punch_card
    if card is None:
        return
    member.punch_stamps = card.visits - 1
    reward = programme.reward(card.reward_id)
    assert reward is not None
    issued = now - timedelta(days=reward.voucher_valid_days - 5)
    issue(s, member, reward, issued, source="punch_card", ledger_entry_id=None)


def seed(ctx: ServerContext) -> list[str]:
    """Create the demo members (once); returns their sign-in e-mails."""
    programme, now = ctx.programme, ctx.now()
    rng = random.Random(7)
    emails = [PRIMARY_DEMO_EMAIL, "daniel.okafor@harbor.demo", "sofia.chen@harbor.demo"]
    with ctx.db.write() as s:
        if s.scalar(select(func.count()).select_from(Member).where(Member.is_demo.is_(True))):
            return emails
        # Mei: a regular a few hundred points short of the next tier, with points about to
        # expire this month.
        mei = create_member(
            s,
            programme,
            now - timedelta(days=420),
            kind="email",
            value=emails[0],
            name="Mei Lin",
            is_demo=True,
        )
        _birthday_today(mei, programme, now)
        month_end = rules.add_months(
            now.replace(day=1, hour=0, minute=0, second=0, microsecond=0), 1
        ) - timedelta(hours=1)
        expiry_target = max(min(now + timedelta(days=6), month_end), now + timedelta(hours=2))
        old_visit = rules.add_months(expiry_target, -(programme.expiry_months or 12))
        base = programme.tiers[0]
        next_tier = programme.tiers[1].qualifying_points if len(programme.tiers) > 1 else 3000
        # Visits are planned first and posted in time order, so every tier decision sees
        # exactly the history a live server would have seen. The whole year stays below the
        # next tier, so Mei never upgrades, and ends about 300 points short.
        visits = [(now - timedelta(days=400 - 9 * i), "4.75") for i in range(4)]
        visits += [(old_visit, "18.90"), (old_visit + timedelta(minutes=5), "12.40")]
        in_window = sum(
            rules.purchase_points(Decimal(a), programme, base).total for _, a in visits[4:]
        )
        span = (now - timedelta(days=1) - old_visit).total_seconds()
        while True:
            amount = rng.choice(_BASKETS)
            earn = rules.purchase_points(Decimal(amount), programme, base).total
            if in_window + earn > next_tier - 300:
                break
            in_window += earn
            visits.append((old_visit + timedelta(seconds=rng.random() * span, days=1), amount))
        for at, amount in sorted(visits):
            _purchase(s, mei, programme, at, amount)
        cheap = min(programme.rewards, key=lambda r: r.cost)
        spent_at = now - timedelta(days=20)
        entry = points.spend(
            s,
            mei,
            spent_at,
            cheap.cost,
            kind="redeem",
            reason="reward_redeemed",
            details={"reward_id": cheap.id},
        )
        issue(s, mei, cheap, spent_at, source="redeem", ledger_entry_id=entry.id).used_at = (
            spent_at + timedelta(minutes=3)
        )
        # A coffee yesterday evening: the app asks how likely she is to recommend the shop.
        _purchase(s, mei, programme, now - timedelta(hours=20), "4.75")
        _one_visit_and_a_voucher_to_go(s, mei, programme, now)
        points.settle(s, mei, programme, now)  # the birthday bonus and voucher arrive

        # Daniel: a long-standing regular at a higher tier who invited Sofia.
        daniel = create_member(
            s,
            programme,
            now - timedelta(days=900),
            kind="email",
            value=emails[1],
            name="Daniel Okafor",
            is_demo=True,
        )
        _history(s, daniel, programme, now - timedelta(days=330), now - timedelta(days=1), 240, rng)
        points.settle(s, daniel, programme, now)

        # Sofia: joined yesterday through Daniel's link; her first purchase pays both bonuses.
        sofia = create_member(
            s,
            programme,
            now - timedelta(days=1),
            kind="email",
            value=emails[2],
            name="Sofia Chen",
            is_demo=True,
        )
        apply_referral_code(s, sofia, daniel.referral_code, now - timedelta(days=1))
    return emails
