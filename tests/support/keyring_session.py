"""For scripts outside pytest (the benchmarks): run again inside a private D-Bus session with an
unlocked GNOME Keyring when there is no session bus, as `python3 dev.py test` does for pytest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KEYRING_WRAPPER = (
    'echo -n pw | XDG_DATA_HOME="$KEYRING_HOME" '
    "gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
    'exec "$@"'
)


def reexec_in_keyring_session(script: str | os.PathLike) -> None:
    """Without a session bus, run `script` again inside one with an unlocked keyring, then
    exit with its code; otherwise return and let the caller go on."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or os.environ.get("BENCH_IN_KEYRING_SESSION"):
        return
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        return  # the app will say it has no keyring
    keyring_home = tempfile.mkdtemp(prefix="bench-keyring-")
    env = dict(os.environ, KEYRING_HOME=keyring_home, BENCH_IN_KEYRING_SESSION="1")
    cmd = [sys.executable, str(Path(script).resolve()), *sys.argv[1:]]
    try:
        code = subprocess.call(
            ["dbus-run-session", "--", "bash", "-c", KEYRING_WRAPPER, "_", *cmd], env=env
        )
    finally:
        shutil.rmtree(keyring_home, ignore_errors=True)
    sys.exit(code)
