"""A camera for Chromium to show: a Y4M video of a QR code, played by
``--use-file-for-fake-video-capture`` as if a webcam were looking at it."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image

FAKE_CAMERA_ARGS = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")


def qr_scene(text: str, size: tuple[int, int] = (640, 480), shift: int = 0) -> Image.Image:
    """A counter-top seen by the camera: a phone's QR code a little off-centre."""
    scene = Image.new("RGB", size, (176, 160, 140))
    code = qrcode.make(text, box_size=7, border=4).get_image().convert("RGB")
    scene.paste(code, ((size[0] - code.width) // 2 + shift, (size[1] - code.height) // 2))
    return scene


def _planes(image: Image.Image) -> bytes:
    """One 4:2:0 frame: full-size luma, then the two chroma planes at half size each way."""
    y, cb, cr = image.convert("YCbCr").split()
    half = (image.width // 2, image.height // 2)
    return (
        y.tobytes()
        + cb.resize(half, Image.Resampling.BOX).tobytes()
        + cr.resize(half, Image.Resampling.BOX).tobytes()
    )


def write_y4m(path: Path, frames: list[Image.Image], fps: int = 10) -> Path:
    width, height = frames[0].size
    assert width % 2 == 0 and height % 2 == 0
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            out.write(b"FRAME\n" + _planes(frame))
    return path


def qr_video(path: Path, text: str) -> Path:
    """A second of video (Chromium loops it) with the code moving slightly, as in a hand."""
    return write_y4m(path, [qr_scene(text, shift=(n % 5 - 2) * 3) for n in range(10)])


def camera_args(video: Path) -> tuple[str, ...]:
    return (*FAKE_CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}")
