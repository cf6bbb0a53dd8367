"""Sign-in by one-time code, sessions per device, refresh, sign-out and the card credential."""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loyalty_core.card.format import CARD_ALGORITHM, CARD_DIGITS, CARD_PERIOD
from loyalty_core.card.token import new_card_id
from loyalty_core.card.totp import new_secret

from .. import schemas
from ..context import ServerContext
from ..mailer import MailError
from ..models import AuthToken, CardCredential, Device, Member, OneTimeCode
from ..problems import Problem
from . import sign_in_limits
from .identity import normalise_identity
from .members import create_member, find_by_identity
from .referral import apply_referral_code
from .tokens import new_seed, new_token, successor_pair, token_hash

log = logging.getLogger("loyalty_server.auth")


def _code_hash(identity: str, code: str) -> str:
    return token_hash(f"{identity}:{code}")


def _too_many_codes(wait: int, detail: str) -> Problem:
    return Problem(
        429, "too-many-code-requests", "Too many code requests", detail, retry_after=wait
    )


def _too_many_attempts(wait: int, detail: str) -> Problem:
    return Problem(
        429, "too-many-sign-in-attempts", "Too many sign-in attempts", detail, retry_after=wait
    )


def request_code(
    ctx: ServerContext, email: str | None, phone: str | None, address: str
) -> schemas.CodeSent:
    """Sends a new code. Limits, cheapest for the member first: the requester's network,
    then the overall ceiling, then the e-mail or phone (counted only when a code goes out,
    so a stranger's refused requests never make the member wait longer). A code already
    sent keeps working whatever is refused here."""
    kind, identity = normalise_identity(email, phone)
    settings = ctx.settings
    limits = sign_in_limits.limits_of(settings)
    now = ctx.now()
    network = sign_in_limits.network_of(address)
    if wait := sign_in_limits.take(
        ctx.db, sign_in_limits.key("code:net", network), limits.code_requests_per_address, now
    ):
        raise _too_many_codes(wait, f"Too many codes asked for from here; wait {wait} s.")
    if wait := sign_in_limits.take(
        ctx.db, sign_in_limits.key("code:all"), limits.code_requests_overall, now
    ):
        raise _too_many_codes(wait, f"Too many codes asked for overall; wait {wait} s.")
    if wait := sign_in_limits.take(
        ctx.db, sign_in_limits.key("code:id", identity), limits.codes_per_identity, now
    ):
        raise _too_many_codes(
            wait,
            f"A code was sent to this {kind} a moment ago; use it, or wait {wait} s for a new one.",
        )
    code = f"{secrets.randbelow(10**6):06d}"
    with ctx.db.write() as s:
        member = find_by_identity(s, kind, identity)
        s.add(
            OneTimeCode(
                identity=identity,
                code_hash=_code_hash(identity, code),
                created_at=now,
                attempts=0,
                expires_at=now + timedelta(seconds=settings.code_ttl_seconds),
            )
        )
        is_demo_member = member is not None and member.is_demo
    minutes = settings.code_ttl_seconds // 60
    if settings.demo and is_demo_member:
        print(f"DEMO MODE: one-time code for {identity} is {code}", flush=True)
    elif kind == "email" and ctx.mailer.configured:
        try:
            ctx.mailer.send_code(identity, code, minutes)
        except MailError as exc:
            raise Problem(
                503,
                "mail-unavailable",
                "Could not send the code",
                "The sign-in e-mail could not be sent; try again shortly.",
            ) from exc
    else:
        log.warning("no way to deliver a one-time code to %s (no SMTP/SMS configured)", kind)
        raise Problem(
            503,
            "delivery-unavailable",
            "Could not send the code",
            f"This server cannot send codes by {kind} yet.",
        )
    return schemas.CodeSent(sent=True, expires_in=settings.code_ttl_seconds)


def _issue_device(
    ctx: ServerContext,
    s: Session,
    member: Member,
    device_name: str,
    now: datetime,
    new_member: bool,
) -> schemas.Session:
    device = Device(
        id=str(uuid.uuid4()),
        member_id=member.id,
        name=device_name.strip(),
        created_at=now,
        last_seen_at=now,
    )
    s.add(device)
    s.flush()  # no ORM relationships: flush parents before children
    card = CardCredential(
        id=new_card_id(),
        device_id=device.id,
        member_id=member.id,
        secret=new_secret(),
        created_at=now,
    )
    s.add(card)
    s.flush()
    access, refresh = new_token("lat"), new_token("lrt")
    expires_in = _store_pair(ctx, s, device, now, access, refresh)
    return schemas.Session(
        access_token=access,
        refresh_token=refresh,
        expires_in=expires_in,
        member_id=member.id,
        new_member=new_member,
        card=schemas.CardCredentialOut(
            card_id=card.id,
            secret=card.secret,
            prefix=ctx.programme.card_prefix,
            period=CARD_PERIOD,
            digits=CARD_DIGITS,
            algorithm=CARD_ALGORITHM,
        ),
    )


def session_ends_at(ctx: ServerContext, device: Device) -> datetime:
    """When the device's session ends for good: a fixed age after sign-in, never extended."""
    return device.created_at + timedelta(seconds=ctx.settings.session_max_age_seconds)


def _store_pair(
    ctx: ServerContext, s: Session, device: Device, now: datetime, access: str, refresh: str
) -> int:
    """Store a new token pair, neither outliving the session; the access token's seconds."""
    ends = session_ends_at(ctx, device)
    access_expires = min(now + timedelta(seconds=ctx.settings.access_ttl_seconds), ends)
    s.add(
        AuthToken(
            token_hash=token_hash(access),
            kind="access",
            device_id=device.id,
            expires_at=access_expires,
        )
    )
    s.add(
        AuthToken(
            token_hash=token_hash(refresh),
            kind="refresh",
            device_id=device.id,
            expires_at=min(now + timedelta(seconds=ctx.settings.refresh_ttl_seconds), ends),
        )
    )
    return max(0, int((access_expires - now).total_seconds()))


_BAD_CODE = Problem(
    401,
    "invalid-code",
    "Wrong or expired code",
    "That code is wrong or has expired. Ask for a new one.",
)


def verify(ctx: ServerContext, body: schemas.VerifyRequest, address: str) -> schemas.Session:
    """Checks a code: the requester's network and the overall ceiling count every check
    (before it is made, so a burst cannot slip past), the code's row its wrong tries."""
    kind, identity = normalise_identity(body.email, body.phone)
    now = ctx.now()
    limits = sign_in_limits.limits_of(ctx.settings)
    network = sign_in_limits.network_of(address)
    if wait := sign_in_limits.take(
        ctx.db, sign_in_limits.key("verify:net", network), limits.verifies_per_address, now
    ):
        raise _too_many_attempts(wait, f"Too many sign-in attempts from here; wait {wait} s.")
    if wait := sign_in_limits.take(
        ctx.db, sign_in_limits.key("verify:all"), limits.verifies_overall, now
    ):
        raise _too_many_attempts(wait, f"Too many sign-in attempts overall; wait {wait} s.")
    with ctx.db.write() as s:
        otc = s.scalar(
            select(OneTimeCode)
            .where(
                OneTimeCode.identity == identity,
                OneTimeCode.used_at.is_(None),
                OneTimeCode.expires_at > now,
            )
            .order_by(OneTimeCode.id.desc())
            .limit(1)
            # Concurrent guesses queue on the code's row: each sees the count the one before
            # it wrote, so the try limit holds on PostgreSQL too (SQLite writes one at a time).
            .with_for_update()
        )
        if otc is None or otc.attempts >= ctx.settings.code_max_attempts:
            raise _BAD_CODE
        wrong = not hmac.compare_digest(otc.code_hash, _code_hash(identity, body.code.strip()))
        if wrong:
            otc.attempts += 1  # committed below: the count survives the refusal
    if wrong:
        raise _BAD_CODE
    with ctx.db.write() as s:
        otc = s.scalar(
            select(OneTimeCode)
            .where(OneTimeCode.id == otc.id, OneTimeCode.used_at.is_(None))
            .with_for_update()  # one code, one session: a twin waits, then finds it used
        )
        if otc is None:
            raise _BAD_CODE
        otc.used_at = now
        member = find_by_identity(s, kind, identity)
        new_member = member is None
        if member is None:
            member = create_member(
                s, ctx.programme, now, kind=kind, value=identity, name=body.name or ""
            )
        elif body.name and not member.name:
            member.name = body.name.strip()
        if body.referral_code and new_member:
            apply_referral_code(s, member, body.referral_code, now)
        return _issue_device(ctx, s, member, body.device_name, now, new_member)


PRIMARY_DEMO_EMAIL = "mei.lin@harbor.demo"


def demo_sign_in(ctx: ServerContext, device_name: str) -> schemas.Session:
    """Demo mode only: sign in as the first demo member without a code."""
    if not ctx.settings.demo:
        raise Problem(404, "not-found", "Not found", "Demo sign-in exists only in demo mode.")
    now = ctx.now()
    with ctx.db.write() as s:
        member = s.scalar(
            select(Member).where(Member.is_demo.is_(True), Member.email == PRIMARY_DEMO_EMAIL)
        )
        if member is None:
            raise Problem(
                409, "no-demo-member", "No demo member", "Run `loyalty-server seed-demo` first."
            )
        return _issue_device(ctx, s, member, device_name or "demo", now, False)


_SESSION_ENDED = Problem(
    401,
    "invalid-refresh-token",
    "Sign in again",
    "This session has ended; sign in again.",
)

_SESSION_TOO_OLD = Problem(
    401,
    "session-expired",
    "Sign in again",
    "This session reached its maximum age; sign in again.",
)


def refresh(ctx: ServerContext, refresh_token: str) -> schemas.Tokens:
    """Rotate a refresh token: each works once, with two exceptions for the same token.

    - Repeated within ``refresh_grace_seconds`` of its rotation (the reply was lost, or two
      requests raced), while its successor is still unused: the same successor pair again,
      derived from the token and the stored seed, never a second live pair.
    - Repeated later while nobody has used the successor pair at all (neither its access
      token presented nor its refresh token rotated): the reply never reached the device
      (killed, or offline for longer than the window), so the same pair again, its access
      token good for a full term if it ran out meanwhile.
    - Repeated later once the pair was used, or after its successor was rotated in turn:
      someone holds a copy of a token the device has moved past (a stolen token, or the
      thief's original), so the device's session ends: every token of it and its card
      credential stop working.

    Past the session's fixed maximum age (``session_max_age_seconds`` after sign-in) every
    refresh is refused with ``session-expired`` and the device's session ends.

    Concurrent refreshes with one token queue on the token's row (SELECT ... FOR UPDATE, as
    sign-in codes do): the first rotates, the others see the rotation and get the same pair.
    """
    now = ctx.now()
    reused = too_old = False
    with ctx.db.write() as s:
        row = s.scalar(
            select(AuthToken)
            .where(AuthToken.token_hash == token_hash(refresh_token), AuthToken.kind == "refresh")
            .with_for_update()
        )
        device = s.get(Device, row.device_id) if row else None
        if row is None or device is None:
            raise _SESSION_ENDED
        # Reached its age, now or when it was ended for that: say so (not signed out early).
        if session_ends_at(ctx, device) <= (device.revoked_at or now):
            if device.revoked_at is None:
                end_device(s, device.id, now)  # committed: the 401 is raised below
            too_old = True
        elif row.expires_at <= now or device.revoked_at is not None:
            raise _SESSION_ENDED
        elif row.revoked_at is None:
            row.revoked_at = now
            row.grace_seed = new_seed()
            access, new_refresh = successor_pair(refresh_token, row.grace_seed)
            expires_in = _store_pair(ctx, s, device, now, access, new_refresh)
            device.last_seen_at = now  # what the member's device list shows
        elif row.grace_seed is None:
            raise _SESSION_ENDED  # revoked, not rotated: the device was signed out
        else:
            access, new_refresh = successor_pair(refresh_token, row.grace_seed)
            access_row = s.get(AuthToken, token_hash(access))
            successor = s.get(AuthToken, token_hash(new_refresh))
            in_grace = now - row.revoked_at <= timedelta(seconds=ctx.settings.refresh_grace_seconds)
            if (
                access_row is not None
                and (in_grace or access_row.used_at is None)
                and successor is not None
                and successor.revoked_at is None
            ):
                if access_row.used_at is None and access_row.expires_at <= now:
                    # Never delivered: its term starts now (still within the session).
                    access_row.expires_at = min(
                        now + timedelta(seconds=ctx.settings.access_ttl_seconds),
                        session_ends_at(ctx, device),
                    )
                expires_in = max(0, int((access_row.expires_at - now).total_seconds()))
            else:
                end_device(s, row.device_id, now)  # committed: the 401 is raised below
                reused = True
    if too_old:
        raise _SESSION_TOO_OLD
    if reused:
        log.warning("a rotated refresh token was used again: device %s signed out", row.device_id)
        raise _SESSION_ENDED
    return schemas.Tokens(access_token=access, refresh_token=new_refresh, expires_in=expires_in)


def sign_out(ctx: ServerContext, device_id: str) -> None:
    """Revoke the device: its tokens and its card credential stop working at once."""
    with ctx.db.write() as s:
        end_device(s, device_id, ctx.now())


def end_device(s: Session, device_id: str, now: datetime) -> None:
    """End a device's session in the caller's transaction: every token and its card."""
    s.execute(
        update(Device)
        .where(Device.id == device_id, Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    s.execute(
        update(AuthToken)
        .where(AuthToken.device_id == device_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    s.execute(
        update(CardCredential)
        .where(CardCredential.device_id == device_id, CardCredential.revoked_at.is_(None))
        .values(revoked_at=now)
    )


@dataclass(frozen=True)
class MemberPrincipal:
    member_id: str
    device_id: str


def resolve_access_token(ctx: ServerContext, token: str) -> MemberPrincipal | None:
    """The member and device of a live access token. Its first use is written down (once
    per token, about every 15 minutes a device; every other request only reads): from then
    on the refresh pair it came with counts as received (see `refresh`)."""
    now = ctx.now()
    digest = token_hash(token)
    with ctx.db.read() as s:
        row = s.execute(
            select(AuthToken.device_id, AuthToken.used_at, Device.member_id)
            .join(Device, Device.id == AuthToken.device_id)
            .where(
                AuthToken.token_hash == digest,
                AuthToken.kind == "access",
                AuthToken.revoked_at.is_(None),
                AuthToken.expires_at > now,
                Device.revoked_at.is_(None),
                Device.created_at > now - timedelta(seconds=ctx.settings.session_max_age_seconds),
            )
        ).first()
    if row is None:
        return None
    if row.used_at is None:
        with ctx.db.write() as s:
            s.execute(
                update(AuthToken)
                .where(AuthToken.token_hash == digest, AuthToken.used_at.is_(None))
                .values(used_at=now)
            )
    return MemberPrincipal(member_id=row.member_id, device_id=row.device_id)
