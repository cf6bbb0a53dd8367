"""The typed async client for the loyalty server contract (src/loyalty_core/openapi.json).

Every method returns parsed JSON (dicts) or a `Fetched`, and raises only `ApiError`s:
`Unreachable`, `Rejected` (4xx problem) or `ServerError` (5xx or a malformed reply).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from .auth import BearerRefresh, StaticBearer, TokenHolder
from .errors import ApiError, Rejected, ServerError, Unreachable

__all__ = ["Fetched", "LoyaltyApi"]

USER_AGENT = "loyalty-app/0.1"


@dataclass(frozen=True)
class Fetched:
    """One conditional GET: status 200 with `data`, or 304 with `data` None (use your copy)."""

    status: int
    etag: str | None
    data: dict | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


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
    ) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else None
        response = await self._send(
            method, path, who=who, json_body=json_body, params=params, headers=headers
        )
        if not 200 <= response.status_code < 300:
            raise self._fail(response)
        if response.status_code == 204 or not response.content:
            return {}
        return self._parse(response)

    # ---- member: sign-in -------------------------------------------------------------------

    async def request_code(self, email: str | None = None, phone: str | None = None) -> dict:
        """Asks for a one-time code by e-mail or SMS; `{"sent": true, "expires_in": s}`."""
        return await self._call(
            "POST", "/v1/auth/code", json_body=_drop_none({"email": email, "phone": phone})
        )

    async def verify(
        self,
        code: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        device_name: str = "",
        name: str | None = None,
        referral_code: str | None = None,
    ) -> dict:
        """Exchanges the code for a session (tokens, member_id, new_member, card)."""
        body = {
            "code": code,
            "email": email,
            "phone": phone,
            "device_name": device_name,
            "name": name,
            "referral_code": referral_code,
        }
        session = await self._call("POST", "/v1/auth/verify", json_body=_drop_none(body))
        self._adopt(session)
        return session

    async def demo_sign_in(self, device_name: str = "") -> dict:
        """Demo servers only: a session for the demo member without a code."""
        session = await self._call("POST", "/v1/auth/demo", json_body={"device_name": device_name})
        self._adopt(session)
        return session

    def _adopt(self, session: dict) -> None:
        access, refresh = session.get("access_token"), session.get("refresh_token")
        if not (isinstance(access, str) and isinstance(refresh, str)):
            raise ServerError("The sign-in reply lacks the tokens", status=200, body=session)
        if self.tokens is None:
            self.tokens = TokenHolder(access, refresh)
        else:
            self.tokens.set(access, refresh)

    async def sign_out(self) -> None:
        """Revokes this device's tokens and card credential on the server."""
        await self._call("POST", "/v1/auth/sign-out", who="member")

    # ---- member: resources (conditional GET) ----------------------------------------------

    async def get_resource(
        self, path: str, *, etag: str | None = None, params: dict | None = None
    ) -> Fetched:
        """GET with `If-None-Match: etag`; 304 gives `Fetched(304, etag, None)`."""
        headers = {"If-None-Match": etag} if etag else None
        response = await self._send(
            "GET",
            path,
            who="member",
            params=params,
            headers=headers,
        )
        status = response.status_code
        if status == 304 and etag:
            return Fetched(304, etag, None)
        if not 200 <= status < 300:
            raise self._fail(response)
        return Fetched(status, response.headers.get("etag"), self._parse(response))

    async def me(self, etag: str | None = None) -> Fetched:
        return await self.get_resource("/v1/me", etag=etag)

    async def ledger(
        self, cursor: str | None = None, limit: int = 20, etag: str | None = None
    ) -> Fetched:
        return await self.get_resource(
            "/v1/ledger", etag=etag, params={"cursor": cursor, "limit": limit}
        )

    async def tiers(self, etag: str | None = None) -> Fetched:
        return await self.get_resource("/v1/tiers", etag=etag)

    async def tier_progress(self, etag: str | None = None) -> Fetched:
        return await self.get_resource("/v1/me/tier", etag=etag)

    async def rewards(
        self, etag: str | None = None, updated_since: datetime | None = None
    ) -> Fetched:
        params = (
            {"updated_since": _iso(updated_since, "updated_since")}
            if updated_since is not None
            else None
        )
        return await self.get_resource("/v1/rewards", etag=etag, params=params)

    async def vouchers(self, etag: str | None = None) -> Fetched:
        return await self.get_resource("/v1/vouchers", etag=etag)

    async def referral(self, etag: str | None = None) -> Fetched:
        return await self.get_resource("/v1/referral", etag=etag)

    async def programme(self, etag: str | None = None) -> Fetched:
        return await self.get_resource("/v1/programme", etag=etag)

    # ---- member: actions -------------------------------------------------------------------

    async def redeem(self, reward_id: str, idempotency_key: str) -> dict:
        """Spends points on a reward; the same key spends once (a replay returns the voucher)."""
        return await self._call(
            "POST",
            f"/v1/rewards/{_segment(reward_id)}/redeem",
            who="member",
            idempotency_key=idempotency_key,
        )

    async def claim_referral(self, code: str) -> dict:
        return await self._call(
            "POST", "/v1/referral/claim", who="member", json_body={"code": code}
        )

    # ---- staff (kiosk) ---------------------------------------------------------------------

    async def whoami(self) -> dict:
        return await self._call("GET", "/v1/checkout/whoami", who="staff")

    async def scan(self, token: str, scanned_at: datetime | None = None) -> dict:
        body = {"token": token}
        if scanned_at is not None:
            body["scanned_at"] = _iso(scanned_at, "scanned_at")
        return await self._call("POST", "/v1/checkout/scan", who="staff", json_body=body)

    async def lookup(self, member_number: str) -> dict:
        return await self._call(
            "POST", "/v1/checkout/lookup", who="staff", json_body={"member_number": member_number}
        )

    async def credit(
        self,
        *,
        amount: str,
        idempotency_key: str,
        token: str | None = None,
        member_number: str | None = None,
        scanned_at: datetime | None = None,
    ) -> dict:
        body = {
            "amount": amount,
            "token": token,
            "member_number": member_number,
            "scanned_at": _iso(scanned_at, "scanned_at") if scanned_at is not None else None,
        }
        return await self._call(
            "POST",
            "/v1/checkout/credit",
            who="staff",
            json_body=_drop_none(body),
            idempotency_key=idempotency_key,
        )

    async def void_credit(self, credit_id: int | str, idempotency_key: str) -> dict:
        return await self._call(
            "POST",
            f"/v1/checkout/credits/{_segment(credit_id)}/void",
            who="staff",
            idempotency_key=idempotency_key,
        )

    async def redeem_voucher(self, code: str, idempotency_key: str) -> dict:
        return await self._call(
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
    ) -> dict:
        body = {"email": email, "phone": phone, "name": name, "referral_code": referral_code}
        return await self._call(
            "POST",
            "/v1/checkout/join",
            who="staff",
            json_body=_drop_none(body),
            idempotency_key=idempotency_key,
        )

    # ---- system ----------------------------------------------------------------------------

    async def health(self) -> dict:
        return await self._call("GET", "/healthz")
