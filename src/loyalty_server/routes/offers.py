"""The signed-in member's offers, and adding one to the card."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from .. import schemas
from ..deps import CtxDep, MemberAuth, etag_response
from ..models import Member
from ..services import challenges, offers, points
from .common import NOT_MODIFIED, PROBLEMS

router = APIRouter(prefix="/v1/me/offers", tags=["member"], responses=PROBLEMS)


@router.get("", response_model=schemas.OfferList, responses=NOT_MODIFIED)
def my_offers(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """The offers the member has: running and upcoming, whether added to the card."""
    with ctx.db.read() as s:
        member = s.get(Member, who.member_id)
        return etag_response(request, offers.offer_list(s, member, ctx.programme, ctx.now()))


@router.put("/{offer_id}/activation", response_model=schemas.OfferOut)
def activate_offer(
    offer_id: Annotated[str, Path(max_length=40)], who: MemberAuth, ctx: CtxDep
) -> schemas.OfferOut:
    """Add the offer to the card ("add to card"): it pays from the next purchase on.
    Idempotent: adding it again changes nothing. 404 offer-not-found when the member does
    not have that offer now."""
    with ctx.db.write() as s:
        member = points.lock_member(s, who.member_id)
        return offers.activate(s, member, ctx.programme, offer_id, ctx.now())


badges_router = APIRouter(prefix="/v1/me/badges", tags=["member"], responses=PROBLEMS)


@badges_router.get("", response_model=schemas.BadgeList, responses=NOT_MODIFIED)
def my_badges(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """The programme's challenges: the badges the member earned, and how far the others are."""
    with ctx.db.read() as s:
        member = s.get(Member, who.member_id)
        return etag_response(request, challenges.badge_list(s, member, ctx.programme, ctx.now()))
