"""The errors the application layer raises: each carries a registered problem slug, which the
screens translate (`err.<slug>`); `detail` is the server's own words, for logs only."""

from __future__ import annotations

from ..api.errors import ApiError, Rejected, ServerError, Unreachable


class SessionError(Exception):
    """Base of what a session refuses or cannot do; `slug` is in loyalty_core.problems."""

    slug = "server-error"

    def __init__(self, detail: str = "", *, slug: str | None = None) -> None:
        super().__init__(detail or slug or self.slug)
        if slug is not None:
            self.slug = slug
        self.detail = detail


class Refused(SessionError):
    """The server said no (a 4xx problem): retrying the same thing will not help."""


class Offline(SessionError):
    """The server could not be reached; nothing was lost, try again later."""

    slug = "unreachable"


class ServerFailed(SessionError):
    """The server failed or answered outside the contract; possibly transient."""

    slug = "server-error"


class NotSignedIn(SessionError):
    """There is no member on this device (or no card secret): sign in first."""

    slug = "unauthorized"


def translate(exc: ApiError) -> SessionError:
    """The session error for an API client error."""
    if isinstance(exc, Rejected):
        return Refused(exc.detail or exc.title, slug=exc.slug)
    if isinstance(exc, Unreachable):
        return Offline(str(exc))
    if isinstance(exc, ServerError):
        return ServerFailed(str(exc))
    return ServerFailed(str(exc))
