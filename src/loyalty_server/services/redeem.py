"""Redeeming a reward: one transaction checks tier, validity, stock and balance."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import schemas
from ..context import ServerContext
from ..models import Member, RewardState
from ..problems import Problem
from ..programme import Programme
from . import idempotency, points, vouchers


def redeem(ctx: ServerContext, member_id: str, reward_id: str, key: str) -> tuple[int, dict]:
    """Spend the member's points on a reward for a voucher: 201 with the voucher, once per key."""
    return idempotency.run_once(
        ctx,
        scope=f"member:{member_id}",
        key=key,
        path=f"redeem/{reward_id}",
        body={},
        status=201,
        lock=lambda s: points.lock_member(s, member_id),
        work=lambda s, member, now: _redeem(s, ctx.programme, member, reward_id, now),
    )


def _redeem(
    s: Session, programme: Programme, member: Member, reward_id: str, now: datetime
) -> schemas.Redemption:
    lots = points.settle(s, member, programme, now)
    reward = programme.reward(reward_id)
    state = s.get(RewardState, reward_id) if reward else None
    if reward is None or state is None or not state.active:
        raise Problem(
            404,
            "reward-not-found",
            "No such reward",
            "That reward is not in the catalogue (any more).",
        )
    if reward.valid_until is not None and now.date() > reward.valid_until:
        raise Problem(
            409,
            "reward-expired",
            "Reward no longer offered",
            f"This reward could be redeemed until {reward.valid_until}.",
        )
    if reward.min_tier is not None:
        order = [t.code for t in programme.tiers]
        if order.index(member.tier_code) < order.index(reward.min_tier):
            need = programme.tier(reward.min_tier).name["en"]
            raise Problem(
                403,
                "tier-too-low",
                "Tier too low",
                f"This reward is for {need} members and above.",
                min_tier=reward.min_tier,
            )
    if state.stock is not None:
        taken = s.execute(
            update(RewardState)
            .where(RewardState.id == reward_id, RewardState.stock > 0)
            .values(stock=RewardState.stock - 1, updated_at=now)
        )
        if taken.rowcount != 1:
            raise Problem(
                409,
                "out-of-stock",
                "Sold out",
                "This reward has just run out; choose another one.",
            )
    entry = points.spend(
        s,
        member,
        now,
        reward.cost,
        kind="redeem",
        reason="reward_redeemed",
        details={"reward_id": reward.id},
        lots=lots,
    )
    voucher = vouchers.issue(s, member, reward, now, source="redeem", ledger_entry_id=entry.id)
    # The spend took exactly `cost` from spendable lots: no need to reload them.
    balance = points.balance_of(lots, now) - reward.cost
    return schemas.Redemption(
        voucher=vouchers.voucher_view(voucher, programme, now),
        points_spent=reward.cost,
        balance=balance,
    )
