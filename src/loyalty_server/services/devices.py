"""The member's signed-in devices: list them, end one (its tokens and card at once)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from .. import schemas
from ..context import ServerContext
from ..models import Device
from ..problems import Problem
from .auth import MemberPrincipal, end_device, session_ends_at


def list_devices(ctx: ServerContext, who: MemberPrincipal) -> schemas.DeviceList:
    """The member's live devices (not signed out, not past their maximum age)."""
    now = ctx.now()
    oldest = now - timedelta(seconds=ctx.settings.session_max_age_seconds)
    with ctx.db.read() as s:
        devices = s.scalars(
            select(Device).where(
                Device.member_id == who.member_id,
                Device.revoked_at.is_(None),
                Device.created_at > oldest,
            )
        ).all()
        items = [
            schemas.DeviceOut(
                id=d.id,
                name=d.name,
                created_at=d.created_at,
                last_seen_at=d.last_seen_at or d.created_at,
                session_ends_at=session_ends_at(ctx, d),
                current=d.id == who.device_id,
            )
            for d in devices
        ]
    items.sort(key=lambda d: (d.current, d.last_seen_at, d.id), reverse=True)
    return schemas.DeviceList(items=items)


_NO_SUCH_DEVICE = Problem(
    404,
    "device-not-found",
    "No such device",
    "You have no signed-in device with that id.",
)


def end_member_device(ctx: ServerContext, who: MemberPrincipal, device_id: str) -> None:
    """Sign one of the member's devices out (the caller's own too: that is a sign-out); one
    already ended stays ended (204 again). Another member's device and an unknown id are
    both 404, so ids cannot be probed."""
    with ctx.db.write() as s:
        device = s.scalar(
            select(Device)
            .where(Device.id == device_id, Device.member_id == who.member_id)
            .with_for_update()
        )
        if device is None:
            raise _NO_SUCH_DEVICE
        end_device(s, device.id, ctx.now())
