"""Reward stock for the owner: see it and set it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..context import ServerContext
from ..models import RewardState
from . import AdminError, audit


@dataclass(frozen=True)
class Stock:
    reward_id: str
    name: str
    cost: int | None
    stock: int | None  # None: unlimited
    active: bool


def stock_list(ctx: ServerContext) -> list[Stock]:
    """Every reward the database knows, with its live stock."""
    with ctx.db.read() as s:
        states = list(s.scalars(select(RewardState).order_by(RewardState.id)))
    result = []
    for state in states:
        reward = ctx.programme.reward(state.id)
        result.append(
            Stock(
                state.id,
                reward.name["en"] if reward else "(not in the programme file)",
                reward.cost if reward else None,
                state.stock,
                state.active and reward is not None,
            )
        )
    return result


def set_stock(ctx: ServerContext, reward_id: str, stock: int, by: str) -> tuple[int | None, str]:
    """Sets the live stock; returns (the stock before, the audit line or "" when it was
    already `stock` — a retry changes nothing and records nothing)."""
    if stock < 0:
        raise AdminError(f"stock cannot be negative ({stock}); 0 means sold out")
    if not by.strip():
        raise AdminError("--by is needed: the name of whoever makes the change")
    now = ctx.now()
    with ctx.db.write() as s:
        state = s.get(RewardState, reward_id, with_for_update=True)
        if state is None:
            known = ", ".join(s.scalars(select(RewardState.id).order_by(RewardState.id)))
            raise AdminError(
                f"no reward {reward_id!r} in the database (rewards: {known or 'none yet'}; "
                "a new reward appears once the server has started with the programme file)"
            )
        before = state.stock
        if before == stock:
            return before, ""
        state.stock, state.updated_at = stock, now  # updated_at: the catalogue's ETag moves
        row = audit.record(
            s, now, by.strip(), "rewards.stock", reward_id, before=before, after=stock
        )
        return before, audit.line(row)
