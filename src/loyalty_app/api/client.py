"""The typed async client for the loyalty server contract (src/loyalty_core/openapi.json).

Every method returns a typed object from `loyalty_app.domain.models` (or a `Fetched` of one)
and raises only `ApiError`s: `Unreachable`, `Rejected` (4xx problem) or `ServerError` (5xx, a
malformed reply, or one that breaks the contract's shape).
"""

from __future__ import annotations

from datetime import datetime

from ..domain.models import (
    BadgeList,
    Catalogue,
    CheckoutMember,
    CodeSent,
    CreditResult,
    DeviceList,
    FeedbackResult,
    Health,
    Inbox,
    JoinResult,
    LedgerPage,
    Member,
    Offer,
    OfferList,
    Programme,
    Redemption,
    Referral,
    Session,
    StaffMe,
    TierLadder,
    TierProgress,
    VoidResult,
    VoucherList,
    VoucherRedeemResult,
)
from .auth import TokenHolder
from .errors import ServerError
from .http import Answer, ApiHttp, Fetched, drop_none, iso, segment

__all__ = ["MEDIA_PREFIX", "Answer", "Fetched", "LoyaltyApi"]

#: Where the server serves the programme's pictures.
MEDIA_PREFIX = "/v1/media/"


class LoyaltyApi(ApiHttp):
    """The loyalty server's contract, a method per operation (see `ApiHttp` for use)."""

    # ---- member: sign-in -------------------------------------------------------------------

    async def request_code(self, email: str | None = None, phone: str | None = None) -> CodeSent:
        """Asks for a one-time code by e-mail or SMS."""
        body = drop_none({"email": email, "phone": phone})
        return (await self._answer(CodeSent, "POST", "/v1/auth/code", json_body=body)).data

    async def verify(
        self,
        code: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        device_name: str = "",
        name: str | None = None,
        referral_code: str | None = None,
    ) -> Session:
        """Exchanges the code for a session (tokens, member id, new member?, card)."""
        body = {
            "code": code,
            "email": email,
            "phone": phone,
            "device_name": device_name,
            "name": name,
            "referral_code": referral_code,
        }
        answer = await self._answer(Session, "POST", "/v1/auth/verify", json_body=drop_none(body))
        self._adopt(answer.data)
        return answer.data

    async def demo_sign_in(self, device_name: str = "") -> Session:
        """Demo servers only: a session for the demo member without a code."""
        body = {"device_name": device_name}
        answer = await self._answer(Session, "POST", "/v1/auth/demo", json_body=body)
        self._adopt(answer.data)
        return answer.data

    def _adopt(self, session: Session) -> None:
        if self.tokens is None:
            self.tokens = TokenHolder(session.access_token, session.refresh_token)
        else:
            self.tokens.set(session.access_token, session.refresh_token)

    async def sign_out(self) -> None:
        """Revokes this device's tokens and card credential on the server."""
        await self._call("POST", "/v1/auth/sign-out", who="member")

    # ---- member: devices -------------------------------------------------------------------

    async def devices(self) -> DeviceList:
        """The member's live devices (this one marked `current`); online only, never stored."""
        return (await self._answer(DeviceList, "GET", "/v1/me/devices", who="member")).data

    async def end_device(self, device_id: str) -> None:
        """Signs a device out: its tokens and card stop at once (this device's too)."""
        await self._call("DELETE", f"/v1/me/devices/{segment(device_id)}", who="member")

    # ---- member: resources (conditional GET) ----------------------------------------------

    async def me(self, etag: str | None = None) -> Fetched[Member]:
        return await self._get(Member, "/v1/me", etag=etag)

    async def ledger(
        self, cursor: str | None = None, limit: int = 20, etag: str | None = None
    ) -> Fetched[LedgerPage]:
        params = {"cursor": cursor, "limit": limit}
        return await self._get(LedgerPage, "/v1/ledger", etag=etag, params=params)

    async def tiers(self, etag: str | None = None) -> Fetched[TierLadder]:
        return await self._get(TierLadder, "/v1/tiers", etag=etag)

    async def tier_progress(self, etag: str | None = None) -> Fetched[TierProgress]:
        return await self._get(TierProgress, "/v1/me/tier", etag=etag)

    async def rewards(
        self, etag: str | None = None, updated_since: datetime | None = None
    ) -> Fetched[Catalogue]:
        params = (
            {"updated_since": iso(updated_since, "updated_since")}
            if updated_since is not None
            else None
        )
        return await self._get(Catalogue, "/v1/rewards", etag=etag, params=params)

    async def vouchers(self, etag: str | None = None) -> Fetched[VoucherList]:
        return await self._get(VoucherList, "/v1/vouchers", etag=etag)

    async def referral(self, etag: str | None = None) -> Fetched[Referral]:
        return await self._get(Referral, "/v1/referral", etag=etag)

    async def inbox(self, etag: str | None = None) -> Fetched[Inbox]:
        return await self._get(Inbox, "/v1/me/inbox", etag=etag)

    async def badges(self, etag: str | None = None) -> Fetched[BadgeList]:
        return await self._get(BadgeList, "/v1/me/badges", etag=etag)

    async def offers(self, etag: str | None = None) -> Fetched[OfferList]:
        return await self._get(OfferList, "/v1/me/offers", etag=etag)

    async def programme(self, etag: str | None = None) -> Fetched[Programme]:
        return await self._get(Programme, "/v1/programme", etag=etag)

    async def picture(self, url: str, etag: str | None = None) -> Fetched[bytes]:
        """A picture the programme names (its logo, a reward's image), by the server-relative
        URL the programme or catalogue gives; 304 gives `Fetched(304, etag, None)`."""
        if not url.startswith(MEDIA_PREFIX):
            raise ServerError(
                f"The loyalty server named a picture outside {MEDIA_PREFIX}: {url}", status=0
            )
        headers = {"If-None-Match": etag} if etag else None
        response = await self._send("GET", url, headers=headers)
        if response.status_code == 304 and etag:
            return Fetched(304, etag, None)
        if response.status_code != 200:
            raise self._fail(response)
        return Fetched(200, response.headers.get("etag"), response.content)

    # ---- member: actions -------------------------------------------------------------------

    async def redeem(self, reward_id: str, idempotency_key: str) -> Answer[Redemption]:
        """Spends points on a reward; the same key spends once (a replay returns the voucher)."""
        return await self._answer(
            Redemption,
            "POST",
            f"/v1/rewards/{segment(reward_id)}/redeem",
            who="member",
            idempotency_key=idempotency_key,
        )

    async def activate_offer(self, offer_id: str) -> Answer[Offer]:
        """Adds an offer to the card ("add to card"); adding it again changes nothing."""
        return await self._answer(
            Offer, "PUT", f"/v1/me/offers/{segment(offer_id)}/activation", who="member"
        )

    async def claim_referral(self, code: str) -> Answer[Referral]:
        return await self._answer(
            Referral, "POST", "/v1/referral/claim", who="member", json_body={"code": code}
        )

    async def mark_message(self, message_id: str, mark: str) -> Answer[Inbox]:
        """Marks an inbox message ``read`` or ``dismiss``es it (again changes nothing)."""
        if mark not in ("read", "dismiss"):
            raise ValueError(f"no such mark: {mark}")
        path = f"/v1/me/inbox/{segment(message_id)}/{mark}"
        return await self._answer(Inbox, "POST", path, who="member")

    async def send_feedback(
        self, purchase_id: int, score: int | None, comment: str | None, idempotency_key: str
    ) -> Answer[FeedbackResult]:
        """How likely the member is to recommend the shop (0-10), or None: dismissed."""
        body = {"purchase_id": purchase_id, "score": score, "comment": comment or None}
        return await self._answer(
            FeedbackResult,
            "POST",
            "/v1/me/feedback",
            who="member",
            json_body=drop_none(body),
            idempotency_key=idempotency_key,
        )

    async def update_me(self, **fields: object) -> Answer[Member]:
        """Changes the member's own settings (``PATCH /v1/me``), e.g. ``email_reminders``."""
        body = drop_none(dict(fields))
        return await self._answer(Member, "PATCH", "/v1/me", who="member", json_body=body)

    # ---- staff (kiosk) ---------------------------------------------------------------------

    async def whoami(self) -> StaffMe:
        return (await self._answer(StaffMe, "GET", "/v1/checkout/whoami", who="staff")).data

    async def scan(self, token: str, scanned_at: datetime | None = None) -> CheckoutMember:
        body = {"token": token}
        if scanned_at is not None:
            body["scanned_at"] = iso(scanned_at, "scanned_at")
        path = "/v1/checkout/scan"
        return (await self._answer(CheckoutMember, "POST", path, who="staff", json_body=body)).data

    async def lookup(self, member_number: str) -> CheckoutMember:
        body = {"member_number": member_number}
        path = "/v1/checkout/lookup"
        return (await self._answer(CheckoutMember, "POST", path, who="staff", json_body=body)).data

    async def credit(
        self,
        *,
        amount: str,
        idempotency_key: str,
        token: str | None = None,
        member_number: str | None = None,
        scanned_at: datetime | None = None,
        categories: list[str] | None = None,
    ) -> Answer[CreditResult]:
        body = {
            "amount": amount,
            "token": token,
            "member_number": member_number,
            "scanned_at": iso(scanned_at, "scanned_at") if scanned_at is not None else None,
            # Left out when none were named: a credit's body stays what it was before.
            "categories": list(categories) if categories else None,
        }
        return await self._answer(
            CreditResult,
            "POST",
            "/v1/checkout/credit",
            who="staff",
            json_body=drop_none(body),
            idempotency_key=idempotency_key,
        )

    async def void_credit(self, credit_id: int | str, idempotency_key: str) -> VoidResult:
        answer = await self._answer(
            VoidResult,
            "POST",
            f"/v1/checkout/credits/{segment(credit_id)}/void",
            who="staff",
            idempotency_key=idempotency_key,
        )
        return answer.data

    async def redeem_voucher(self, code: str, idempotency_key: str) -> Answer[VoucherRedeemResult]:
        return await self._answer(
            VoucherRedeemResult,
            "POST",
            "/v1/checkout/vouchers/redeem",
            who="staff",
            json_body={"code": code},
            idempotency_key=idempotency_key,
        )

    async def join(
        self,
        *,
        idempotency_key: str,
        email: str | None = None,
        phone: str | None = None,
        name: str = "",
        referral_code: str | None = None,
    ) -> JoinResult:
        body = {"email": email, "phone": phone, "name": name, "referral_code": referral_code}
        answer = await self._answer(
            JoinResult,
            "POST",
            "/v1/checkout/join",
            who="staff",
            json_body=drop_none(body),
            idempotency_key=idempotency_key,
        )
        return answer.data

    # ---- system ----------------------------------------------------------------------------

    async def health(self) -> Health:
        return (await self._answer(Health, "GET", "/healthz")).data
