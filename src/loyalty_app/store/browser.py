"""The offline store's folder in the browser-run build: Emscripten's IndexedDB file system.

Pyodide's files live in memory and are gone on a reload. Mounted as IDBFS, a folder is
loaded from the browser's IndexedDB once at start (`mount`), and written back to it after
changes (`Saver`): the store's database, the pictures and the prefs survive a reload, a
browser restart and a visit with the network off. IndexedDB is per origin, like the secure
storage that holds the tokens.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

log = logging.getLogger(__name__)


async def _syncfs(populate: bool) -> None:
    """FS.syncfs as an awaitable: True loads IndexedDB into memory, False saves memory."""
    import js  # Pyodide only
    import pyodide_js
    from pyodide.ffi import create_once_callable

    def start(resolve, reject) -> None:  # noqa: ANN001
        def done(error) -> None:  # noqa: ANN001
            if error:
                reject(error)
            else:
                resolve(None)

        pyodide_js.FS.syncfs(populate, create_once_callable(done))

    await js.Promise.new(create_once_callable(start))


async def mount(folder: Path) -> None:
    """Mounts *folder* on IndexedDB and loads what an earlier visit saved there."""
    import js
    import pyodide_js

    fs = pyodide_js.FS
    fs.mkdirTree(str(folder))
    fs.mount(fs.filesystems.IDBFS, js.Object.new(), str(folder))
    await _syncfs(True)


class Saver:
    """Writes the mounted folders back to IndexedDB after a change: `changed()` (sync, cheap)
    asks for a save; saves run one at a time on the loop, and changes made while one runs
    are taken by the next, so the last change is always saved."""

    def __init__(self) -> None:
        self._wanted = False
        self._task: asyncio.Task | None = None
        self.saves = 0

    def changed(self) -> None:
        self._wanted = True
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._wanted:
            self._wanted = False
            try:
                await _syncfs(False)
                self.saves += 1
            except Exception:  # noqa: BLE001 - quota or a closed database: keep the app going
                log.warning("could not save the offline store to IndexedDB", exc_info=True)
                return
