"""The camera on the attract screen: its preview, and a picture every few hundred ms read
for a card or voucher QR (kiosk/camera.py decodes and de-duplicates)."""

from __future__ import annotations

import asyncio
import logging
import time

import flet as ft

from ...i18n import t
from ...kiosk.camera import PICTURE_EVERY_SECONDS, decode_picture
from .context import use_kiosk

log = logging.getLogger("loyalty_app.kiosk.camera")


@ft.component
def CameraScanner() -> ft.Control:
    import flet_camera as fc  # the kiosk extra; only imported once staff turned the camera on

    kiosk = use_kiosk()
    status, set_status = ft.use_state("starting")  # starting | on | unavailable
    # A new Camera each render, and the loop always uses the latest one: a control kept
    # across renders loses its place on the page.
    camera = fc.Camera(key="camera", width=400, height=300, preview_enabled=True)
    current = ft.use_ref(None)
    current.current = camera
    task = ft.use_ref(None)
    page = ft.context.page

    async def watch() -> None:
        try:
            cameras = await current.current.get_available_cameras()
            if not cameras:
                raise RuntimeError("no camera found")
            await current.current.initialize(
                cameras[0], fc.ResolutionPreset.MEDIUM, enable_audio=False
            )
        except Exception as exc:  # no camera, permission refused, not a secure page
            log.warning("camera unavailable: %s", exc)
            set_status("unavailable")
            return
        log.info("camera on: %s", cameras[0].name)
        set_status("on")
        while page.session.connection is not None:
            started = time.monotonic()
            if kiosk is None or kiosk.busy or kiosk.staff_open:
                await asyncio.sleep(PICTURE_EVERY_SECONDS)  # not reading while staff work
                continue
            try:
                picture = await current.current.take_picture()
            except Exception as exc:
                log.warning("camera picture failed: %s", exc)
                await asyncio.sleep(1)
                continue
            pictured = time.monotonic()
            texts = await asyncio.to_thread(decode_picture, picture)
            decoded = time.monotonic()
            text = kiosk.camera_seen.new_scan(texts, decoded)
            if text:
                log.info(
                    "camera read a code (%d characters): picture %.0f ms, decode %.0f ms",
                    len(text),
                    (pictured - started) * 1000,
                    (decoded - pictured) * 1000,
                )
                # Shielded: the scan leaves this screen, which ends this loop; not the scan.
                await asyncio.shield(kiosk.camera_scan(text))
            await asyncio.sleep(max(0.0, PICTURE_EVERY_SECONDS - (time.monotonic() - started)))

    def start() -> None:
        task.current = asyncio.create_task(watch())

    def stop() -> None:
        if task.current is not None:
            task.current.cancel()

    ft.use_effect(start, dependencies=[], cleanup=stop)
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    note = {
        "starting": t(lang, "kiosk.camera_starting"),
        "on": t(lang, "kiosk.camera_hint"),
        "unavailable": t(lang, "kiosk.camera_unavailable"),
    }[status]
    return ft.Column(
        [
            ft.Container(
                camera,
                width=400,
                height=300,
                border_radius=12,
                bgcolor=ft.Colors.BLACK,
                visible=status != "unavailable",
            ),
            ft.Text(note, size=18, key="camera-status", text_align=ft.TextAlign.CENTER),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
