"""Draws the Harbor Coffee app icon and splash image that `flet build` picks up from assets/.

    .venv/bin/python build_config/make_icons.py

- assets/icon.png   1024x1024, opaque (no alpha: the App Store rejects it): a white coffee cup
  with a harbour wave across it and rising steam, on deep harbour blue #0B4F6C. The artwork
  stays inside the central 60 %, so Android's adaptive-icon masks never clip it.
- assets/splash.png 1024x1024, transparent: the same cup in white; flet centres it on the
  splash colour set in [tool.flet.splash] (pyproject.toml).
- assets/icons/loading-animation.png 512x512, the icon cut to a round badge: the web client
  shows it while it loads (`main.py --web`), in place of Flet's own picture, because files in
  the assets folder take precedence over the web client's.

Drawn 4x larger and scaled down for smooth edges. Only Pillow is needed; the output is
deterministic, so re-running it leaves the committed files unchanged.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"
SIZE = 1024
SUPERSAMPLE = 4
HARBOUR_BLUE = (0x0B, 0x4F, 0x6C)
WHITE = (255, 255, 255)
LOADING = "icons/loading-animation.png"
LOADING_SIZE = 512


def _wave(x0: float, x1: float, y: float, amplitude: float, periods: float) -> list[tuple]:
    steps = 64
    return [
        (
            x0 + (x1 - x0) * i / steps,
            y + amplitude * math.sin(2 * math.pi * periods * i / steps),
        )
        for i in range(steps + 1)
    ]


def draw_cup(draw: ImageDraw.ImageDraw, ink, hole, scale: float) -> None:
    """The cup motif on a 1024 grid (scaled): ``ink`` for the cup, ``hole`` for cut-outs."""

    def s(*values: float) -> list[float]:
        return [v * scale for v in values]

    def line(points, width: float) -> None:
        pts = [(x * scale, y * scale) for x, y in points]
        draw.line(pts, fill=ink, width=round(width * scale), joint="curve")
        r = width * scale / 2  # round caps
        for x, y in (pts[0], pts[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)

    # Handle: a thick ring on the right, half hidden behind the cup.
    draw.ellipse(s(606, 470, 766, 630), outline=ink, width=round(44 * scale))
    # Cup body: flat rim, rounded bottom.
    draw.rounded_rectangle(
        s(282, 420, 682, 744), radius=120 * scale, fill=ink, corners=(False, False, True, True)
    )
    # The harbour: a wave cut across the cup.
    for y in (540, 600):
        wave = [(x * scale, y_ * scale) for x, y_ in _wave(318, 646, y, 14, 1.5)]
        draw.line(wave, fill=hole, width=round(22 * scale), joint="curve")
    # Saucer.
    draw.rounded_rectangle(s(222, 770, 802, 814), radius=22 * scale, fill=ink)
    # Steam: three soft S-curves above the rim.
    for x in (392, 482, 572):
        curve = [(x + 16 * math.sin(math.pi * 2 * t / 32), 380 - t * 4) for t in range(33)]
        line(curve, 26)


def render(background, ink, hole) -> Image.Image:
    big = SIZE * SUPERSAMPLE
    mode = "RGB" if len(background) == 3 else "RGBA"
    image = Image.new(mode, (big, big), background)
    draw_cup(ImageDraw.Draw(image), ink, hole, SUPERSAMPLE)
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    icon = render(HARBOUR_BLUE, WHITE, HARBOUR_BLUE)
    icon.save(ASSETS / "icon.png", optimize=True)
    clear = (*HARBOUR_BLUE, 0)  # transparent, blue-tinted so scaled edges stay clean
    splash = render(clear, (*WHITE, 255), clear)
    splash.save(ASSETS / "splash.png", optimize=True)
    (ASSETS / "icons").mkdir(exist_ok=True)
    badge = Image.new("L", (SIZE * SUPERSAMPLE,) * 2, 0)
    ImageDraw.Draw(badge).ellipse((0, 0, SIZE * SUPERSAMPLE - 1, SIZE * SUPERSAMPLE - 1), fill=255)
    loading = icon.convert("RGBA")
    loading.putalpha(badge.resize((SIZE, SIZE), Image.Resampling.LANCZOS))
    loading.resize((LOADING_SIZE, LOADING_SIZE), Image.Resampling.LANCZOS).save(
        ASSETS / LOADING, optimize=True
    )
    for name in ("icon.png", "splash.png", LOADING):
        path = ASSETS / name
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
