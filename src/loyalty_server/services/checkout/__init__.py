"""The till and the kiosk: scan a member's rotating card, credit a purchase, void it, use a
voucher, join. Only staff credentials reach these functions. One module per job; the routes
call them through this package."""

from .credits import credit
from .joins import join
from .scans import lookup, scan
from .staff import StaffPrincipal
from .voids import void_credit
from .voucher_uses import redeem_voucher

__all__ = ["StaffPrincipal", "credit", "join", "lookup", "redeem_voucher", "scan", "void_credit"]
