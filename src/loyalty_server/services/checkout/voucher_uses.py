"""Using a member's voucher at the till."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import schemas
from ...context import ServerContext
from ...models import Member, Voucher
from ...problems import Problem
from .. import idempotency, points, vouchers
from ..members import display_name
from .staff import StaffPrincipal


def redeem_voucher(
    ctx: ServerContext, staff: StaffPrincipal, text: str, key: str
) -> tuple[int, dict]:
    """Use a member's voucher at the till: 200, once per key; 409 when used or expired."""
    code = vouchers.parse_voucher_code(text, ctx.programme)
    return idempotency.run_once(
        ctx,
        scope=f"staff:{staff.staff_id}",
        key=key,
        path="voucher",
        body={"code": code},
        status=200,
        lock=lambda s: _lock_holder(s, code),
        work=lambda s, held, now: _use_voucher(ctx, s, staff, *held, now),
    )


def _lock_holder(s: Session, code: str) -> tuple[Voucher, Member]:
    voucher = s.scalar(select(Voucher).where(Voucher.code == code))
    if voucher is None:
        raise Problem(404, "unknown-voucher", "Unknown voucher", "No voucher has that code.")
    return voucher, points.lock_member(s, voucher.member_id)


def _use_voucher(
    ctx: ServerContext,
    s: Session,
    staff: StaffPrincipal,
    voucher: Voucher,
    member: Member,
    now: datetime,
) -> schemas.VoucherRedeemResult:
    # Read before the member's lock was taken: a twin request may have used it since.
    s.refresh(voucher)
    if voucher.used_at is not None:
        raise Problem(
            409,
            "voucher-used",
            "Voucher already used",
            f"This voucher was used on {voucher.used_at:%Y-%m-%d %H:%M} UTC.",
        )
    if voucher.expires_at <= now:
        raise Problem(
            409,
            "voucher-expired",
            "Voucher expired",
            f"This voucher expired on {voucher.expires_at:%Y-%m-%d}.",
        )
    voucher.used_at, voucher.used_by_staff_id = now, staff.staff_id
    member.version += 1
    return schemas.VoucherRedeemResult(
        voucher=vouchers.voucher_view(voucher, ctx.programme, now),
        member_display_name=display_name(member),
    )
