"""/v1/rewards: the catalogue (ETag, delta) and redeeming."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from .. import schemas
from ..deps import CtxDep, IdemKey, MemberAuth, etag_headers, etag_matches, json_result
from ..formats import REWARD_ID, Timestamp
from ..problems import Problem
from ..services import catalogue, redeem
from .common import NOT_MODIFIED, PROBLEMS

router = APIRouter(prefix="/v1/rewards", tags=["rewards"], responses=PROBLEMS)


@router.get("", response_model=schemas.Catalogue, responses=NOT_MODIFIED)
def list_rewards(
    ctx: CtxDep,
    request: Request,
    updated_since: Annotated[
        Timestamp | None,
        Query(
            description="Only what changed since then (RFC 3339 with a UTC offset, e.g. "
            "2026-11-01T00:00:00Z; `server_time` of the last answer). A time without an offset "
            "or outside the years 1 to 9999 in UTC is 422 invalid-timestamp."
        ),
    ] = None,
) -> Response:
    """Every active reward; with `updated_since`, only what changed (and what was removed)."""
    if updated_since is not None and updated_since.tzinfo is None:
        raise Problem(
            422,
            "invalid-timestamp",
            "Time zone needed",
            "updated_since needs a UTC offset, e.g. 2026-11-01T00:00:00Z.",
        )
    if updated_since is not None:
        try:
            updated_since = updated_since.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first UTC instant
            raise Problem(
                422,
                "invalid-timestamp",
                "Time out of range",
                "updated_since must be a time between the years 1 and 9999 in UTC.",
            ) from None
    with ctx.db.read() as s:
        # The version is one aggregate query: an unchanged catalogue answers 304 without
        # building 10,000 rewards.
        etag = catalogue.catalogue_etag(s, ctx.programme, updated_since, ctx.media.served)
        if etag_matches(request, etag):
            return Response(status_code=304, headers=etag_headers(etag))
        view = catalogue.catalogue(s, ctx.programme, ctx.now(), updated_since, ctx.media.url)
    return Response(
        view.model_dump_json(), media_type="application/json", headers=etag_headers(etag)
    )


@router.post("/{reward_id}/redeem", status_code=201, response_model=schemas.Redemption)
def redeem_reward(
    reward_id: Annotated[str, Path(pattern=REWARD_ID)], who: MemberAuth, ctx: CtxDep, key: IdemKey
) -> Response:
    """Spend points on a reward and get a voucher; the same Idempotency-Key spends once."""
    status, body = redeem.redeem(ctx, who.member_id, reward_id, key)
    return json_result(status, body)
