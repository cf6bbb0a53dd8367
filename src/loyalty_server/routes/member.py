"""The signed-in member's own resources: profile, ledger, tier progress, vouchers, referral."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select, tuple_

from .. import formats, rules, schemas
from ..context import ServerContext
from ..deps import CtxDep, MemberAuth, etag_response
from ..models import LedgerEntry, Member
from ..problems import Problem
from ..services import points, referral, vouchers
from ..services.members import me_view
from .common import NOT_MODIFIED, PROBLEMS

router = APIRouter(prefix="/v1", tags=["member"], responses=PROBLEMS)


def _settled_member(ctx: ServerContext, member_id: str) -> None:
    """Materialise expiry, birthday bonus and requalification before a read, when due."""
    now = ctx.now()
    with ctx.db.read() as s:
        member = s.get(Member, member_id)
        due = member is not None and points.needs_settling(s, member, ctx.programme, now)
    if due:
        with ctx.db.write() as s:
            points.settle(s, points.lock_member(s, member_id), ctx.programme, now)


@router.get("/me", response_model=schemas.Me, responses=NOT_MODIFIED)
def me(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """Profile, tier, balance, pending and soon-expiring points, member number."""
    _settled_member(ctx, who.member_id)
    with ctx.db.read() as s:
        member = s.get(Member, who.member_id)
        return etag_response(request, me_view(s, member, ctx.programme, ctx.now()))


@router.patch("/me", response_model=schemas.Me)
def update_me(body: schemas.ProfileUpdate, who: MemberAuth, ctx: CtxDep) -> schemas.Me:
    """Change name, language or birthday (the birthday only while none is set)."""
    now = ctx.now()
    with ctx.db.write() as s:
        member = points.lock_member(s, who.member_id)
        if body.name is not None:
            member.name = body.name.strip()
        if body.language is not None:
            member.language = body.language
        if body.email_reminders is not None:
            member.email_reminders = body.email_reminders
        if body.birthday is not None:
            if not rules.plausible_birthday(body.birthday, now):
                raise Problem(
                    422,
                    "invalid-birthday",
                    "Not a birthday",
                    f"A birthday is a date from {rules.EARLIEST_BIRTH_YEAR}-01-01 up to today.",
                )
            if member.birthday is not None and member.birthday != body.birthday:
                raise Problem(
                    409,
                    "birthday-locked",
                    "Birthday already set",
                    "Your birthday can only be set once; ask staff to change it.",
                )
            if member.birthday is None:
                member.birthday = body.birthday
                member.birthday_set_at = now
        member.version += 1
        return me_view(s, member, ctx.programme, now)


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (date, id) of the last entry of the page before, as `_encode_cursor` wrote it."""
    try:
        if not re.fullmatch(formats.CURSOR, cursor):  # b64decode would skip other characters
            raise ValueError
        value = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
        if not isinstance(value, list) or len(value) != 2:
            raise ValueError
        micros, entry_id = value
        # Ledger ids are INTEGER columns (32-bit on PostgreSQL): a bigger number is no cursor
        # of ours, and the databases refuse to compare with it (a 500, not an empty page).
        for number, top in ((micros, _LAST_MICROSECOND), (entry_id, 2**31)):
            if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < top:
                raise ValueError
        return _EPOCH + timedelta(microseconds=micros), entry_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise Problem(
            422,
            "invalid-cursor",
            "Invalid cursor",
            "The page cursor is not valid; start again from the first page.",
        ) from exc


def _encode_cursor(entry: LedgerEntry) -> str:
    micros = (entry.created_at - _EPOCH) // timedelta(microseconds=1)
    raw = json.dumps([micros, entry.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LAST_MICROSECOND = (datetime(9999, 12, 31, tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)


@router.get("/ledger", response_model=schemas.LedgerPage, responses=NOT_MODIFIED)
def ledger(
    who: MemberAuth,
    ctx: CtxDep,
    request: Request,
    cursor: Annotated[
        str | None,
        Query(
            max_length=64,
            json_schema_extra={"pattern": formats.CURSOR},
            description="`next_cursor` of the page before (opaque; one the server did not "
            "hand out is 422 invalid-cursor).",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Points history by the date of each entry (`at`), newest first, then by id; a reason
    on every entry; `next_cursor` pages on (an entry dated earlier than ones already paged
    past, e.g. points booked later for an earlier day, lands in its place)."""
    _settled_member(ctx, who.member_id)
    query = select(LedgerEntry).where(LedgerEntry.member_id == who.member_id)
    if cursor:
        at, entry_id = _decode_cursor(cursor)
        # Keyset on the index (member_id, created_at, id): a row value compares both at once.
        query = query.where(tuple_(LedgerEntry.created_at, LedgerEntry.id) < (at, entry_id))
    order = (LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
    with ctx.db.read() as s:
        rows = s.scalars(query.order_by(*order).limit(limit + 1)).all()
    items = [
        schemas.LedgerItem(
            id=e.id,
            at=e.created_at,
            amount=e.amount,
            kind=e.kind,
            reason=e.reason,
            details=json.loads(e.details or "{}"),
            expires_at=e.expires_at if e.amount > 0 else None,
            available_at=e.available_at if e.amount > 0 else None,
            voided=e.voided_at is not None,
        )
        for e in rows[:limit]
    ]
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return etag_response(request, schemas.LedgerPage(items=items, next_cursor=next_cursor))


@router.get("/tiers", response_model=schemas.TierLadder, responses=NOT_MODIFIED)
def tiers(ctx: CtxDep, request: Request) -> Response:
    """The tier ladder: thresholds, multipliers, benefits, colours."""
    programme = ctx.programme
    ladder = schemas.TierLadder(
        window_months=programme.qualifying_window_months,
        tiers=[
            schemas.TierOut(
                code=t.code,
                name=dict(t.name),
                qualifying_points=t.qualifying_points,
                multiplier=str(t.multiplier),
                benefits=[dict(b) for b in t.benefits],
                colour=t.colour,
            )
            for t in programme.tiers
        ],
    )
    return etag_response(request, ladder)


@router.get("/me/tier", response_model=schemas.TierProgressOut, responses=NOT_MODIFIED)
def tier_progress(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """How far to the next tier and when the current one is requalified."""
    _settled_member(ctx, who.member_id)
    programme, now = ctx.programme, ctx.now()
    with ctx.db.read() as s:
        member = s.get(Member, who.member_id)
        qualifying = points.qualifying_points(s, member.id, programme, now)
    progress = rules.tier_progress(programme.tiers, member.tier_code, qualifying)
    return etag_response(
        request,
        schemas.TierProgressOut(
            tier=progress.current,
            next_tier=progress.next,
            qualifying_points=progress.qualifying_points,
            points_to_next=progress.points_to_next,
            fraction=progress.fraction,
            requalify_at=member.requalify_at,
            window_months=programme.qualifying_window_months,
        ),
    )


@router.get("/vouchers", response_model=schemas.VoucherList, responses=NOT_MODIFIED)
def my_vouchers(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """The member's vouchers, newest first: code, QR payload, expiry, status."""
    with ctx.db.read() as s:
        items = vouchers.member_vouchers(s, who.member_id, ctx.programme, ctx.now())
    return etag_response(request, schemas.VoucherList(items=items))


@router.get("/referral", response_model=schemas.ReferralOut, responses=NOT_MODIFIED)
def my_referral(who: MemberAuth, ctx: CtxDep, request: Request) -> Response:
    """The member's referral code and link, and how many joined and were rewarded."""
    with ctx.db.read() as s:
        member = s.get(Member, who.member_id)
        view = referral.referral_view(s, member, ctx.programme, _base_url(ctx, request))
    return etag_response(request, view)


@router.post("/referral/claim", response_model=schemas.ReferralOut)
def claim_referral(
    body: schemas.ClaimRequest, who: MemberAuth, ctx: CtxDep, request: Request
) -> schemas.ReferralOut:
    """Use a friend's code (before the first purchase); both get a bonus on that purchase."""
    with ctx.db.write() as s:
        member = points.lock_member(s, who.member_id)
        referrer_code = s.scalar(
            select(Member.referral_code).where(Member.id == member.referred_by_id)
        )
        if referrer_code != body.code.strip().upper():
            referral.apply_referral_code(s, member, body.code, ctx.now())
        return referral.referral_view(s, member, ctx.programme, _base_url(ctx, request))


def _base_url(ctx: ServerContext, request: Request) -> str:
    return ctx.settings.public_url or str(request.base_url)
