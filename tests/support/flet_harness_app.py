"""A tiny Flet web app that the browser harness's self-test drives.

    python tests/support/flet_harness_app.py --web --host 127.0.0.1 --port N --data-dir DIR \
        [--font FILE] [--qr TEXT]

It takes the same options as the member app's main.py (so AppProcess starts it the same way)
and shows a heading in Chinese, a button ("Show QR code") and, once the button is clicked,
a QR code image of TEXT. A second button ("Show broken row") adds a row whose build throws in
Flutter (an `expand` child in a wrapping Row, the Rewards screen's bug): the release web client
draws its grey error box there while the row's text stays in the accessibility tree.
With --font the heading is drawn in that font (bundled as an asset and set as the theme
font, as the real app does); without it Flet's web client has no CJK font and draws empty
boxes. Served on 127.0.0.1 only, without any CDN.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
from pathlib import Path

import flet as ft
import qrcode

HEADING = "港湾咖啡 会员卡"
FONT_FAMILY = "HarnessCJK"


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def build_main(qr_text: str, with_font: bool):
    def main(page: ft.Page) -> None:
        page.title = "Browser harness"
        if with_font:
            page.fonts = {FONT_FAMILY: "fonts/harness-cjk.otf"}
            page.theme = ft.Theme(font_family=FONT_FAMILY)
        qr_slot = ft.Container(key="qr-slot", width=240, height=240)
        status = ft.Text("QR hidden", key="status")

        def show_qr(e) -> None:
            qr_slot.content = ft.Image(
                src=qr_png(qr_text), width=240, height=240, semantics_label="Harness QR code"
            )
            status.value = "QR shown"
            page.update()

        def show_broken_row(e) -> None:
            # Flet makes an expand child Flutter's Expanded, which needs a Flex parent; a
            # wrapping Row is a Wrap, so the build throws (an assertion in debug builds, a
            # cast error in release ones) and Flutter shows an ErrorWidget in its place.
            broken_slot.controls = [
                ft.Row(
                    [ft.Text("Broken row"), ft.Container(expand=True), ft.Text("row end")],
                    wrap=True,
                    key="broken-row",
                )
            ]
            status.value = "Broken row shown"
            page.update()

        broken_slot = ft.Column(key="broken-slot")
        page.add(
            ft.Text(HEADING, key="heading", size=40),
            ft.Row(
                [
                    ft.FilledButton("Show QR code", key="show-qr", on_click=show_qr),
                    ft.OutlinedButton(
                        "Show broken row", key="show-broken", on_click=show_broken_row
                    ),
                ]
            ),
            status,
            broken_slot,
            qr_slot,
        )

    return main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--web", action="store_true", help="accepted; always web mode")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, help="accepted and unused")
    parser.add_argument("--backend", help="accepted and unused")
    parser.add_argument("--font", type=Path, help="a CJK .otf/.ttf to use as the theme font")
    parser.add_argument("--qr", default="HARNESS-QR-0001")
    args = parser.parse_args()

    assets = Path(tempfile.mkdtemp(prefix="flet-harness-assets-"))
    if args.font:
        (assets / "fonts").mkdir()
        shutil.copyfile(args.font, assets / "fonts" / "harness-cjk.otf")
    try:
        ft.run(
            build_main(args.qr, with_font=args.font is not None),
            view=ft.AppView.WEB_BROWSER,
            host=args.host,
            port=args.port,
            assets_dir=str(assets),
            no_cdn=True,
        )
    finally:
        shutil.rmtree(assets, ignore_errors=True)


if __name__ == "__main__":
    main()
