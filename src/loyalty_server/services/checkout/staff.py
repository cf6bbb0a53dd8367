"""Who is at the till: the staff credential every checkout action runs as."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StaffPrincipal:
    """A verified staff credential: who credits, voids and uses vouchers, at which store."""

    staff_id: str
    name: str
    store: str
