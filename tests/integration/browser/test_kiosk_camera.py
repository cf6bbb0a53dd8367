"""Scanning with the camera in real Chromium: a self-service kiosk with no USB scanner, its
camera (Chromium's fake device) looking at a video of the member's live card QR. Staff turn
the camera on in the staff panel; the kiosk reads the code with zxing-cpp and shows the
member, once."""

from __future__ import annotations

import time

import httpx
import pytest

from loyalty_core.card.token import CardCredential, make_token
from tests.support import kiosk_browser
from tests.support.browser import (
    CHROMIUM_ARGS,
    AppProcess,
    Browser,
    chromium_available,
    enable_semantics,
    wait_first_frame,
)
from tests.support.camera_video import camera_args, qr_video
from tests.support.kiosk_browser import see, set_up_kiosk, shoot, unlock_staff
from tests.support.servers import add_staff

pytestmark = pytest.mark.browser
pytest.importorskip("flet_camera")
pytest.importorskip("zxingcpp")

SELF_TITLE = "Scan your card to see your points"


@pytest.fixture(scope="module")
def server_options() -> dict:
    return {"demo": True}


def mei_card_token(base_url: str) -> str:
    """The current code of a freshly signed-in demo device of Mei's (valid for a while)."""
    card = httpx.post(f"{base_url}/v1/auth/demo", json={}, timeout=10).json()["card"]
    credential = CardCredential(
        card["card_id"],
        card["secret"],
        card["prefix"],
        period=card["period"],
        digits=card["digits"],
        algorithm=card["algorithm"],
    )
    return make_token(credential, time.time())


def test_the_camera_reads_the_members_card_at_a_self_service_kiosk(module_server, tmp_path):
    if not chromium_available():
        pytest.skip("needs Chromium")
    kiosk_browser.FAILURE_SHOTS[0] = str(tmp_path)
    video = qr_video(tmp_path / "card.y4m", mei_card_token(module_server.base_url))
    app = AppProcess(
        tmp_path / "kiosk",
        "--backend",
        module_server.base_url,
        "--kiosk",
        "self-service",
        log_path=tmp_path / "kiosk.log",
    ).start()
    try:
        with Browser(args=(*CHROMIUM_ARGS, *camera_args(video))) as browser:
            page = browser.open(app.url, width=1000, height=800)
            wait_first_frame(page)
            enable_semantics(page)
            set_up_kiosk(
                page, add_staff(module_server.database_url, "Ana Souza"), first_screen=SELF_TITLE
            )
            unlock_staff(page)
            page.get_by_role("switch", name="Scan with the camera").click()
            page.get_by_role("button", name="Staff").first.click()  # close the panel
            started = time.monotonic()
            see(page, "Mei L.", timeout=30_000)
            seen_after = time.monotonic() - started
            see(page, "Rewards you can have now")
            shoot(page, "self-member-camera-en")
            page.get_by_role("button", name="Done").click()
            see(page, SELF_TITLE)
            see(page, "Hold the QR code up to the camera.")
            # The same card still in front of the camera is not scanned over and over.
            time.sleep(3)
            shoot(page, "self-attract-camera-en")
            log = app.log_text()
            assert log.count("camera read a code") == 1, log[-3000:]
            read = next(line for line in log.splitlines() if "camera read a code" in line)
            print(f"camera on -> member on screen: {seen_after * 1000:.0f} ms; {read}")
    finally:
        app.stop()
