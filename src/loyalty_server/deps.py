"""Request dependencies: the shared context, who is calling, the Idempotency-Key, ETags."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import bindparam, select

from .context import ServerContext
from .formats import IDEMPOTENCY_KEY
from .models import Staff
from .problems import Problem
from .services import idempotency
from .services.auth import MemberPrincipal, resolve_access_token
from .services.checkout import StaffPrincipal
from .services.tokens import token_hash

# The dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in
# its thread pool, a hand-over to a worker thread and back for every request.


async def get_ctx(request: Request) -> ServerContext:
    return request.app.state.ctx


CtxDep = Annotated[ServerContext, Depends(get_ctx)]

_member_bearer = HTTPBearer(
    auto_error=False, scheme_name="MemberToken", description="Access token from sign-in"
)
_staff_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="StaffToken",
    description="Staff credential from `loyalty-server staff add`",
)


_SIGN_IN = Problem(
    401,
    "unauthorized",
    "Sign-in required",
    "Sign in again: the access token is missing, expired or revoked.",
)


def current_member(
    ctx: CtxDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_member_bearer)]
) -> MemberPrincipal:
    if creds is None:
        raise _SIGN_IN
    principal = resolve_access_token(ctx, creds.credentials)
    if principal is None:
        raise _SIGN_IN
    return principal


# Built once per process (a statement, not a result): each request only binds its digest.
_STAFF_BY_TOKEN = select(Staff.id, Staff.name, Staff.store).where(
    Staff.token_hash == bindparam("digest"), Staff.revoked_at.is_(None)
)


def current_staff(
    ctx: CtxDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_staff_bearer)]
) -> StaffPrincipal:
    if creds is None:
        raise Problem(
            401,
            "staff-credential-required",
            "Staff credential needed",
            "This is for staff: set up the kiosk with a staff credential.",
        )
    # Looked up on every request (one indexed read, in Core: no ORM session), never cached:
    # a revoked credential stops at once, in every server process.
    digest = token_hash(creds.credentials)
    with ctx.db.read_core() as conn:
        staff = conn.execute(_STAFF_BY_TOKEN, {"digest": digest}).first()
    if staff is None:
        raise Problem(
            403,
            "staff-credential-invalid",
            "Staff credential not valid",
            "This staff credential is unknown or revoked.",
        )
    return StaffPrincipal(staff_id=staff.id, name=staff.name, store=staff.store)


MemberAuth = Annotated[MemberPrincipal, Depends(current_member)]
StaffAuth = Annotated[StaffPrincipal, Depends(current_staff)]


async def idempotency_key(
    key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            pattern=IDEMPOTENCY_KEY,
            description="Made once per intent by the caller (8 to 128 visible ASCII "
            "characters, e.g. a UUID); a retry with the same key and body gets the first "
            "answer. Missing or malformed: 422 validation.",
        ),
    ],
) -> str:
    return idempotency.check_key(key)


IdemKey = Annotated[str, Depends(idempotency_key)]


def json_result(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status_code=status, media_type="application/json")


def etag_matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match", "")
    tags = [t.strip().removeprefix("W/") for t in wanted.split(",")]
    return etag in tags or wanted.strip() == "*"


def etag_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": "private, no-cache"}


def etag_response(request: Request, model: BaseModel) -> Response:
    """JSON with a strong ETag over its content; 304 when If-None-Match already has it."""
    body = model.model_dump_json().encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag_matches(request, etag):
        return Response(status_code=304, headers=etag_headers(etag))
    return Response(body, media_type="application/json", headers=etag_headers(etag))
