"""Where the app keeps its files on this device."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "loyalty-app"
STORE_FILENAME = "store.sqlite3"


def default_data_dir() -> Path:
    """The per-user data directory, e.g. ~/.local/share/loyalty-app on Linux."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_store_path() -> Path:
    """The offline store's file inside `default_data_dir()`."""
    return default_data_dir() / STORE_FILENAME
