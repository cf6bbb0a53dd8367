"""The programme's pictures (the brand's logo, the rewards' images): the files the programme
file names, read once at start-up and served at ``/v1/media/<path>`` with a strong ETag.

Only files the programme names are served, so a request can never reach another file. A named
file that is missing or of another kind is logged at start-up and left out: the API then gives
``null`` for that picture and the apps draw none.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .programme import Programme

log = logging.getLogger("loyalty_server.media")

#: The URL path under which the pictures are served.
MEDIA_PREFIX = "/v1/media/"
#: The picture formats the apps draw, by file suffix.
MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Picture:
    body: bytes
    media_type: str
    etag: str


class MediaLibrary:
    """The pictures of one programme, by the path the programme file gives."""

    def __init__(self, pictures: dict[str, Picture]) -> None:
        self._pictures = pictures

    @classmethod
    def for_programme(cls, programme: Programme, folder: Path) -> MediaLibrary:
        """Reads every picture `programme` names, relative to `folder` (its file's folder)."""
        names = [programme.brand.logo, *(reward.image for reward in programme.rewards)]
        pictures: dict[str, Picture] = {}
        for name in names:
            if name is None or name in pictures:
                continue
            picture = _read(folder, name)
            if picture is not None:
                pictures[name] = picture
        return cls(pictures)

    def get(self, name: str) -> Picture | None:
        return self._pictures.get(name)

    @property
    def served(self) -> str:
        """Which named pictures are served (a file added or gone since the last start turns a
        reward's `image` from null to a URL or back): part of the catalogue's ETag."""
        return ",".join(sorted(self._pictures))

    def url(self, name: str | None) -> str | None:
        """The server-relative URL of a named picture; None when there is none to serve."""
        if name is None or name not in self._pictures:
            return None
        return MEDIA_PREFIX + name


def _read(folder: Path, name: str) -> Picture | None:
    relative = PurePosixPath(name)
    media_type = MEDIA_TYPES.get(relative.suffix.lower())
    if relative.is_absolute() or ".." in relative.parts or media_type is None:
        log.warning(
            "programme picture %r left out: it must be a relative path to an %s file",
            name,
            "/".join(s.removeprefix(".").upper() for s in MEDIA_TYPES),
        )
        return None
    path = folder.joinpath(*relative.parts)
    try:
        body = path.read_bytes()
    except OSError as exc:
        log.warning("programme picture %r left out: cannot read %s (%s)", name, path, exc)
        return None
    if not body or len(body) > _MAX_BYTES:
        log.warning("programme picture %r left out: %d bytes", name, len(body))
        return None
    etag = '"m-' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Picture(body, media_type, etag)
