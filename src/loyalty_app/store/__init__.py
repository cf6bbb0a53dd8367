"""The offline store: snapshots of server resources, the outbox of intents, non-secret meta."""

from .paths import default_data_dir, default_store_path
from .store import Intent, Recovery, Snapshot, Store

__all__ = ["Intent", "Recovery", "Snapshot", "Store", "default_data_dir", "default_store_path"]
