"""Camera pictures to scans: real QR images through the real decoder, and each code held
under the camera handed on once."""

from __future__ import annotations

import io

import pytest
import qrcode
from PIL import Image

from loyalty_app.kiosk.camera import (
    GONE_AFTER_SECONDS,
    SeenCodes,
    decode_picture,
)

pytest.importorskip("zxingcpp")


def picture(text: str | None, fmt: str = "JPEG") -> bytes:
    """A 640 x 480 camera picture: grey background, the QR somewhere off-centre."""
    canvas = Image.new("RGB", (640, 480), (190, 186, 180))
    if text is not None:
        code = qrcode.make(text, box_size=6, border=4).get_image().convert("RGB")
        canvas.paste(code, (90, 60))
    out = io.BytesIO()
    canvas.save(out, fmt, quality=80)
    return out.getvalue()


def test_a_card_code_is_read_from_a_jpeg_picture():
    token = "HBR:c0123456789ab:1795460220:80309806"
    assert decode_picture(picture(token)) == [token]
    assert decode_picture(picture("HBR-V:ABCD2345EF", "PNG")) == ["HBR-V:ABCD2345EF"]


def test_a_picture_without_a_code_or_not_a_picture_reads_nothing():
    assert decode_picture(picture(None)) == []
    assert decode_picture(b"") == []
    assert decode_picture(b"\xff\xd8\xff\xe0 truncated jpeg") == []


def test_a_code_held_under_the_camera_is_one_scan():
    seen = SeenCodes()
    assert seen.new_scan(["HBR:a"], 10.0) == "HBR:a"
    for n in range(1, 40):  # held there (a refused code, a member after "Done"): once only
        assert seen.new_scan(["HBR:a"], 10.0 + n * 0.4) is None


def test_the_same_code_shown_again_after_leaving_the_view_is_a_new_scan():
    seen = SeenCodes()
    assert seen.new_scan(["HBR:a"], 10.0) == "HBR:a"
    assert seen.new_scan([], 10.4) is None
    assert seen.new_scan(["HBR:a"], 10.8) is None  # one blurred picture is not "gone"
    assert seen.new_scan([], 11.2) is None
    assert seen.new_scan([], 11.2 + GONE_AFTER_SECONDS) is None
    assert seen.new_scan(["HBR:a"], 13.2) == "HBR:a"


def test_a_different_code_is_a_new_scan_at_once():
    seen = SeenCodes()
    assert seen.new_scan(["HBR:a"], 10.0) == "HBR:a"
    assert seen.new_scan(["HBR:b"], 10.4) == "HBR:b"


def test_a_code_still_held_up_when_the_camera_comes_back_is_not_a_new_scan():
    seen = SeenCodes()
    assert seen.new_scan(["HBR:a"], 10.0) == "HBR:a"
    # The member screen was up for a minute (no pictures); back on the start screen the phone
    # is still held up: not scanned again ("already used" would greet the member).
    assert seen.new_scan(["HBR:a"], 70.0) is None
