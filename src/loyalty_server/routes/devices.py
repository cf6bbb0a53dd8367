"""/v1/me/devices: the member's signed-in devices, and signing one of them out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from .. import schemas
from ..deps import CtxDep, MemberAuth
from ..services import devices
from .common import PROBLEMS

router = APIRouter(prefix="/v1/me/devices", tags=["member"], responses=PROBLEMS)


@router.get("", response_model=schemas.DeviceList)
def list_devices(who: MemberAuth, ctx: CtxDep) -> schemas.DeviceList:
    """The member's live devices: name, sign-in and last-seen times, which one is calling."""
    return devices.list_devices(ctx, who)


@router.delete("/{device_id}", status_code=204)
def end_device(
    device_id: Annotated[str, Path(min_length=1, max_length=64)], who: MemberAuth, ctx: CtxDep
) -> Response:
    """Sign a device out: its tokens and card credential stop working at once (the caller's
    own device too, like sign-out). 404 for a device that is not this member's."""
    devices.end_member_device(ctx, who, device_id)
    return Response(status_code=204)
