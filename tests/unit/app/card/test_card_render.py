"""The card and voucher QR images decode, with a real barcode reader, to exactly their text."""

from __future__ import annotations

import io
import sys

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageChops

from loyalty_app.card.render import card_png, qr_matrix, qr_png
from loyalty_core.card.token import CardCredential, make_token, seconds_to_next

CRED = CardCredential(
    card_id="c0123456789ab", secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", prefix="HBR"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _decode(png: bytes) -> list[str]:
    assert png.startswith(PNG_SIGNATURE)
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("now", [0, 1_700_000_010, 1_700_000_039.999, 1_893_456_000, 4_102_444_800])
def test_card_png_decodes_to_exactly_the_current_token(now) -> None:
    token, png, seconds = card_png(CRED, now)
    assert token == make_token(CRED, now)
    assert seconds == seconds_to_next(CRED, now)
    assert _decode(png) == [token]


def test_tokens_of_other_programmes_and_settings_decode_too() -> None:
    long_prefix = CardCredential(
        card_id="cfedcba987654",
        secret="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        prefix="HARBOR-COFFEE_TAIPEI~2026",
        period=60,
        digits=10,
        algorithm="sha512",
    )
    token, png, _ = card_png(long_prefix, 1_700_000_000)
    assert _decode(png) == [token]


def test_a_long_referral_link_decodes_exactly() -> None:
    link = (
        "https://harbor.coffee/join/ZRUECXYT?utm_source=member-app&utm_medium=share"
        "&utm_campaign=autumn-2026&lang=zh-Hant&ref=890790266138" + "&pad=" + "x" * 200
    )
    for level in ("L", "M", "Q", "H"):
        assert _decode(qr_png(link, error_correction=level)) == [link]


def test_voucher_payload_decodes_at_small_boxes_and_without_a_border() -> None:
    assert _decode(qr_png("HBR-V:2AHWQ288LG", box_size=3)) == ["HBR-V:2AHWQ288LG"]
    assert _decode(qr_png("HBR-V:2AHWQ288LG", box_size=4, border=1)) == ["HBR-V:2AHWQ288LG"]


def test_image_is_pixel_for_pixel_what_qrcode_make_draws() -> None:
    text = "HBR:c0123456789ab:1700000010:12345678"
    ours = Image.open(io.BytesIO(qr_png(text)))
    theirs = qrcode.make(text).get_image()
    assert ours.mode == "1" and ours.size == theirs.size
    assert ImageChops.difference(ours.convert("L"), theirs.convert("L")).getbbox() is None


def test_size_follows_box_size_and_border() -> None:
    modules = len(qr_matrix("HBR-V:2AHWQ288LG"))
    image = Image.open(io.BytesIO(qr_png("HBR-V:2AHWQ288LG", box_size=6, border=2)))
    assert image.size == ((modules + 4) * 6, (modules + 4) * 6)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        qr_png("x", error_correction="X")
    with pytest.raises(ValueError):
        qr_png("x", box_size=0)
    with pytest.raises(ValueError):
        qr_png("x", border=-1)
    with pytest.raises(TypeError):
        qr_png(b"bytes")  # type: ignore[arg-type]


def test_without_pillow_the_png_is_written_in_pure_python_pixel_for_pixel(monkeypatch):
    """The browser-run build has no native code: the same 1-bit PNG, read by a decoder."""
    text = "HBR:c_123:1767225600:12345678"
    with_pillow = Image.open(io.BytesIO(qr_png(text, box_size=6)))
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL now fails
    pure_bytes = qr_png(text, box_size=6)
    monkeypatch.undo()
    pure = Image.open(io.BytesIO(pure_bytes))
    assert pure.mode == "1" and pure.size == with_pillow.size
    assert pure.tobytes() == with_pillow.tobytes()
    assert [r.text for r in zxingcpp.read_barcodes(pure)] == [text]
