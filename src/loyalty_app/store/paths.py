"""Where the app keeps its files on this device, and who may read them.

The data folder holds personal data (the member's profile, voucher codes, the outbox), so it
is the user's alone: the folder is 0700 and every file the app writes in it is 0600, whatever
the umask, and an existing folder or file with looser modes is tightened when it is opened.
On Windows (no POSIX modes; the profile folder's ACL already keeps it private) nothing is
changed.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "loyalty-app"
STORE_FILENAME = "store.sqlite3"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
POSIX_MODES = os.name == "posix"


def default_data_dir() -> Path:
    """The per-user data directory, e.g. ~/.local/share/loyalty-app on Linux."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_store_path() -> Path:
    """The offline store's file inside `default_data_dir()`."""
    return default_data_dir() / STORE_FILENAME


def _tighten(path: Path, mode: int, want_dir: bool) -> None:
    """Sets `mode` on `path` when it is ours and looser; a shared folder (sticky, like /tmp)
    or one that belongs to someone else is left alone, with one line in the log."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or stat.S_ISDIR(st.st_mode) != want_dir:
        return
    if stat.S_IMODE(st.st_mode) == mode:
        return
    if st.st_uid != os.getuid() or st.st_mode & stat.S_ISVTX:
        log.warning(
            "%s is shared or not ours (mode %o): its mode is left as it is", path, st.st_mode
        )
        return
    try:
        os.chmod(path, mode)
    except OSError as exc:  # a read-only file system, say: nothing more we can do
        if exc.errno not in (errno.EROFS, errno.EPERM, errno.EACCES):
            raise
        log.warning("could not make %s private (%s)", path, exc.strerror)


def private_dir(path: Path) -> Path:
    """Creates the folder (and missing parents) and makes the folder itself 0700."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if POSIX_MODES:
        _tighten(path, PRIVATE_DIR_MODE, want_dir=True)
    return path


def private_file(path: Path) -> Path:
    """Makes an existing file 0600 (a missing one is fine: nothing to do)."""
    if POSIX_MODES:
        _tighten(Path(path), PRIVATE_FILE_MODE, want_dir=False)
    return Path(path)


def create_private_file(path: Path) -> Path:
    """Creates the file empty with mode 0600 unless it exists (then tightens it)."""
    path = Path(path)
    if POSIX_MODES:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:
            pass
        else:
            try:
                os.fchmod(fd, PRIVATE_FILE_MODE)  # the umask may have taken bits off
            finally:
                os.close(fd)
        private_file(path)
    return path


def write_private_text(path: Path, text: str) -> None:
    """Writes `text` to `path` atomically (a temporary file, then a rename), mode 0600."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(tmp, flags, PRIVATE_FILE_MODE)
    if POSIX_MODES:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(tmp, path)
