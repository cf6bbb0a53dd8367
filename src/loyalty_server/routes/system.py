"""Health, the programme's public face, and the referral landing link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import text

from loyalty_core.card.format import CARD_DIGITS, CARD_PERIOD

from .. import __version__, schemas
from ..deps import CtxDep, etag_matches, etag_response
from ..media import MEDIA_TYPES
from ..problems import Problem
from ..services import referral
from .common import NOT_MODIFIED, PROBLEMS

router = APIRouter(tags=["system"], responses=PROBLEMS)


@router.get("/healthz", response_model=schemas.Health)
def healthz(ctx: CtxDep) -> schemas.Health:
    """Answers when the server and its database work."""
    with ctx.db.read() as s:
        s.execute(text("SELECT 1"))
    return schemas.Health(status="ok", database="ok", demo=ctx.settings.demo, version=__version__)


@router.get("/v1/programme", response_model=schemas.ProgrammeOut, responses=NOT_MODIFIED)
def programme(ctx: CtxDep, request: Request) -> Response:
    """Brand, currency, earn rate and card format: what an app needs to look like this shop."""
    p = ctx.programme
    return etag_response(
        request,
        schemas.ProgrammeOut(
            id=p.id,
            name=dict(p.brand.name),
            primary_colour=p.brand.primary_colour,
            logo=ctx.media.url(p.brand.logo),
            currency=p.currency,
            currency_decimals=p.currency_decimals,
            earn_points_per_unit=str(p.earn_points_per_unit),
            card_prefix=p.card_prefix,
            card_period=CARD_PERIOD,
            card_digits=CARD_DIGITS,
            expiry_months=p.expiry_months,
            max_purchase_amount=str(p.max_purchase_amount),
            demo=ctx.settings.demo,
            birthday_points=p.birthday.points if p.birthday else None,
        ),
    )


_PICTURE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/v1/media/{path:path}",
    response_class=Response,
    responses={
        200: {
            "description": "The picture; cache it and revalidate with If-None-Match",
            "content": {media_type: _PICTURE for media_type in sorted(set(MEDIA_TYPES.values()))},
        },
        **NOT_MODIFIED,
    },
)
def media(path: Annotated[str, Path(max_length=200)], ctx: CtxDep, request: Request) -> Response:
    """A picture the programme names (the logo, a reward's image), at the URL that
    `/v1/programme` and `/v1/rewards` give for it."""
    picture = ctx.media.get(path)
    if picture is None:
        raise Problem(404, "not-found", "No such picture", "The programme has no such picture.")
    # Public and the same for everyone; a day's freshness, then a cheap revalidation.
    headers = {"ETag": picture.etag, "Cache-Control": "public, max-age=86400"}
    if etag_matches(request, picture.etag):
        return Response(status_code=304, headers=headers)
    return Response(picture.body, media_type=picture.media_type, headers=headers)


@router.get("/r/{code}", response_class=HTMLResponse)
def referral_landing(
    code: Annotated[str, Path(max_length=16)], ctx: CtxDep, request: Request
) -> HTMLResponse:
    """Where a shared referral link lands: counts the visitor (once a day per client
    network), explains how to join. An unknown code is a 404 problem like any other."""
    address = request.client.host if request.client else ""
    with ctx.db.write() as s:
        # No code has a NUL in it (and PostgreSQL would refuse to compare one): unknown.
        known = "\x00" not in code and referral.record_visit(s, code, address, ctx.now())
    if not known:
        raise Problem(404, "not-found", "Unknown referral code", "No member has that code.")
    name = ctx.programme.brand.name["en"]
    safe = "".join(c for c in code.upper() if c.isalnum())
    return HTMLResponse(
        f"<!doctype html><meta charset=utf-8><title>{name}</title>"
        f"<h1>Join {name}</h1><p>Install the app and enter the code <b>{safe}</b> "
        "when you sign up: you both get bonus points on your first purchase.</p>"
    )
