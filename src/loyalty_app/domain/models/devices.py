"""The member's signed-in devices (``GET /v1/me/devices``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from .wire import Wire


@dataclass(frozen=True)
class Device(Wire):
    """One signed-in device: the name given at sign-in, when it signed in and was last seen
    (its last token refresh), when its session ends, and whether it is this one."""

    SCHEMA: ClassVar[str] = "DeviceOut"

    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime
    session_ends_at: datetime
    current: bool


@dataclass(frozen=True)
class DeviceList(Wire):
    """The member's live devices, this one first."""

    SCHEMA: ClassVar[str] = "DeviceList"

    items: tuple[Device, ...]
