"""/v1/auth: one-time codes, sessions, refresh, sign-out."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from .. import schemas
from ..deps import CtxDep, MemberAuth
from ..services import auth
from .common import PROBLEMS

router = APIRouter(prefix="/v1/auth", tags=["auth"], responses=PROBLEMS)


@router.post("/code", status_code=202, response_model=schemas.CodeSent)
def request_code(body: schemas.CodeRequest, ctx: CtxDep, request: Request) -> schemas.CodeSent:
    """Send a one-time sign-in code (rate-limited per address)."""
    return auth.request_code(ctx, body.email, body.phone, _client_address(request))


@router.post("/verify", response_model=schemas.Session)
def verify(body: schemas.VerifyRequest, ctx: CtxDep, request: Request) -> schemas.Session:
    """Exchange the code for tokens and this device's card credential; joins new members."""
    return auth.verify(ctx, body, _client_address(request))


def _client_address(request: Request) -> str:
    """The requester's address as uvicorn reports it: behind a reverse proxy, the one the
    proxy puts in X-Forwarded-For if the proxy is trusted (--forwarded-allow-ips)."""
    return request.client.host if request.client else ""


class DemoRequest(BaseModel):
    device_name: schemas.StoredText = Field(default="", max_length=100)


@router.post("/demo", response_model=schemas.Session)
def demo(body: DemoRequest, ctx: CtxDep) -> schemas.Session:
    """Demo mode only: sign in as the demo member without a code."""
    return auth.demo_sign_in(ctx, body.device_name)


@router.post("/refresh", response_model=schemas.Tokens)
def refresh(body: schemas.RefreshRequest, ctx: CtxDep) -> schemas.Tokens:
    """Rotate the refresh token and get a new access token."""
    return auth.refresh(ctx, body.refresh_token)


@router.post("/sign-out", status_code=204)
def sign_out(who: MemberAuth, ctx: CtxDep) -> Response:
    """Revoke this device: its tokens and card credential stop working."""
    auth.sign_out(ctx, who.device_id)
    return Response(status_code=204)
