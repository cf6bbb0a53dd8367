"""The error-box check of the browser harness (tests/support/browser.py) on drawn images.

The real thing, a control whose build throws in Chromium, is in
tests/integration/browser/test_browser_harness.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.support.browser import ErrorBoxFound, assert_no_error_box, error_boxes, screenshot

ROOT = Path(__file__).resolve().parents[2]
LIGHT = (248, 249, 255)  # Material 3 light background (Flet's default seed)
DARK = (17, 20, 24)


def release_error_box(behind: tuple[int, int, int]) -> tuple[int, int, int]:
    """Color(0xF0C0C0C0) over ``behind``: what Flutter's release ErrorWidget looks like."""
    return tuple(round(192 * 240 / 255 + c * 15 / 255) for c in behind)


def image(background=LIGHT, size=(420, 300)) -> Image.Image:
    return Image.new("RGB", size, background)


def png(im: Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_blend_spans_181_to_196():
    assert release_error_box((255, 255, 255)) == (196, 196, 196)
    assert release_error_box((0, 0, 0)) == (181, 181, 181)
    assert release_error_box((255, 193, 7)) == (196, 192, 181)  # seen in Chromium over amber


@pytest.mark.parametrize("behind", [LIGHT, DARK, (255, 193, 7)], ids=["light", "dark", "amber"])
def test_finds_a_box_over_any_background(behind):
    im = image(behind)
    ImageDraw.Draw(im).rectangle((30, 50, 229, 149), fill=release_error_box(behind))
    (box,) = error_boxes(png(im))
    assert (box.x, box.y, box.width, box.height) == (30, 50, 200, 100)
    assert box.colour == release_error_box(behind)


def test_antialiased_edges_and_text_drawn_over_it():
    im = image()
    draw = ImageDraw.Draw(im)
    grey = release_error_box(LIGHT)
    draw.rectangle((20, 20, 300, 200), fill=grey)
    half = tuple((a + b) // 2 for a, b in zip(grey, LIGHT, strict=True))
    draw.rectangle((19, 19, 301, 19), fill=half)  # a half-covered pixel row and column
    draw.rectangle((19, 19, 19, 201), fill=half)
    draw.text((60, 80), "Another control painted here", fill=(25, 28, 32))
    boxes = error_boxes(im)
    assert boxes, "a box with text over it"
    top = min(boxes, key=lambda b: b.y)
    assert (top.x, top.y) == (20, 20)
    assert max(b.y + b.height for b in boxes) == 201


def test_small_or_thin_greys_are_not_boxes():
    im = image()
    draw = ImageDraw.Draw(im)
    grey = release_error_box(LIGHT)
    draw.rectangle((10, 10, 48, 40), fill=grey)  # 39 px wide
    draw.rectangle((100, 10, 200, 28), fill=grey)  # 19 px high
    draw.rectangle((10, 100, 400, 100), fill=grey)  # a divider
    draw.ellipse((250, 100, 274, 124), fill=grey)  # an icon
    draw.text((10, 150), "grey text " * 5, fill=grey)
    assert error_boxes(im) == []
    draw.rectangle((300, 200, 339, 219), fill=grey)  # exactly 40 x 20
    assert [(b.width, b.height) for b in error_boxes(im)] == [(40, 20)]


@pytest.mark.parametrize(
    "fill",
    [
        LIGHT,
        DARK,
        (236, 238, 244),  # surface container highest, light
        (50, 53, 57),  # surface container highest, dark
        (225, 226, 232),  # disabled filled button, light (on-surface at 12 %)
        (46, 49, 53),  # disabled filled button, dark
        (211, 228, 248),  # progress track / secondary container, light
        (115, 119, 127),  # outline
        (160, 160, 160),
        (205, 205, 205),
    ],
)
def test_material_surfaces_are_not_boxes(fill):
    im = image((255, 255, 255))
    ImageDraw.Draw(im).rectangle((20, 20, 300, 200), fill=fill)
    assert error_boxes(im) == []


def test_a_grey_gradient_or_noise_is_not_flat():
    im = image()
    for x in range(20, 300):  # 180..197 across, 0.06 a px: changes every ~16 px, flat between
        ImageDraw.Draw(im).line((x, 20, x, 200), fill=(180 + (x * 7) % 18,) * 3)
    assert error_boxes(im) == []


def test_assert_no_error_box_names_the_place_and_keeps_the_png(tmp_path):
    clean = image()
    assert_no_error_box(png(clean), where="the clean screen")  # no exception

    im = image(size=(420, 860))  # the committed Rewards screenshot's box, redrawn
    ImageDraw.Draw(im).rectangle((16, 108, 402, 762), fill=release_error_box(LIGHT))
    shot = tmp_path / "rewards.png"
    with pytest.raises(ErrorBoxFound) as found:
        assert_no_error_box(png(im), where="the rewards screen", path=shot)
    message = str(found.value)
    assert "the rewards screen" in message
    assert "387x655 px at x=16, y=108" in message
    assert f"screenshot kept at {shot}" in message
    assert Image.open(shot).size == im.size

    with pytest.raises(ErrorBoxFound) as again:  # no path: a temporary file, named
        assert_no_error_box(im)
    assert Path(again.value.path).is_file()
    Path(again.value.path).unlink()


# Taken before the check existed, these show the Rewards screen's bug: its title Row is
# wrap=True with an expand=True spacer (Flutter's Expanded outside a Flex throws in build), so
# everything below the title is one grey box 387x655 px at x=16, y=108. Strict: once the
# screen is fixed and the screenshots retaken, this list must be emptied.
KNOWN_BROKEN: set[str] = set()


def committed_screenshots() -> list:
    return [
        pytest.param(
            path,
            id=str(path.relative_to(ROOT / "docs")),
            marks=[pytest.mark.xfail(raises=ErrorBoxFound, strict=True, reason="Rewards bug")]
            if path.name in KNOWN_BROKEN and path.parent.name == "screenshots"
            else [],
        )
        for path in sorted((ROOT / "docs" / "screenshots").rglob("*.png"))
    ]


@pytest.mark.parametrize("path", committed_screenshots())
def test_committed_screenshots(path):
    """The README's screenshots, taken from the real screens in Chromium (member app in two
    languages, kiosk in three), hold no error box."""
    assert_no_error_box(path, where=str(path.relative_to(ROOT)))


class FramesPage:
    """Stands in for a Playwright page whose screenshots are the given frames, one per call
    (the last one repeats): the timing of a fade cannot be pinned in a real browser."""

    url = "http://127.0.0.1/vouchers"

    def __init__(self, *frames: bytes) -> None:
        self.frames = list(frames)
        self.taken = 0

    def screenshot(self, path=None, **kwargs) -> bytes:
        frame = self.frames[min(self.taken, len(self.frames) - 1)]
        self.taken += 1
        if path is not None:
            Path(path).write_bytes(frame)
        return frame


def fading_barrier() -> list[bytes]:
    """A dialog's barrier fading out over a light page: flat greys of the error box's range
    for a few frames, then the page."""
    frames = []
    for grey in (188, 205, 230, 248):
        im = image()
        ImageDraw.Draw(im).rectangle((0, 56, 419, 299), fill=(grey, grey + 3, grey + 6))
        frames.append(png(im))
    return frames + [png(image())]


def test_a_fading_dialog_barrier_is_judged_once_it_has_settled(tmp_path):
    frames = fading_barrier()
    assert error_boxes(frames[0])  # the first frame alone looks like an error box
    page = FramesPage(*frames)
    shot = tmp_path / "redeem.png"
    assert screenshot(page, shot) == frames[-1]
    assert shot.read_bytes() == frames[-1]  # the settled picture is the one kept


def test_an_error_box_that_stays_is_reported_after_settling(tmp_path):
    im = image()
    ImageDraw.Draw(im).rectangle((0, 56, 419, 299), fill=release_error_box(LIGHT))
    page = FramesPage(png(im))
    with pytest.raises(ErrorBoxFound) as found:
        screenshot(page, tmp_path / "broken.png")
    assert found.value.path == str(tmp_path / "broken.png")
    assert page.taken >= 2  # looked again before saying so
