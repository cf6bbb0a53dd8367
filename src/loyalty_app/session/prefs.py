"""Language and theme: not secret, and kept across sign-out, so a small JSON file (0600 in
the app's private data folder, like everything there)."""

from __future__ import annotations

import json
from pathlib import Path

from ..store.paths import private_dir, write_private_text


class Prefs:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {k: v for k, v in data.items() if isinstance(v, str)}
        except (OSError, ValueError, AttributeError):
            return {}

    def save(self, **values: str) -> None:
        data = self.load() | values
        private_dir(self.path.parent)
        write_private_text(self.path, json.dumps(data))
