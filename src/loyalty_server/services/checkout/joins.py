"""Joining at the kiosk: a new member, optionally with a friend's referral code."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from ... import schemas
from ...context import ServerContext
from ...problems import Problem
from .. import idempotency
from ..identity import normalise_identity
from ..members import create_member, display_name, find_by_identity
from ..referral import apply_referral_code
from .staff import StaffPrincipal


def join(
    ctx: ServerContext, staff: StaffPrincipal, body: schemas.JoinRequest, app_link: str, key: str
) -> tuple[int, dict]:
    """Sign up a new member at the kiosk: 201 with the member number, once per key and staff
    credential; 409 when the e-mail or phone already has a membership."""
    kind, value = normalise_identity(body.email, body.phone)
    return idempotency.run_once(
        ctx,
        scope=f"staff:{staff.staff_id}:join",
        key=key,
        path="join",
        body=body.model_dump(mode="json"),
        status=201,
        lock=lambda s: _lock_identity(s, kind, value),
        work=lambda s, _, now: _join(ctx, s, body, kind, value, app_link, now),
    )


def _lock_identity(s: Session, kind: str, value: str) -> None:
    """Someone joining has no member row yet: serialise joins of one e-mail or phone so the
    second sees the first's member (409) or its stored answer, never a unique-index error.
    SQLite's write transactions are already one at a time."""
    if s.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(f"join:{kind}:{value}".encode()).digest()
        s.execute(
            text("SELECT pg_advisory_xact_lock(:key)"),
            {"key": int.from_bytes(digest[:8], "big", signed=True)},
        )


def _join(
    ctx: ServerContext,
    s: Session,
    body: schemas.JoinRequest,
    kind: str,
    value: str,
    app_link: str,
    now: datetime,
) -> schemas.JoinResult:
    if find_by_identity(s, kind, value) is not None:
        raise Problem(
            409,
            "already-member",
            "Already a member",
            "This e-mail or phone already has a membership; sign in in the app.",
        )
    member = create_member(s, ctx.programme, now, kind=kind, value=value, name=body.name)
    applied = False
    if body.referral_code:
        apply_referral_code(s, member, body.referral_code, now)
        applied = True
    return schemas.JoinResult(
        member_id=member.id,
        member_number=member.number,
        display_name=display_name(member),
        app_link=app_link,
        referral_applied=applied,
    )
