"""Reading card and voucher QR codes from camera pictures, for tills and self-service kiosks
without a USB scanner.

The web client cannot stream frames (flet-camera has no image stream there), so the kiosk
takes a picture every few hundred milliseconds and decodes it here with zxing-cpp. A code
held under the camera is in many pictures in a row: it is handed on once, and again only
after it has been out of sight for a moment (a refused code is not retried four times a
second, and a member still holding up the phone after "Done" is not scanned again).
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass

PICTURE_EVERY_SECONDS = 0.4
GONE_AFTER_SECONDS = 1.5  # out of sight this long: the same code shown again is a new scan


def camera_available() -> bool:
    """True when this installation can scan with a camera (the kiosk extra is installed)."""
    return all(importlib.util.find_spec(m) is not None for m in ("flet_camera", "zxingcpp"))


def decode_picture(picture: bytes) -> list[str]:
    """The texts of the QR codes in a camera picture (JPEG or PNG bytes); [] when none or
    when the bytes are not a picture."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(picture))
        image.load()
    except (UnidentifiedImageError, OSError):
        return []
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [b.text for b in found if b.valid and b.text]


@dataclass
class SeenCodes:
    """Which decoded code to hand on, picture after picture. A code counts as gone only when
    pictures showed it missing for GONE_AFTER_SECONDS: a blurred picture is not enough, and
    while the camera is off (the member screen is up) nothing is known to have changed."""

    last: str | None = None
    missing_since: float | None = None

    def new_scan(self, texts: list[str], now: float) -> str | None:
        if not texts:
            if self.missing_since is None:
                self.missing_since = now
            elif now - self.missing_since >= GONE_AFTER_SECONDS:
                self.last = None
            return None
        self.missing_since = None
        text = texts[0]
        if text == self.last:
            return None
        self.last = text
        return text
