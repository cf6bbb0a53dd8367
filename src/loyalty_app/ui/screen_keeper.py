"""While the card is shown full screen: keep the screen on and at full brightness, with
Flet's own services, and quietly do nothing where the device or browser cannot.

`Wakelock` works in the browser (the Screen Wake Lock API); `ScreenBrightness` exists only on
Android and iOS (constructing it elsewhere would make every later page update fail)."""

from __future__ import annotations

import asyncio
import logging

import flet as ft

log = logging.getLogger("loyalty_app.ui")

_TIMEOUT = 3.0


class ScreenKeeper:
    """Created once per page (in a component's state) so its services register once."""

    def __init__(self, page: ft.Page) -> None:
        self._wakelock = ft.Wakelock()
        mobile = not page.web and page.platform is not None and page.platform.is_mobile()
        self._brightness = ft.ScreenBrightness() if mobile else None
        self._on = False  # what the device does by itself until the card goes full screen

    async def hold(self, on: bool) -> None:
        """On: stay awake at full brightness; off: back to what the device does by itself.
        Only a change is sent: the card screen's first draw asked the browser to release a
        wake lock it never held, a round trip while the client was building the screen."""
        if on == self._on:
            return
        self._on = on
        await _quietly(self._wakelock.enable() if on else self._wakelock.disable(), "wakelock")
        if self._brightness is not None:
            brightness = self._brightness
            call = (
                brightness.set_application_screen_brightness(1.0)
                if on
                else brightness.reset_application_screen_brightness()
            )
            await _quietly(call, "screen brightness")


async def _quietly(call, what: str) -> None:
    try:
        await asyncio.wait_for(call, _TIMEOUT)
    except Exception as exc:  # unsupported here, refused, or no answer: the card still shows
        log.info("%s not available: %s", what, exc)
