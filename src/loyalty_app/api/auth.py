"""Member bearer tokens with one transparent refresh on a 401.

The access token is short-lived; the refresh token rotates (each works once).  The server
answers a repeat of a just-rotated token with the same new pair for a short grace window, and
later too while nobody has used that pair, so a refresh whose reply was lost can simply be
retried; a repeat once the pair is in use ends the device's session (reuse detection).  So
a refresh must never run twice for the same token: concurrent requests that all meet a 401
share one refresh under the holder's lock, and the late ones just retry with the new token.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass, field

import httpx

from .errors import Rejected, ServerError

__all__ = ["REFRESH_PATH", "BearerRefresh", "StaticBearer", "TokenHolder"]

log = logging.getLogger(__name__)

REFRESH_PATH = "/v1/auth/refresh"
# The refresh's refusal once a session reached its maximum age (loyalty_core.problems).
SESSION_EXPIRED = "session-expired"

OnChange = Callable[[str, str], Awaitable[None] | None]


@dataclass(eq=False)
class TokenHolder:
    """The member's current token pair (kept in memory; persisting it is the caller's job).

    `on_change(access_token, refresh_token)` is called (and awaited when it returns an
    awaitable) after every successful refresh, so the caller can store the new pair: the old
    refresh token no longer works once the server answered.  It is not called by `set`.
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    on_change: OnChange | None = field(default=None, repr=False)
    # One lock per token pair, so even two clients sharing this holder refresh only once.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def set(self, access_token: str, refresh_token: str) -> None:
        """Replaces the pair without notifying (e.g. right after sign-in)."""
        self.access_token = access_token
        self.refresh_token = refresh_token

    async def replace(self, access_token: str, refresh_token: str) -> None:
        """Replaces the pair and notifies `on_change`; a failing callback is logged, not raised
        (the request that triggered the refresh should still succeed)."""
        self.set(access_token, refresh_token)
        if self.on_change is None:
            return
        try:
            outcome = self.on_change(access_token, refresh_token)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            log.exception("storing the refreshed tokens failed; they are only kept in memory")


def _authorize(request: httpx.Request, token: str) -> None:
    request.headers["Authorization"] = f"Bearer {token}"


class StaticBearer(httpx.Auth):
    """A fixed bearer credential (the staff token), no refresh."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        _authorize(request, self._token)
        yield request


class BearerRefresh(httpx.Auth):
    """Sends `Authorization: Bearer <access>`; on a 401, refreshes once and retries once.

    The refresh is a separate `POST {base}/v1/auth/refresh` sent with `client` (so it shares the
    client's transport, connection pool, timeouts and event hooks) while holding the holder's
    lock; if another request refreshed meanwhile (the access token differs from the one this
    request sent), it is not repeated.  When the refresh token is refused (a 4xx), the original
    401 is what the caller gets, except when the session reached its maximum age: then the
    refresh's own `session-expired` problem, so the member is told why.  When the refresh
    cannot be answered (transport error, 429, 5xx, malformed reply) that error is raised
    instead: the session may still be fine, so the caller must not sign the member out for it.
    """

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self, tokens: TokenHolder, client: httpx.AsyncClient, refresh_path: str = REFRESH_PATH
    ) -> None:
        self.tokens = tokens
        self._client = client
        self._refresh_path = refresh_path

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("BearerRefresh works with httpx.AsyncClient only")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()  # the retry re-sends the body, so it must be in memory
        sent = self.tokens.access_token
        _authorize(request, sent)
        response = yield request
        if response.status_code != 401:
            return
        # Read (and so release the connection of) the 401 before possibly waiting on the lock.
        await response.aread()
        async with self.tokens.lock:
            if self.tokens.access_token == sent and not await self._refresh():
                return  # the refresh token was refused: the original 401 flows out
        _authorize(request, self.tokens.access_token)
        yield request

    async def _refresh(self) -> bool:
        """True when a new pair was stored; False when the refresh token was refused."""
        refresh_token = self.tokens.refresh_token
        if not refresh_token:
            return False
        request = self._client.build_request(
            "POST", self._refresh_path, json={"refresh_token": refresh_token}
        )
        # auth=None: no bearer (and no recursion into this flow) for the refresh itself.
        response = await self._client.send(request, auth=None)
        status = response.status_code
        if 200 <= status < 300:
            try:
                body = response.json()
                access, refresh = body["access_token"], body["refresh_token"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ServerError(
                    f"The loyalty server answered the token refresh with a malformed body "
                    f"(HTTP {status})",
                    status=status,
                ) from exc
            if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
                raise ServerError(
                    f"The loyalty server's token refresh reply lacks the tokens (HTTP {status})",
                    status=status,
                )
            await self.tokens.replace(access, refresh)
            return True
        try:
            body = response.json()
        except ValueError:
            body = None
        retry_after = response.headers.get("retry-after")
        if 400 <= status < 500 and status not in (408, 429):
            refused = Rejected.from_reply(status, body, response.reason_phrase, retry_after)
            if refused.slug == SESSION_EXPIRED:
                raise refused
            return False
        if status in (408, 429):
            raise Rejected.from_reply(status, body, response.reason_phrase, retry_after)
        raise ServerError.from_reply(status, body, response.reason_phrase, retry_after)
