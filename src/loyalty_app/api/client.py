"""The typed async client for the loyalty server contract (src/loyalty_core/openapi.json).

Every method returns a typed object from `loyalty_app.domain.models` (or a `Fetched` of one)
and raises only `ApiError`s: `Unreachable`, `Rejected` (4xx problem) or `ServerError` (5xx, a
malformed reply, or one that breaks the contract's shape).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from ..domain.models import (
    Catalogue,
    CheckoutMember,
    CodeSent,
    CreditResult,
    Health,
    JoinResult,
    LedgerPage,
    Member,
    PayloadError,
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
from .auth import BearerRefresh, StaticBearer, TokenHolder
from .errors import ApiError, Rejected, ServerError, Unreachable

__all__ = ["Answer", "Fetched", "LoyaltyApi"]

USER_AGENT = "loyalty-app/0.1"


T = TypeVar("T")


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """One conditional GET: status 200 with `data`, or 304 with `data` None (use your copy).
    `body` is the JSON exactly as received, for the offline store to keep."""

    status: int
    etag: str | None
    data: T | None
    body: Mapping[str, Any] | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Answer(Generic[T]):
    """The answer to an intent the outbox sends: typed `data`, and the JSON `body` as received
    (the outbox keeps it as the intent's result)."""

    data: T
    body: Mapping[str, Any]


def _iso(moment: datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} needs a time zone (e.g. datetime.now(UTC)), got {moment!r}")
    return moment.isoformat()


def _segment(value: str) -> str:
    """A value placed in a URL path, escaped so it stays one segment."""
    return quote(str(value), safe="")


def _drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


class LoyaltyApi:
    """One connection pool to one loyalty server, for a member (`tokens`) and/or a kiosk
    (`staff_token`).  Use `async with LoyaltyApi(...) as api:` or call `aclose()`.

    After `verify` or `demo_sign_in`, the returned session's tokens are put in `self.tokens`
    (a new `TokenHolder` if there was none); persisting them is the caller's job.
    """

    def __init__(
        self,
        base_url: str,
        tokens: TokenHolder | None = None,
        *,
        staff_token: str | None = None,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        event_hooks: dict[str, list[Callable[..., Any]]] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.staff_token = staff_token
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            follow_redirects=False,
            event_hooks=event_hooks,
        )
        self._member_auth: BearerRefresh | None = None
        self.tokens = tokens

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def tokens(self) -> TokenHolder | None:
        return self._member_auth.tokens if self._member_auth else None

    @tokens.setter
    def tokens(self, holder: TokenHolder | None) -> None:
        self._member_auth = BearerRefresh(holder, self._client) if holder else None

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> LoyaltyApi:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ---- plumbing --------------------------------------------------------------------------

    def _auth(self, who: str) -> httpx.Auth | None:
        if who == "member":
            return self._member_auth
        if who == "staff":
            return StaticBearer(self.staff_token) if self.staff_token else None
        return None

    async def _send(
        self,
        method: str,
        path: str,
        *,
        who: str = "none",
        json_body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        request = self._client.build_request(
            method,
            path,
            json=json_body,
            params=_drop_none(params) if params else None,
            headers=headers,
        )
        auth = self._auth(who)
        try:
            # auth=None would still use the client default (none); Auth() sends nothing.
            return await self._client.send(request, auth=auth or httpx.Auth())
        except ApiError:
            raise  # from the token refresh
        except httpx.TimeoutException as exc:
            raise Unreachable(
                f"The loyalty server at {self.base_url} did not answer in time "
                f"({type(exc).__name__} on {method} {path})",
                url=str(request.url),
            ) from exc
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise Unreachable(
                f"Could not reach the loyalty server at {self.base_url} "
                f"({method} {path}: {reason})",
                url=str(request.url),
            ) from exc
        except (httpx.DecodingError, httpx.TooManyRedirects) as exc:
            raise ServerError(
                f"The loyalty server's reply to {method} {path} could not be read: {exc}",
                status=0,
            ) from exc

    @staticmethod
    def _json_or_none(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _fail(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        body = self._json_or_none(response)
        retry_after = response.headers.get("retry-after")
        if 400 <= status < 500:
            return Rejected.from_reply(status, body, response.reason_phrase, retry_after)
        return ServerError.from_reply(status, body, response.reason_phrase, retry_after)

    def _parse(self, response: httpx.Response) -> dict:
        """The JSON object of a 2xx reply; ServerError when it is not one."""
        try:
            data = response.json()
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise ServerError(
                f"The loyalty server sent malformed JSON for {response.request.method} "
                f"{response.request.url.path} (HTTP {response.status_code})",
                status=response.status_code,
            ) from exc
        if not isinstance(data, dict):
            raise ServerError(
                f"The loyalty server sent {type(data).__name__} where an object was expected "
                f"for {response.request.method} {response.request.url.path}",
                status=response.status_code,
            )
        return data

    async def _call(
        self,
        method: str,
        path: str,
        *,
        who: str = "none",
        json_body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else None
        response = await self._send(
            method, path, who=who, json_body=json_body, params=params, headers=headers
        )
        if not 200 <= response.status_code < 300:
            raise self._fail(response)
        if response.status_code == 204 or not response.content:
            return {}
        return self._parse(response)

    @staticmethod
    def _typed(model: type[T], body: Mapping[str, Any], what: str) -> T:
        """The reply as the contract's type; a reply of another shape is the server's fault."""
        try:
            return model.from_json(body)  # type: ignore[attr-defined]
        except PayloadError as exc:
            raise ServerError(
                f"The loyalty server's reply to {what} breaks the contract: {exc}",
                status=200,
                body=dict(body),
            ) from exc

    async def _answer(self, model: type[T], method: str, path: str, **kwargs: Any) -> Answer[T]:
        body = await self._call(method, path, **kwargs)
        return Answer(self._typed(model, body, f"{method} {path}"), body)

    # ---- member: sign-in -------------------------------------------------------------------

    async def request_code(self, email: str | None = None, phone: str | None = None) -> CodeSent:
        """Asks for a one-time code by e-mail or SMS."""
        body = _drop_none({"email": email, "phone": phone})
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
        answer = await self._answer(Session, "POST", "/v1/auth/verify", json_body=_drop_none(body))
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

    # ---- member: resources (conditional GET) ----------------------------------------------

    async def _get(
        self, model: type[T], path: str, *, etag: str | None, params: dict | None = None
    ) -> Fetched[T]:
        """GET with `If-None-Match: etag`; 304 gives `Fetched(304, etag, None)`."""
        headers = {"If-None-Match": etag} if etag else None
        response = await self._send("GET", path, who="member", params=params, headers=headers)
        status = response.status_code
        if status == 304 and etag:
            return Fetched(304, etag, None)
        if not 200 <= status < 300:
            raise self._fail(response)
        body = self._parse(response)
        data = self._typed(model, body, f"GET {path}")
        return Fetched(status, response.headers.get("etag"), data, body)

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
            {"updated_since": _iso(updated_since, "updated_since")}
            if updated_since is not None
            else None
        )
        return await self._get(Catalogue, "/v1/rewards", etag=etag, params=params)

    async def vouchers(self, etag: str | None = None) -> Fetched[VoucherList]:
        return await self._get(VoucherList, "/v1/vouchers", etag=etag)

    async def referral(self, etag: str | None = None) -> Fetched[Referral]:
        return await self._get(Referral, "/v1/referral", etag=etag)

    async def programme(self, etag: str | None = None) -> Fetched[Programme]:
        return await self._get(Programme, "/v1/programme", etag=etag)

    # ---- member: actions -------------------------------------------------------------------

    async def redeem(self, reward_id: str, idempotency_key: str) -> Answer[Redemption]:
        """Spends points on a reward; the same key spends once (a replay returns the voucher)."""
        return await self._answer(
            Redemption,
            "POST",
            f"/v1/rewards/{_segment(reward_id)}/redeem",
            who="member",
            idempotency_key=idempotency_key,
        )

    async def claim_referral(self, code: str) -> Answer[Referral]:
        return await self._answer(
            Referral, "POST", "/v1/referral/claim", who="member", json_body={"code": code}
        )

    # ---- staff (kiosk) ---------------------------------------------------------------------

    async def whoami(self) -> StaffMe:
        return (await self._answer(StaffMe, "GET", "/v1/checkout/whoami", who="staff")).data

    async def scan(self, token: str, scanned_at: datetime | None = None) -> CheckoutMember:
        body = {"token": token}
        if scanned_at is not None:
            body["scanned_at"] = _iso(scanned_at, "scanned_at")
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
    ) -> Answer[CreditResult]:
        body = {
            "amount": amount,
            "token": token,
            "member_number": member_number,
            "scanned_at": _iso(scanned_at, "scanned_at") if scanned_at is not None else None,
        }
        return await self._answer(
            CreditResult,
            "POST",
            "/v1/checkout/credit",
            who="staff",
            json_body=_drop_none(body),
            idempotency_key=idempotency_key,
        )

    async def void_credit(self, credit_id: int | str, idempotency_key: str) -> VoidResult:
        answer = await self._answer(
            VoidResult,
            "POST",
            f"/v1/checkout/credits/{_segment(credit_id)}/void",
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
            json_body=_drop_none(body),
            idempotency_key=idempotency_key,
        )
        return answer.data

    # ---- system ----------------------------------------------------------------------------

    async def health(self) -> Health:
        return (await self._answer(Health, "GET", "/healthz")).data
