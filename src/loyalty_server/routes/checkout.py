"""/v1/checkout: staff-only actions at the till and the self-service kiosk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from .. import schemas
from ..deps import CtxDep, IdemKey, StaffAuth, json_result
from ..services import checkout
from .common import PROBLEMS

router = APIRouter(prefix="/v1/checkout", tags=["checkout"], responses=PROBLEMS)


@router.get("/whoami", response_model=schemas.StaffMe)
def whoami(staff: StaffAuth) -> schemas.StaffMe:
    """The staff credential's name and store, shown on the kiosk."""
    return schemas.StaffMe(staff_id=staff.staff_id, name=staff.name, store=staff.store)


@router.post("/scan", response_model=schemas.CheckoutMember)
def scan(body: schemas.ScanRequest, staff: StaffAuth, ctx: CtxDep) -> schemas.CheckoutMember:
    """Verify a scanned card code (each code once) and show who the member is."""
    return checkout.scan(ctx, staff, body)


@router.post("/lookup", response_model=schemas.CheckoutMember)
def lookup(
    body: schemas.MemberNumberLookup, staff: StaffAuth, ctx: CtxDep
) -> schemas.CheckoutMember:
    """Find a member by the typed member number (check digit verified)."""
    return checkout.lookup(ctx, body.member_number)


@router.post("/credit", status_code=201, response_model=schemas.CreditResult)
def credit(body: schemas.CreditRequest, staff: StaffAuth, ctx: CtxDep, key: IdemKey) -> Response:
    """Credit a purchase to the member whose card was scanned; one credit per key."""
    status, result = checkout.credit(ctx, staff, body, key)
    return json_result(status, result)


# Ledger ids are INTEGER columns: 32-bit on PostgreSQL, which refuses to compare a bigger number.
MAX_ID = 2**31 - 1


@router.post("/credits/{credit_id}/void", response_model=schemas.VoidResult)
def void(
    credit_id: Annotated[int, Path(ge=1, le=MAX_ID)], staff: StaffAuth, ctx: CtxDep, key: IdemKey
) -> Response:
    """Undo a purchase credit (the member's points go back down)."""
    status, result = checkout.void_credit(ctx, staff, credit_id, key)
    return json_result(status, result)


@router.post("/vouchers/redeem", response_model=schemas.VoucherRedeemResult)
def redeem_voucher(
    body: schemas.VoucherRedeemRequest, staff: StaffAuth, ctx: CtxDep, key: IdemKey
) -> Response:
    """Use a member's voucher once."""
    status, result = checkout.redeem_voucher(ctx, staff, body.code, key)
    return json_result(status, result)


@router.post("/join", status_code=201, response_model=schemas.JoinResult)
def join(
    body: schemas.JoinRequest, staff: StaffAuth, ctx: CtxDep, key: IdemKey, request: Request
) -> Response:
    """Sign up a new member at the kiosk, optionally with a friend's referral code."""
    app_link = (ctx.settings.public_url or str(request.base_url)).rstrip("/") + "/app"
    status, result = checkout.join(ctx, staff, body, app_link, key)
    return json_result(status, result)
