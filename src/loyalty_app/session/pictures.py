"""The programme's pictures for the screens: the copy kept on the device at once, then a
conditional GET that refreshes it when the server has a newer one."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from ..api.client import LoyaltyApi
from ..api.errors import ApiError
from ..store.pictures import PictureCache

log = logging.getLogger(__name__)


class Pictures:
    """Pictures by the server-relative URL the programme or catalogue gives for them."""

    def __init__(self, api: Callable[[], Awaitable[LoyaltyApi]], cache: PictureCache) -> None:
        self._api = api
        self._cache = cache

    def kept(self, url: str) -> bytes | None:
        """The copy on this device, without the network."""
        cached = self._cache.get(url)
        return cached.body if cached else None

    async def fetch(self, url: str) -> bytes | None:
        """The server's current picture (kept for offline use), or the kept copy when the
        server cannot be asked or refuses."""
        cached = self._cache.get(url)
        try:
            fetched = await (await self._api()).picture(url, cached.etag if cached else None)
        except ApiError as exc:
            log.info("picture %s not refreshed: %s", url, exc)
            return cached.body if cached else None
        if fetched.data is None:  # 304: the kept copy is current
            return cached.body if cached else None
        self._cache.put(url, fetched.data, fetched.etag)
        return fetched.data
