"""The kiosk frame: store and connection in the header, one screen at a time, staff
settings behind the PIN, back to the attract screen when idle."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

import flet as ft

from ...i18n import LANGUAGES, t, t_count
from ...kiosk.camera import camera_available
from ...session import KioskSession
from ..fonts import LANGUAGE_NAMES_FONT, font_for, fonts_for, name_style
from ..locales import LOCALES
from .context import KioskCtx, use_kiosk
from .screens import (
    AttractScreen,
    CreditedScreen,
    JoinScreen,
    MemberScreen,
    SetupScreen,
    VoucherScreen,
)
from .screens.common import submit_keeping_focus, use_form
from .state import KioskState

SYNC_EVERY_SECONDS = 20
STAFF_BUTTON = 48  # Material's minimum touch target
SCREENS = {
    "setup": SetupScreen,
    "attract": AttractScreen,
    "member": MemberScreen,
    "credited": CreditedScreen,
    "voucher": VoucherScreen,
    "join": JoinScreen,
    "joined": JoinScreen,
}


def staff_button(label: str, on_click: Callable[[], None]) -> ft.Control:
    """The header's staff button, named for screen readers, with no tooltip: a tooltip's
    coming and going rebuilds the web client's accessibility tree around the whole page,
    which takes the focus out of the field just tapped (the staff PIN lost its digits
    whenever the pointer had rested on this button)."""
    return ft.MergeSemantics(
        ft.Semantics(
            label=label,
            button=True,
            content=ft.IconButton(
                ft.Icons.ADMIN_PANEL_SETTINGS,
                on_click=on_click,
                key="staff",
                width=STAFF_BUTTON,  # drawn 40 px, and so touched, in a desktop browser
                height=STAFF_BUTTON,
            ),
        )
    )


@ft.component
def StaffPanel() -> ft.Control:
    kiosk = use_kiosk()
    form = use_form(kiosk.touch if kiosk else None)
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    if not kiosk.staff_open:
        form.clear()  # a PIN typed once never waits, filled in, for the next person

    async def unlock() -> None:
        if await kiosk.unlock(form.get("pin", "")):
            form.clear()

    async def exit_kiosk() -> None:
        kiosk.phase = "stopped"
        await asyncio.sleep(0.5)
        os._exit(0)  # a kiosk has no other way out: the PIN-holder ends the process

    if not kiosk.staff_unlocked:
        return ft.Row(
            [
                ft.TextField(
                    label=t(lang, "kiosk.staff_pin"),
                    **form.field("pin"),
                    password=True,
                    width=200,
                    key="staff-pin",
                    on_submit=submit_keeping_focus(kiosk, unlock),
                    keyboard_type=ft.KeyboardType.NUMBER,
                ),
                ft.OutlinedButton(
                    t(lang, "kiosk.unlock"),
                    on_click=unlock,
                    key="staff-unlock",
                    height=STAFF_BUTTON,
                ),
            ]
        )
    return ft.Column(
        [
            ft.Text(t(lang, "kiosk.staff_title"), size=20, weight=ft.FontWeight.BOLD),
            # One button a language, the one on screen filled: a segmented button's
            # segments stay 32 px tall in a desktop browser whatever its height or padding.
            ft.Row(
                [
                    (ft.FilledButton if k == lang else ft.OutlinedButton)(
                        v,
                        icon=ft.Icons.CHECK if k == lang else None,
                        key=f"language-{k}",
                        height=STAFF_BUTTON,
                        style=ft.ButtonStyle(
                            text_style=ft.TextStyle(size=16, font_family=LANGUAGE_NAMES_FONT)
                        ),
                        on_click=lambda _, k=k: kiosk.set_language(k),
                    )
                    for k, v in LANGUAGES.items()
                ],
                key="kiosk-language",
                wrap=True,
            ),
            ft.Switch(
                label=t(lang, "kiosk.camera_setting"),
                value=kiosk.camera,
                key="camera-switch",
                height=STAFF_BUTTON,
                visible=camera_available(),
                on_change=lambda e: kiosk.set_camera(bool(e.control.value)),
            ),
            ft.Row(
                [
                    ft.OutlinedButton(
                        t(lang, "kiosk.sync_now"),
                        on_click=kiosk.sync,
                        key="sync-now",
                        height=STAFF_BUTTON,
                    ),
                    ft.OutlinedButton(
                        t(lang, "kiosk.reset_setup"),
                        key="reset-setup",
                        height=STAFF_BUTTON,
                        on_click=lambda: setattr(kiosk, "phase", "setup"),
                    ),
                    ft.OutlinedButton(
                        t(lang, "kiosk.exit"), on_click=exit_kiosk, key="exit", height=STAFF_BUTTON
                    ),
                    ft.FilledButton(
                        t(lang, "kiosk.lock"), on_click=kiosk.lock, key="lock", height=STAFF_BUTTON
                    ),
                ],
                wrap=True,
            ),
        ]
    )


@ft.component
def KioskFrame() -> ft.Control:
    kiosk = use_kiosk()
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    if kiosk.phase == "stopped":
        return ft.Text(t(lang, "kiosk.stopped"), size=24)
    mode = t(lang, "kiosk.checkout" if kiosk.mode == "checkout" else "kiosk.self_service")
    offline = kiosk.connectivity == "offline"
    status = (
        t_count(lang, "kiosk.offline", kiosk.pending, pending=kiosk.pending)
        if offline and kiosk.pending
        else t(lang, "kiosk.offline_none")
        if offline
        else t_count(lang, "kiosk.pending", kiosk.pending, pending=kiosk.pending)
        if kiosk.pending
        else t(lang, "kiosk.online")
    )
    screen = SCREENS.get(kiosk.phase)
    header = ft.Row(
        [
            ft.Text(mode, size=18, weight=ft.FontWeight.BOLD),
            ft.Text(
                t(lang, "kiosk.store", store=kiosk.store_name),
                style=name_style(lang),  # the owner names the store: 港湾咖啡 7 号码头
                visible=bool(kiosk.store_name),
                key="kiosk-store",
            ),
            ft.Container(expand=True),
            ft.Icon(ft.Icons.CLOUD_OFF if offline else ft.Icons.CLOUD_DONE, size=18),
            ft.Text(status, key="kiosk-status"),
            staff_button(t(lang, "kiosk.staff"), kiosk.toggle_staff),
        ]
    )
    body = screen() if screen else ft.ProgressRing()
    return ft.Column(
        [
            header,
            ft.Container(
                StaffPanel(),
                visible=kiosk.staff_open,
                padding=10,
                bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH,
                border_radius=10,
            ),
            ft.Divider(),
            ft.Container(body, expand=True, alignment=ft.Alignment.TOP_CENTER),
        ],
        expand=True,
    )


@ft.component
def KioskApp(
    session: KioskSession, mode: str, lang: str, idle_seconds: float, brand_colour: str
) -> ft.Control:
    kiosk, _ = ft.use_state(
        lambda: KioskState(session=session, mode=mode, lang=lang, idle_seconds=idle_seconds)
    )
    page = ft.context.page

    async def run() -> None:
        await kiosk.start()
        ticks = 0
        while True:
            await asyncio.sleep(1)
            ticks += 1
            if page.session.connection is None:
                continue
            kiosk.idle_check()
            if ticks % SYNC_EVERY_SECONDS == 0 and kiosk.phase not in ("setup", "loading"):
                await kiosk.sync()

    ft.use_effect(run, dependencies=[], cleanup=lambda: None)

    async def lockdown() -> None:
        try:
            await ft.BrowserContextMenu().disable()
            await ft.Wakelock().enable()
        except Exception:  # not every platform has these; the kiosk works without
            pass

    ft.use_effect(lockdown, dependencies=[], cleanup=lambda: None)

    def listen_to_keys() -> None:
        # Every key, whatever has the focus: the amount at the till is built from these
        # (kiosk/amount_entry.py says why a focused text field is not enough).
        async def on_key(e: ft.KeyboardEvent) -> None:
            await kiosk.key_pressed(e.key, modified=e.ctrl or e.alt or e.meta)

        page.on_keyboard_event = on_key

    ft.use_effect(listen_to_keys, dependencies=[])

    def apply_language() -> None:
        # The page's font follows the language on screen: a switch to Chinese in the staff
        # panel must bring the CJK subset with it, or every Chinese string is a box.
        font = font_for(kiosk.lang)
        # The names font always: a kiosk loads it once over the shop's network, and members
        # join there with names in Chinese whatever the kiosk's language.
        page.fonts = fonts_for(kiosk.lang, names=True)
        page.theme = ft.Theme(color_scheme_seed=brand_colour, font_family=font)
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=list(LOCALES.values()), current_locale=LOCALES[kiosk.lang]
        )

    ft.use_effect(apply_language, dependencies=[kiosk.lang])
    return KioskCtx(kiosk, lambda: ft.Container(KioskFrame(), padding=20, expand=True))
