"""What can go wrong talking to the loyalty server, as three kinds the app can act on.

- `Unreachable`: the request may or may not have reached the server (no connection, a timeout,
  a reply cut off).  Keep the data you have and try again later; queued intents stay queued.
- `Rejected`: the server answered with a 4xx problem (RFC 9457).  Retrying the same request will
  not help; tell the member why by its `slug` (the screens' `err.<slug>`; `detail` is the
  server's English, for logs).  A 401 that survived a token refresh means "sign in
  again" (`slug` is "unauthorized" or "invalid-refresh-token", or "session-expired" when
  the session reached its maximum age).
- `ServerError`: the server failed (5xx) or answered with something that is not the contract
  (a malformed body).  Possibly transient; try again later.
"""

from __future__ import annotations

from typing import Any

from loyalty_core.problems import TYPE_PREFIX, slug_of

__all__ = ["ApiError", "Rejected", "ServerError", "Unreachable"]

# Slugs used when a 4xx reply carries no problem document (a proxy's HTML page, say);
# all registered in loyalty_core.problems, as the reference server uses them.
_STATUS_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "too-many-requests",
}


def _retry_after(body: dict[str, Any], header: str | None) -> float | None:
    for value in (body.get("retry_after"), header):
        try:
            if value is not None and float(value) >= 0:
                return float(value)
        except (TypeError, ValueError):
            continue
    return None


class ApiError(Exception):
    """Base of every error the API client raises."""


class Unreachable(ApiError):
    """No usable reply: connection refused or reset, DNS failure, a timeout, a reply cut off."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class Rejected(ApiError):
    """The server refused the request (4xx) with a problem document."""

    def __init__(
        self,
        status: int,
        type: str,  # the RFC 9457 member name
        title: str,
        detail: str,
        body: dict[str, Any] | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.body: dict[str, Any] = dict(body or {})
        self.retry_after = retry_after
        super().__init__(f"{title}: {detail} (HTTP {status}, {type})")

    @property
    def slug(self) -> str:
        """The problem type's last path part, e.g. "insufficient-points"."""
        return slug_of(self.type)

    @property
    def signed_out(self) -> bool:
        """True when the session is over: the member must sign in again, or the kiosk's staff
        credential was revoked and it must be set up again. Not the intent's fault."""
        if self.status == 401 and self.slug in (
            "unauthorized",
            "invalid-refresh-token",
            "session-expired",
        ):
            return True
        return self.slug in ("staff-credential-invalid", "staff-credential-required")

    @classmethod
    def from_reply(
        cls, status: int, body: Any, reason: str = "", retry_after: str | None = None
    ) -> Rejected:
        """Builds the error from a 4xx reply's parsed body (anything, not only a problem)."""
        problem = body if isinstance(body, dict) else {}
        ptype = problem.get("type")
        if not isinstance(ptype, str) or not ptype:
            ptype = TYPE_PREFIX + _STATUS_SLUGS.get(status, "http-error")
        title = problem.get("title")
        if not isinstance(title, str) or not title:
            title = reason or f"HTTP {status}"
        detail = problem.get("detail")
        if not isinstance(detail, str) or not detail:
            detail = title
        return cls(
            status,
            ptype,
            title,
            detail,
            problem,
            retry_after=_retry_after(problem, retry_after),
        )


class ServerError(ApiError):
    """The server failed (5xx), or its reply broke the contract (e.g. malformed JSON)."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        type: str | None = None,
        detail: str | None = None,
        body: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.detail = detail
        self.body: dict[str, Any] = dict(body or {})
        self.retry_after = retry_after

    @property
    def slug(self) -> str | None:
        return slug_of(self.type) if self.type else None

    @classmethod
    def from_reply(
        cls, status: int, body: Any, reason: str = "", retry_after: str | None = None
    ) -> ServerError:
        problem = body if isinstance(body, dict) else {}
        ptype = problem.get("type") if isinstance(problem.get("type"), str) else None
        detail = problem.get("detail") if isinstance(problem.get("detail"), str) else None
        message = f"The loyalty server failed (HTTP {status}{' ' + reason if reason else ''})"
        if detail:
            message += f": {detail}"
        return cls(
            message,
            status=status,
            type=ptype,
            detail=detail,
            body=problem,
            retry_after=_retry_after(problem, retry_after),
        )
