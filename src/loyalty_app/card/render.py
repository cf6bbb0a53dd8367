"""QR codes as PNG bytes: the rotating member card, vouchers, referral links.

``qrcode`` builds the module matrix; Pillow paints it in one go (one byte per module,
scaled up with nearest-neighbour resampling) instead of drawing each box, and writes a
1-bit PNG.  The result looks exactly like ``qrcode.make(text)``'s image.  Where Pillow is
not there (the browser-run build: no native code), the same 1-bit PNG is written in pure
Python with zlib.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from loyalty_core.card.token import CardCredential, make_token, seconds_to_next

__all__ = ["card_png", "pure_png", "qr_matrix", "qr_png", "qr_png_kept"]

_ERROR_CORRECTION = {
    "L": ERROR_CORRECT_L,  # ~7 % of the code can be damaged
    "M": ERROR_CORRECT_M,  # ~15 %
    "Q": ERROR_CORRECT_Q,  # ~25 %
    "H": ERROR_CORRECT_H,  # ~30 %
}
# A dark module (True, byte 1) becomes black (0), a light one (0) white (255).
_MODULE_TO_GREY = bytes.maketrans(b"\x00\x01", b"\xff\x00")


def qr_matrix(text: str, *, error_correction: str = "M") -> list[list[bool]]:
    """The QR modules of *text* (True = dark), without the quiet zone."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    try:
        level = _ERROR_CORRECTION[error_correction.upper()]
    except (AttributeError, KeyError):
        raise ValueError("error_correction must be one of 'L', 'M', 'Q', 'H'") from None
    qr = qrcode.QRCode(error_correction=level, box_size=1, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.modules


def qr_png(text: str, *, box_size: int = 10, border: int = 4, error_correction: str = "M") -> bytes:
    """A black-on-white PNG of *text* as a QR code.

    Each module is *box_size* pixels square, with a quiet zone of *border* modules
    (4 is what the QR standard asks for).  *error_correction* is "L", "M", "Q" or "H".
    """
    for name, value, least in (("box_size", box_size, 1), ("border", border, 0)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int")
        if value < least:
            raise ValueError(f"{name} must be at least {least}")
    modules = qr_matrix(text, error_correction=error_correction)
    try:
        from PIL import Image
    except ImportError:
        return pure_png(modules, box_size=box_size, border=border)

    side = len(modules) + 2 * border
    blank_row = b"\xff" * side
    margin = b"\xff" * border
    rows = [blank_row] * border
    rows.extend(margin + bytes(row).translate(_MODULE_TO_GREY) + margin for row in modules)
    rows.extend([blank_row] * border)
    image = Image.frombytes("L", (side, side), b"".join(rows))
    image = image.convert("1", dither=Image.Dither.NONE)
    if box_size > 1:
        image = image.resize((side * box_size, side * box_size), Image.Resampling.NEAREST)

    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pure_png(modules: list[list[bool]], *, box_size: int = 10, border: int = 4) -> bytes:
    """The 1-bit black-on-white PNG of a module matrix, without Pillow."""
    side = (len(modules) + 2 * border) * box_size
    stride = (side + 7) // 8
    blank = b"\x00" + b"\xff" * stride  # filter byte 0, then white pixels
    lines = [blank] * (border * box_size)
    pad = "1" * (border * box_size)
    tail = "1" * (stride * 8 - side)  # bits past the edge of the last byte
    for row in modules:
        bits = pad + "".join("0" * box_size if dark else "1" * box_size for dark in row)
        line = b"\x00" + int(bits + pad + tail, 2).to_bytes(stride, "big")
        lines.extend([line] * box_size)
    lines.extend([blank] * (border * box_size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(lines), 9))
        + chunk(b"IEND", b"")
    )


def card_png(cred: CardCredential, now: float) -> tuple[str, bytes, float]:
    """The member card at *now*: ``(token, PNG of the token, seconds until it changes)``.

    Draw it again only when the token changes (after the returned seconds).
    """
    token = make_token(cred, now)
    return token, qr_png(token), seconds_to_next(cred, now)


@functools.lru_cache(maxsize=256)
def qr_png_kept(text: str, box_size: int = 10) -> bytes:
    """`qr_png` for a code that does not change (a voucher, a referral link): made once,
    then kept, so a screen drawn again does not paint every QR again."""
    return qr_png(text, box_size=box_size)
