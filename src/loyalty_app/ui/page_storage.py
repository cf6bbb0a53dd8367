"""Flet's secure storage (Keychain, Android Keystore, the browser's encrypted storage) as seen
from Python: always through the page that connected last, and only once it answers.

A call made before the client has set the service up is dropped without an answer, and
Flet waits for that answer for ever: after a reload the first calls were lost for up to
6 s on a loaded machine (the app sat on "Opening your card…"). So each newly attached
storage is first asked a harmless question until it answers, within a bound."""

from __future__ import annotations

import asyncio
import logging
import time

import flet as ft

log = logging.getLogger(__name__)

PROBE_SECONDS = 1.0  # how long one readiness question may go unanswered
READY_WITHIN_SECONDS = 30.0  # after this the storage counts as unavailable


class StorageUnavailable(RuntimeError):
    """The platform's secure storage did not answer."""


class PageSecureStorage:
    """The async get/set/remove that ``FletSecureStorageStore`` needs.

    A process serves one device (a phone, the browser-run build, or a test driving that path
    in web mode); when its page reconnects or reloads, the new page is the way to it."""

    def __init__(self) -> None:
        self._storage = None
        self._ready: asyncio.Future | None = None

    def attach(self, page: ft.Page) -> None:
        from flet_secure_storage import SecureStorage

        self._storage = SecureStorage()
        page.services.append(self._storage)
        self._ready = None

    async def _answering(self):  # noqa: ANN202
        storage = self._storage
        if storage is None:
            raise StorageUnavailable("no page has connected yet")
        if self._ready is None:
            self._ready = asyncio.ensure_future(_until_it_answers(storage))
        await asyncio.shield(self._ready)
        return storage

    async def get(self, key: str) -> str | None:
        return await (await self._answering()).get(key)

    async def set(self, key: str, value: str) -> None:
        await (await self._answering()).set(key, value)

    async def remove(self, key: str) -> None:
        await (await self._answering()).remove(key)


async def _until_it_answers(storage) -> None:  # noqa: ANN001
    started = time.monotonic()
    while True:
        try:
            await asyncio.wait_for(storage.get_availability(), PROBE_SECONDS)
            return
        except RuntimeError:  # the client answered with an error: it is there all the same
            return
        except TimeoutError:
            waited = time.monotonic() - started
            if waited >= READY_WITHIN_SECONDS:
                raise StorageUnavailable(
                    f"the secure storage did not answer within {waited:.0f} s"
                ) from None
            log.info("secure storage not answering yet after %.1f s", waited)
