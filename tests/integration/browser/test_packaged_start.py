"""The app started the way a packaged build starts it: `python main.py` with no arguments,
its settings from the app's config file, tokens in Flet's secure storage (forced, so the
phone's path runs here in web mode), against the real server, in real Chromium."""

from __future__ import annotations

import sys

import httpx
import pytest

from tests.support.browser import (
    AppProcess,
    enable_semantics,
    evaluate,
    screenshot,
    wait_cjk_glyphs,
    wait_first_frame,
    wait_qr,
)
from tests.support.secret_service import needs_secret_service
from tests.support.servers import add_staff, free_port

pytestmark = [pytest.mark.browser, needs_secret_service]

DEMO_ZH_HANT = "體驗示範"
QR_ZH_HANT = "供收銀員掃描的會員 QR 碼"
SERVICE = "loyalty-app"  # KeyringSecretStore's service name


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


class PackagedApp(AppProcess):
    """No options at all: everything comes from the config file and the environment a
    build would have (the port only because web mode needs one here)."""

    def command(self) -> list[str]:
        return [sys.executable, "main.py"]


def keyring_items() -> int:
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        return sum(1 for _ in collection.search_items({"service": SERVICE}))
    finally:
        connection.close()


def test_no_arguments_config_file_and_secure_storage_sign_in(browser, module_server, tmp_path):
    config = tmp_path / "app.toml"
    config.write_text(
        "[app]\n"
        f'backend = "{module_server.base_url}"\n'
        'language = "zh-Hant"\n'
        'secrets = "secure-storage"\n',
        encoding="utf-8",
    )
    home = tmp_path / "home"
    app = PackagedApp(
        tmp_path / "unused",
        log_path=tmp_path / "app.log",
        env={
            "LOYALTY_APP_CONFIG": str(config),
            "XDG_DATA_HOME": str(home / "share"),  # the app's default data folder
            "LOYALTY_BACKEND": "",
            "DISPLAY": "",
            "WAYLAND_DISPLAY": "",
        },
    )
    app.port = free_port()
    app.extra_env["FLET_SERVER_PORT"] = str(app.port)
    in_keyring = keyring_items()
    app.start()
    try:
        page = browser.open(app.url, width=390, height=844)
        wait_first_frame(page)
        enable_semantics(page)
        # The config's language on a first start, and its backend (a demo server).
        page.get_by_role("button", name=DEMO_ZH_HANT).click()
        page.get_by_role("img", name=QR_ZH_HANT).wait_for(timeout=20_000)
        codes = wait_qr(page, timeout=15_000)
        staff = add_staff(module_server.database_url, "Ana Souza")
        scanned = httpx.post(
            f"{module_server.base_url}/v1/checkout/scan",
            json={"token": codes[0]},
            headers={"Authorization": f"Bearer {staff}"},
            timeout=10,
        )
        assert scanned.status_code == 200, scanned.text

        # The tokens went to the browser's encrypted storage, not to the OS keyring, and
        # never into a file of the app's.
        assert keyring_items() == in_keyring
        stored = evaluate(page, "() => Object.entries(window.localStorage)")
        assert any("loyalty-app/" in key for key, _ in stored), [k for k, _ in stored]
        assert not any("lat_" in value or "lrt_" in value for _, value in stored)
        data_dir = home / "share" / "loyalty-app"
        assert (data_dir / "member.db").exists(), sorted(p.name for p in data_dir.iterdir())
        for path in data_dir.rglob("*"):
            if path.is_file():
                assert b"lat_" not in path.read_bytes(), path

        # Started again and reloaded (same browser, same origin): still signed in, from the
        # browser's storage.
        app.stop()
        app.start()
        page.reload()
        wait_first_frame(page)
        enable_semantics(page)
        page.get_by_role("img", name=QR_ZH_HANT).wait_for(timeout=20_000)
        again = wait_qr(page, timeout=15_000)
        assert again[0].split(":")[1] == codes[0].split(":")[1]  # the same member's card
        assert page.get_by_role("button", name=DEMO_ZH_HANT).count() == 0
        assert keyring_items() == in_keyring
    finally:
        app.stop()


class BuildWithoutServer(AppProcess):
    """`main.py` with no arguments in a build that carries no reference server (phone builds
    exclude it): importing it fails, as it would there."""

    def command(self) -> list[str]:
        script = (
            "import runpy, sys; sys.modules['loyalty_server.embedded'] = None; "
            "sys.argv = ['main.py']; runpy.run_path('main.py', run_name='__main__')"
        )
        return [sys.executable, "-c", script]


def test_no_backend_and_no_server_in_the_build_says_so_instead_of_exiting(browser, tmp_path):
    config = tmp_path / "app.toml"
    config.write_text('[app]\nlanguage = "zh-Hans"\n', encoding="utf-8")
    app = BuildWithoutServer(
        tmp_path / "unused",
        log_path=tmp_path / "app.log",
        env={
            "LOYALTY_APP_CONFIG": str(config),
            "XDG_DATA_HOME": str(tmp_path / "share"),
            "LOYALTY_BACKEND": "",
        },
    )
    app.port = free_port()
    app.extra_env["FLET_SERVER_PORT"] = str(app.port)
    app.start()
    try:
        page = browser.open(app.url, width=390, height=844)
        wait_first_frame(page)
        enable_semantics(page)
        page.get_by_text("此应用尚未设置").wait_for(timeout=20_000)
        assert page.get_by_text("请向店家索取他们的应用", exact=False).count() == 1
        wait_cjk_glyphs(page, page.get_by_text("此应用尚未设置"))  # not boxes
        screenshot(page, tmp_path / "not-set-up-zh-Hans.png")
        assert app.running
        assert "not installed here" in app.log_tail()
    finally:
        app.stop()
