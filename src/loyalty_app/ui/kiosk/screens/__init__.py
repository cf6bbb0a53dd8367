"""The kiosk's screens, one file each."""

from .attract import AttractScreen
from .credited import CreditedScreen
from .join import JoinScreen
from .member import MemberScreen
from .setup import SetupScreen
from .voucher import VoucherScreen

__all__ = [
    "AttractScreen",
    "CreditedScreen",
    "JoinScreen",
    "MemberScreen",
    "SetupScreen",
    "VoucherScreen",
]
