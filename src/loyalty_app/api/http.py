"""The HTTP side of the API client: one connection pool, bearer auth for a member or a staff
credential, every failure mapped to `Unreachable`, `Rejected` or `ServerError`, and every reply
read as the contract's type (a reply of another shape is the server's fault: `ServerError`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Self, TypeVar
from urllib.parse import quote

import httpx

from ..domain.models import PayloadError
from .auth import BearerRefresh, StaticBearer, TokenHolder
from .errors import ApiError, Rejected, ServerError, Unreachable
from .fetch import default_transport

log = logging.getLogger(__name__)

__all__ = ["Answer", "ApiHttp", "Fetched"]

USER_AGENT = "loyalty-app/0.1"
# An idle connection is dropped by the client after this long, well before a server closes
# its end (uvicorn, the reference server: 5 s; httpx's own default is also 5 s). With equal
# limits a request could go out on a connection just as the server closed it, and fail as if
# the server were down: a busy till showed a scanned member as "Offline".
KEEPALIVE_SECONDS = 2.0

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


def iso(moment: datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} needs a time zone (e.g. datetime.now(UTC)), got {moment!r}")
    return moment.isoformat()


def segment(value: str) -> str:
    """A value placed in a URL path, escaped so it stays one segment."""
    return quote(str(value), safe="")


def drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


class ApiHttp:
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
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_SECONDS),
            transport=transport or default_transport(),
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

    async def __aenter__(self) -> Self:
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
            params=drop_none(params) if params else None,
            headers=headers,
        )
        auth = self._auth(who)
        started = time.perf_counter()
        try:
            # auth=None would still use the client default (none); Auth() sends nothing.
            response = await self._client.send(request, auth=auth or httpx.Auth())
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
        # With LOYALTY_APP_LOG=debug: what the app asked and how long the answer took (a
        # tap that never sent its request and a slow server look alike from a screen).
        log.debug(
            "%s %s -> %d in %.0f ms",
            method,
            path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

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
