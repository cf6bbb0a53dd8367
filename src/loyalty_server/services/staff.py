"""Staff (kiosk) credentials: add one (its secret shown once, stored only hashed), list them,
revoke one. A revoked credential is refused from the next request on, in every process."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..context import ServerContext
from ..models import Staff
from .tokens import new_token, token_hash


@dataclass(frozen=True)
class StaffCredential:
    id: str
    name: str
    store: str
    created_at: datetime
    revoked_at: datetime | None


def _view(staff: Staff) -> StaffCredential:
    return StaffCredential(staff.id, staff.name, staff.store, staff.created_at, staff.revoked_at)


def add_staff(ctx: ServerContext, name: str, store: str) -> str:
    """Create a staff/kiosk credential; the token is returned once and stored only hashed."""
    token = new_token("stf")
    with ctx.db.write() as s:
        s.add(
            Staff(
                id=str(uuid.uuid4()),
                name=name.strip(),
                store=store.strip(),
                token_hash=token_hash(token),
                created_at=ctx.now(),
            )
        )
    return token


def list_staff(ctx: ServerContext) -> list[StaffCredential]:
    """Every credential, oldest first, revoked ones included."""
    with ctx.db.read() as s:
        rows = s.scalars(select(Staff).order_by(Staff.created_at, Staff.name))
        return [_view(staff) for staff in rows]


def revoke_staff(ctx: ServerContext, staff_id: str) -> StaffCredential | None:
    """Revoke a credential (again is harmless); None when there is no such credential."""
    with ctx.db.write() as s:
        staff = s.get(Staff, staff_id, with_for_update=True)
        if staff is None:
            return None
        if staff.revoked_at is None:
            staff.revoked_at = ctx.now()
        return _view(staff)
