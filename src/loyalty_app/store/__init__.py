"""The offline store: snapshots of server resources, the outbox of intents, non-secret meta.

The names are loaded on first use: `main.py` needs only `paths` before it serves, and the
store's own module (SQLite and the domain models) would hold up serving for a tenth of a
second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .paths import default_data_dir, default_store_path

if TYPE_CHECKING:
    from .store import Intent, Recovery, Snapshot, Store

__all__ = ["Intent", "Recovery", "Snapshot", "Store", "default_data_dir", "default_store_path"]


def __getattr__(name: str) -> object:
    if name in ("Intent", "Recovery", "Snapshot", "Store"):
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
