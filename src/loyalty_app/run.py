"""Starting the app: parse options, find or start a backend, choose web or desktop, serve."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
import time
from pathlib import Path

import flet as ft

APP_ROOT = Path(__file__).resolve().parents[2]  # where main.py and app.toml are
ASSETS = APP_ROOT / "assets"
# The warm-up thread works in turns of this many seconds, each once the process is idle.
WARM_UP_TURN = 0.02
# The browser-run build's data folder, kept in the browser's IndexedDB (store/browser.py).
BROWSER_DATA = Path("/data/loyalty")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="main.py", description="The loyalty member app.")
    p.add_argument(
        "--backend",
        default=os.environ.get("LOYALTY_BACKEND"),
        help="loyalty server URL (default: app.toml's, else the demo server in-process)",
    )
    p.add_argument(
        "--config",
        type=Path,
        default=Path(os.environ.get("LOYALTY_APP_CONFIG") or APP_ROOT / "app.toml"),
        help="the app's settings file (default: app.toml beside main.py)",
    )
    p.add_argument("--web", action="store_true", help="serve the web client instead of a window")
    p.add_argument("--host", default="127.0.0.1", help="web mode: address (default 127.0.0.1)")
    p.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("FLET_SERVER_PORT") or 8550),
        help="web mode: port (default $FLET_SERVER_PORT, else 8550)",
    )
    p.add_argument("--data-dir", type=Path, default=None, help="where this app keeps its data")
    p.add_argument(
        "--kiosk",
        choices=["checkout", "self-service"],
        default=None,
        help="run as an in-store kiosk",
    )
    p.add_argument(
        "--idle-seconds",
        type=float,
        default=60.0,
        help="kiosk: back to the start screen after this long without input",
    )
    return p


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _desktop_client_available() -> bool:
    try:
        import flet_desktop  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    from .platform import in_browser

    if in_browser():
        return _run_in_browser()
    args = parser().parse_args(argv)
    # LOYALTY_APP_LOG=debug adds a line for every request to the server and Flet's session
    # events (a page's session created, disconnected, reconnected), with the time (tests set it).
    debug = os.environ.get("LOYALTY_APP_LOG", "").lower() == "debug"
    line = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=logging.WARNING, format=f"%(asctime)s {line}" if debug else line)
    logging.getLogger("loyalty_app").setLevel(logging.DEBUG if debug else logging.INFO)
    for noisy in ("flet", "flet_web", "httpx", "httpcore", "uvicorn", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if debug:
        logging.getLogger("flet_web.fastapi").setLevel(logging.INFO)
    from .config import ConfigError, check_backend_url, load_config, secrets_kind
    from .store.paths import default_data_dir, private_dir

    try:
        config = load_config(args.config)
        backend = (
            check_backend_url(args.backend, "--backend (or LOYALTY_BACKEND)")
            if args.backend
            else config.backend
        )
    except ConfigError as exc:
        print(f"main.py: {exc}", file=sys.stderr)
        return 2
    data_dir = (args.data_dir or default_data_dir()).resolve()
    private_dir(data_dir)  # 0700: the store, the prefs and the demo server's data live here
    not_set_up = None
    if not backend:
        try:
            backend = _start_demo_server(data_dir)
        except RuntimeError as exc:  # a build without a server and without a backend
            print(f"main.py: {exc}", file=sys.stderr)
            not_set_up = str(exc)
        else:
            print(
                f"No backend configured: the demo loyalty server runs in-process at {backend}",
                flush=True,
            )
    from flet.utils import is_mobile, is_pyodide

    kind = secrets_kind(config.secrets, mobile=is_mobile(), in_browser=is_pyodide())
    secrets = None
    if kind == "keyring":
        from .auth.secrets import KeyringSecretStore, NoSecretBackend

        try:
            secrets = KeyringSecretStore()
        except NoSecretBackend as exc:
            print(f"main.py: {exc}", file=sys.stderr)
            return 2
    if not_set_up is not None:
        session_main = _not_set_up_main(config)
    elif args.kiosk is None:
        session_main = _member_main(backend, data_dir, secrets, config)
    else:
        session_main = _kiosk_main(
            args.kiosk, backend, data_dir, secrets, config, args.idle_seconds
        )
    from .ui import flet_guard

    flet_guard.install()
    web = args.web or not _has_display() or not _desktop_client_available()
    if args.kiosk is None:
        _warm_up((args.host, args.port) if web else None, getattr(session_main, "read_ahead", None))
    if web:
        from .ui import single_threaded_web

        single_threaded_web.install()
        splash = getattr(session_main, "splash_card", None)
        if splash is not None:  # the member app: the card's QR on the loading screen
            from .ui import splash_card

            splash_card.install(splash)
        print(
            f"Open http://{args.host}:{args.port}/ in a browser (serving on {args.host} only).",
            flush=True,
        )
        ft.run(
            session_main,
            view=ft.AppView.WEB_BROWSER,
            host=args.host,
            port=args.port,
            no_cdn=True,
            assets_dir=str(ASSETS),
        )
    else:
        ft.run(session_main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS))
    return 0


def _run_in_browser() -> int:
    """The static web build: Python runs in the member's browser, with the backend from the
    app.toml the build carries; secrets in the browser's secure storage, the store on
    IndexedDB. No demo server, no threads, no command line."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from .config import AppConfig, ConfigError, load_config

    try:
        config = load_config(APP_ROOT / "app.toml")
    except ConfigError as exc:
        print(f"main.py: {exc}", file=sys.stderr)
        config = AppConfig()
    session_main = _browser_member_main(config) if config.backend else _not_set_up_main(config)
    ft.run(session_main, assets_dir=str(ASSETS))
    return 0


def _browser_member_main(config):  # noqa: ANN001, ANN202
    from .ui.page_storage import PageSecureStorage

    shared: dict = {}
    page_storage = PageSecureStorage()

    async def session(page: ft.Page) -> None:
        from .session import MemberSession, Prefs
        from .store.browser import Saver, mount
        from .ui.app import App

        secrets = _secrets_on(None, page_storage, page)
        if "session" not in shared:
            await mount(BROWSER_DATA)  # what the last visit saved, before the store opens
            member = MemberSession(config.backend, BROWSER_DATA, secrets)
            member.store.on_commit = Saver().changed
            shared["session"] = member
            page.run_task(member.prefetch_card)
        page.title = "Harbor Coffee"
        page.render_views(
            App,
            shared["session"],
            Prefs(BROWSER_DATA / "prefs.json"),
            config.brand_colour,
            config.language,
        )

    return session


def _start_demo_server(data_dir: Path) -> str:
    """The reference server in-process (desktop and development only: builds exclude it)."""
    try:
        from loyalty_server.embedded import start_embedded_server
    except ImportError as exc:  # a phone build carries no server
        raise RuntimeError(
            "no backend configured and the reference server is not installed here: "
            "pass --backend URL (or install the project with its `server` extra)"
        ) from exc
    return start_embedded_server(data_dir)


def _secrets_on(secrets, page_storage, page: ft.Page):  # noqa: ANN001, ANN202
    """The keyring store made at start, or the secure storage reached through this page."""
    if secrets is not None:
        return secrets
    page_storage.attach(page)
    from .auth.secrets import FletSecureStorageStore

    return FletSecureStorageStore(page_storage)


def _warm_up(address: tuple[str, int] | None, read_ahead=None) -> None:  # noqa: ANN001
    """Loads what the member's first screen needs (session, screens, the Flet controls they
    name, QR drawing) in a thread once Flet serves (at `address`), while the browser loads
    and compiles its client. Python runs one thread at a time and this Python also serves the
    client's files, so it works in short turns, each once the process has been idle for a
    moment: loading all at once delayed the browser's first frame (bench/bench_launch.py)."""

    def serving() -> None:
        if address is None:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(address, timeout=1).close()
                return
            except OSError:
                time.sleep(0.02)  # not a wait for a result: a poll for the port to open

    def work() -> None:
        serving()
        try:
            from .card.render import qr_png
            from .ui.warm_up import warm_up  # the session too, through the app's screens

            if read_ahead is not None:
                read_ahead()  # mostly a wait for the keyring: it holds up nothing else
            turn_ends = time.monotonic() + WARM_UP_TURN
            for _ in warm_up():
                if time.monotonic() >= turn_ends:
                    _wait_until_idle()
                    turn_ends = time.monotonic() + WARM_UP_TURN
            qr_png("HBR:warm-up", box_size=8)  # loads Pillow's PNG writer
        except Exception:  # noqa: BLE001 - the first screen imports them again and says why
            logging.getLogger("loyalty_app").debug("warm-up failed", exc_info=True)

    threading.Thread(target=work, name="warm-up", daemon=True).start()


def _wait_until_idle(window: float = 0.01, busy: float = 0.25, at_most: float = 2.0) -> None:
    """Returns once this process used less than `busy` of a CPU over `window` seconds (it is
    waiting for the browser), or after `at_most` seconds."""
    deadline = time.monotonic() + at_most
    while time.monotonic() < deadline:
        used = time.process_time()
        time.sleep(window)
        if time.process_time() - used < window * busy:
            return


def _member_main(backend: str, data_dir: Path, secrets, config):  # noqa: ANN001, ANN202
    from .ui.page_storage import PageSecureStorage

    shared: dict = {}
    making = threading.Lock()  # the warm-up thread or the first page makes the session
    page_storage = PageSecureStorage()

    def member_session(store):  # noqa: ANN001, ANN202
        from .session import MemberSession

        # One session per process: every browser tab sees one member (a phone has one;
        # the browser-run build runs one process per browser). Its store may be used from
        # any thread (it has a lock of its own); its asyncio parts bind to a loop on use.
        with making:
            if "session" not in shared:
                shared["session"] = MemberSession(backend, data_dir, store)
            return shared["session"]

    def read_ahead() -> None:
        # In the warm-up thread: with the OS keyring, the card secret is read while the
        # browser loads its client, so the first screen draws the QR in its first frame.
        if secrets is not None:
            member_session(secrets).read_card_blocking()

    def session(page: ft.Page) -> None:
        # Imported here, not before serving: `_warm_up` has imported them meanwhile.
        from .session import Prefs
        from .ui.app import App

        member = member_session(_secrets_on(secrets, page_storage, page))
        page.run_task(member.prefetch_card)  # the card's secret first (once in memory, a no-op)
        page.title = "Harbor Coffee"
        page.render_views(
            App,
            member,
            Prefs(data_dir / "prefs.json"),
            config.brand_colour,
            config.language,
        )

    def splash_card() -> bytes | None:
        # In a server thread, while the browser loads the client: the card's QR for the
        # loading screen (ui/splash_card.py). Waits for the keyring read, which the warm-up
        # thread has usually begun already; None while there is no card on this device.
        if secrets is None:
            return None
        member = member_session(secrets)
        ready = member.card_token_now(time.time()) if member.read_card_blocking() else None
        if ready is None:
            return None
        from .card.render import qr_png
        from .ui.splash_card import SPLASH_BOX

        return qr_png(ready[0], box_size=SPLASH_BOX)

    session.read_ahead = read_ahead
    session.splash_card = splash_card
    return session


def _not_set_up_main(config):  # noqa: ANN001, ANN202
    """No backend configured and no demo server in this build: say so, in the member's
    language, instead of exiting (on a phone an exit is a crash)."""
    from .i18n import language_for
    from .ui.not_set_up import NotSetUp

    def session(page: ft.Page) -> None:
        lang = config.language or language_for(os.environ.get("LANG", ""))
        page.render(NotSetUp, lang, config.brand_colour)

    return session


def _kiosk_main(
    mode: str,
    backend: str,
    data_dir: Path,
    secrets,  # noqa: ANN001
    config,  # noqa: ANN001
    idle_seconds: float,
):  # noqa: ANN202
    from .i18n import language_for
    from .session import KioskSession
    from .ui.kiosk.app import KioskApp
    from .ui.page_storage import PageSecureStorage

    shared: dict[str, KioskSession] = {}
    page_storage = PageSecureStorage()

    def session(page: ft.Page) -> None:
        store = _secrets_on(secrets, page_storage, page)
        if "session" not in shared:
            shared["session"] = KioskSession(backend, data_dir / f"kiosk-{mode}", store)
        lang = config.language or language_for(os.environ.get("LANG", ""))  # until staff choose
        page.title = "Harbor Coffee kiosk"
        page.window.full_screen = True  # desktop; browsers need --kiosk (see README)
        page.render(KioskApp, shared["session"], mode, lang, idle_seconds, config.brand_colour)

    return session
