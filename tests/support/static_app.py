"""The member app as static files (``python3 dev.py web-build``), served the way a shop would:
by a plain static file server (``python -m http.server``) on loopback, with Python running
in the browser. One build per test run and backend address (a build takes about 10 s)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .browser import evaluate
from .servers import LoggedProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
WEB_BUILD = ROOT / "build_config" / "web_build.py"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_BUILDS: dict[str, Path] = {}


def build_static_app(backend: str, parent: Path) -> Path:
    """The static build talking to *backend* (built once per run and backend)."""
    if backend in _BUILDS:
        return _BUILDS[backend]
    out = parent / "static-app"
    done = subprocess.run(
        [sys.executable, str(WEB_BUILD), "--backend", backend, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise AssertionError(f"web-build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    _BUILDS[backend] = out
    return out


class StaticServer(LoggedProcess):
    """``python -m http.server`` serving a folder on 127.0.0.1 (nothing app-specific)."""

    def __init__(self, folder: Path, log_path: Path, port: int | None = None) -> None:
        self.folder = folder
        self.log_path = log_path
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StaticServer:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(self.port)],
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"static server did not start\n{self.log_tail()}"
                    ) from None
            time.sleep(0.1)  # a poll for the port to open

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


def record_requests_leaving_loopback(page) -> list[str]:  # noqa: ANN001
    """Every request of *page* to a host other than this machine is refused and listed."""
    leaving: list[str] = []

    def check(route) -> None:  # noqa: ANN001
        url = route.request.url
        host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
        if url.startswith(("data:", "blob:")) or host in LOOPBACK_HOSTS:
            route.continue_()
        else:
            leaving.append(url)
            route.abort()

    page.context.route("**/*", check)
    return leaving


# The worker's IndexedDB file system (store/browser.py): the saved copy of the store's files.
_SAVED_FILES = """async (mount) => {
  const db = await new Promise((ok, fail) => {
    const open = indexedDB.open(mount);
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
    open.onupgradeneeded = () => {};
  });
  if (!db.objectStoreNames.contains('FILE_DATA')) { db.close(); return {}; }
  const entries = await new Promise((ok, fail) => {
    const found = {};
    const cursor = db.transaction('FILE_DATA').objectStore('FILE_DATA').openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) { ok(found); return; }
      const contents = at.value.contents;
      found[at.key] = contents ? Array.from(contents, b => String.fromCharCode(b)).join('') : '';
      at.continue();
    };
    cursor.onerror = () => fail(cursor.error);
  });
  db.close();
  return entries;
}"""


def saved_files(page, mount: str = "/data/loyalty") -> dict[str, str]:  # noqa: ANN001
    """The files the app saved to the browser's IndexedDB, by path (contents as latin-1)."""
    return evaluate(page, _SAVED_FILES, mount)
