"""The programme's pictures as last fetched (logo, reward images), kept as files beside the
store so the app draws them offline. They are the shop's public pictures, not the member's
data: sign-out keeps them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CachedPicture:
    body: bytes
    etag: str | None


class PictureCache:
    """One file per picture URL (and its ETag beside it), written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode()).hexdigest()[:32]

    def get(self, url: str) -> CachedPicture | None:
        path = self._path(url)
        try:
            body = path.read_bytes()
        except OSError:
            return None
        try:
            etag = path.with_suffix(".etag").read_text(encoding="ascii") or None
        except (OSError, UnicodeDecodeError):
            etag = None
        return CachedPicture(body, etag) if body else None

    def put(self, url: str, body: bytes, etag: str | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(url)
        _replace(path.with_suffix(".etag"), (etag or "").encode("ascii", "ignore"))
        _replace(path, body)


def _replace(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)
