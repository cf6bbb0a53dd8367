"""Vouchers: issued by a redeem or a full punch card, shown as a QR, used once at the till."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import schemas
from ..models import Member, Voucher
from ..problems import Problem
from ..programme import Programme, Reward

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_voucher_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def qr_payload(programme: Programme, code: str) -> str:
    return f"{programme.card_prefix}-V:{code}"


def issue(
    s: Session,
    member: Member,
    reward: Reward,
    now: datetime,
    *,
    source: str,
    ledger_entry_id: int | None,
) -> Voucher:
    expires_at = now + timedelta(days=reward.voucher_valid_days)
    voucher = Voucher(
        id=str(uuid.uuid4()),
        code=new_voucher_code(),
        member_id=member.id,
        reward_id=reward.id,
        source=source,
        ledger_entry_id=ledger_entry_id,
        created_at=now,
        expires_at=expires_at,
    )
    s.add(voucher)
    s.flush()
    return voucher


def status(voucher: Voucher, now: datetime) -> str:
    if voucher.used_at is not None:
        return "used"
    return "expired" if voucher.expires_at <= now else "usable"


def voucher_view(voucher: Voucher, programme: Programme, now: datetime) -> schemas.VoucherOut:
    reward = programme.reward(voucher.reward_id)
    name = dict(reward.name) if reward else {"en": voucher.reward_id}
    return schemas.VoucherOut(
        id=voucher.id,
        code=voucher.code,
        qr_payload=qr_payload(programme, voucher.code),
        reward_id=voucher.reward_id,
        reward_name=name,
        source=voucher.source,
        created_at=voucher.created_at,
        expires_at=voucher.expires_at,
        used_at=voucher.used_at,
        status=status(voucher, now),
    )


def member_vouchers(
    s: Session, member_id: str, programme: Programme, now: datetime, usable_only: bool = False
) -> list[schemas.VoucherOut]:
    query = select(Voucher).where(Voucher.member_id == member_id)
    if usable_only:
        query = query.where(Voucher.used_at.is_(None), Voucher.expires_at > now)
    rows = s.scalars(query.order_by(Voucher.created_at.desc(), Voucher.id)).all()
    return [voucher_view(v, programme, now) for v in rows]


def parse_voucher_code(text: str, programme: Programme) -> str:
    """Accept the QR payload or the bare code as typed; normalise to the stored code."""
    text = text.strip().upper()
    prefix = f"{programme.card_prefix}-V:"
    if text.startswith(prefix):
        text = text[len(prefix) :]
    code = text.replace("-", "").replace(" ", "")
    if not (6 <= len(code) <= 16) or any(c not in CODE_ALPHABET for c in code):
        raise Problem(
            422,
            "invalid-voucher-code",
            "Not a voucher code",
            "That is not one of our voucher codes.",
        )
    return code
