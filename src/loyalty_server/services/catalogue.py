"""The rewards catalogue: programme rewards mirrored into the database with their live stock."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import schemas
from ..db import Database
from ..models import RewardState
from ..programme import Programme, Reward


def _content_hash(reward: Reward) -> str:
    data = {k: getattr(reward, k) for k in reward.__dataclass_fields__ if k != "stock"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def sync_rewards(db: Database, programme: Programme, now: datetime) -> None:
    """Bring reward rows in line with the programme file. Stock is set when a reward first
    appears or its configured stock changes; safe to run from several processes at once."""
    for _ in range(3):
        try:
            with db.write() as s:
                _sync(s, programme, now)
            return
        except IntegrityError:
            continue  # another process inserted the same reward first; look again


def _sync(s: Session, programme: Programme, now: datetime) -> None:
    states = {r.id: r for r in s.scalars(select(RewardState))}
    listed = set()
    for reward in programme.rewards:
        listed.add(reward.id)
        digest = _content_hash(reward)
        state = states.get(reward.id)
        if state is None:
            s.add(
                RewardState(
                    id=reward.id,
                    stock=reward.stock,
                    configured_stock=reward.stock,
                    content_hash=digest,
                    updated_at=now,
                    active=True,
                )
            )
            continue
        if state.configured_stock != reward.stock:
            # The owner changed the stock in the file: that is the new live stock.
            state.stock = state.configured_stock = reward.stock
            state.updated_at = now
        if state.content_hash != digest or not state.active:
            state.content_hash, state.updated_at, state.active = digest, now, True
    for rid, state in states.items():
        if rid not in listed and state.active:
            state.active, state.updated_at = False, now


def catalogue_etag(
    s: Session, programme: Programme, updated_since: datetime | None, pictures: str = ""
) -> str:
    """A strong ETag from the rows' count and newest change: every stock or content change
    moves `updated_at`, so this changes whenever the body would; `pictures` names the served
    pictures (`MediaLibrary.served`), which decide whether a reward's image is a URL."""
    query = select(func.count(), func.max(RewardState.updated_at))
    if updated_since is not None:
        query = query.where(RewardState.updated_at > updated_since)
    count, newest = s.execute(query).one()
    categories = json.dumps(programme.categories, sort_keys=True, ensure_ascii=False)
    key = f"{programme.id}|{categories}|{count}|{newest}|{updated_since}|{pictures}"
    return '"c-' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def reward_view(
    reward: Reward, state: RewardState, image_url: Callable[[str | None], str | None]
) -> schemas.RewardOut:
    return schemas.RewardOut(
        id=reward.id,
        name=dict(reward.name),
        description=dict(reward.description),
        terms=dict(reward.terms),
        category=reward.category,
        cost=reward.cost,
        stock=state.stock,
        valid_until=reward.valid_until,
        image=image_url(reward.image),
        min_tier=reward.min_tier,
        active=state.active,
        updated_at=state.updated_at,
    )


def catalogue(
    s: Session,
    programme: Programme,
    now: datetime,
    updated_since: datetime | None,
    image_url: Callable[[str | None], str | None],
) -> schemas.Catalogue:
    """The catalogue (or what changed since `updated_since`); `image_url` turns the file's
    picture paths into the URLs the server serves them at."""
    query = select(RewardState)
    if updated_since is not None:
        query = query.where(RewardState.updated_at > updated_since)
    items, removed = [], []
    for state in s.scalars(query.order_by(RewardState.id)):
        reward = programme.reward(state.id)
        if reward is None or not state.active:
            if updated_since is not None:
                removed.append(state.id)
            continue
        items.append(reward_view(reward, state, image_url))
    items.sort(key=lambda r: (r.cost, r.id))
    cats = [schemas.Category(id=k, name=dict(v)) for k, v in programme.categories.items()]
    return schemas.Catalogue(
        items=items,
        categories=cats,
        server_time=now,
        delta=updated_since is not None,
        removed=removed,
    )
