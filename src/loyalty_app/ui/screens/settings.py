"""Settings: language, theme, who is signed in to which shop, sign-out (confirmed), the
member's signed-in devices, and about (the version; the server's address in small print, for
whoever helps the member)."""

from __future__ import annotations

import flet as ft

from ... import __version__
from ...domain.models import Device
from ...i18n import LANGUAGES, fmt_datetime, problem_text, t
from ..context import use_app
from ..fonts import LANGUAGE_NAMES_FONT, name_style
from ..pictures import logo, shop_name, use_pictures
from ..state import AppState
from ..widgets import confirm_dialog, icon_button, labelled_button, titled


@ft.component
def SettingsPage() -> ft.Control:
    app = use_app()
    images = use_pictures()
    if app is None:
        return ft.Container()
    lang = app.lang

    page = ft.context.page
    shop = shop_name(app.programme, lang)

    async def sign_out() -> None:
        page.pop_dialog()
        await app.sign_out()
        page.navigate("/")

    async def reminders(e: ft.Event) -> None:
        await app.set_email_reminders(bool(e.control.value))

    def ask_sign_out() -> None:
        confirm_dialog(
            page,
            title=t(lang, "settings.sign_out.confirm_title", shop=shop),
            body=t(lang, "settings.sign_out.confirm_body"),
            cancel=t(lang, "settings.devices.cancel"),
            confirm=t(lang, "settings.sign_out"),
            on_confirm=sign_out,
            key="sign-out",
        )

    return ft.Column(
        [
            titled(lang, t(lang, "settings.title"), "/account"),
            ft.Text(t(lang, "settings.language"), size=13),
            ft.SegmentedButton(
                selected=[lang],
                key="language",
                segments=[
                    ft.Segment(value=k, label=ft.Text(v, font_family=LANGUAGE_NAMES_FONT))
                    for k, v in LANGUAGES.items()
                ],
                on_change=lambda e: app.set_language(
                    e.control.selected[0] if e.control.selected else lang
                ),
            ),
            ft.Text(t(lang, "settings.theme"), size=13),
            ft.SegmentedButton(
                selected=[app.theme],
                key="theme",
                segments=[
                    ft.Segment(value=v, label=ft.Text(t(lang, f"settings.theme.{v}")))
                    for v in ("system", "light", "dark")
                ],
                on_change=lambda e: app.set_theme(
                    e.control.selected[0] if e.control.selected else "system"
                ),
            ),
            ft.Switch(
                label=t(lang, "settings.reminders"),
                value=app.email_reminders(),
                on_change=reminders,
                key="email-reminders",
            ),
            ft.Row(
                [
                    logo(images, app.programme, lang, size=32),
                    ft.Column(
                        [
                            ft.Text(shop, weight=ft.FontWeight.BOLD),
                            ft.Text(
                                t(
                                    lang,
                                    "settings.signed_in_as",
                                    name=app.me.name if app.me else "",
                                ),
                                style=name_style(lang),
                                size=13,
                                visible=app.me is not None,
                            ),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                ],
                spacing=12,
            ),
            labelled_button(
                t(lang, "settings.sign_out"), ask_sign_out, icon=ft.Icons.LOGOUT, key="sign-out"
            ),
            ft.Divider(),
            DevicesSection(),
            ft.Divider(),
            ft.Text(t(lang, "settings.about"), weight=ft.FontWeight.BOLD),
            ft.Text(t(lang, "settings.version", version=__version__)),
            ft.Text(
                f"{t(lang, 'settings.backend')} · {app.session.backend_url}",
                size=11,
                key="backend-url",
            ),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=12,
    )


@ft.component
def DevicesSection() -> ft.Control:
    """The member's signed-in devices, asked of the server when Settings opens (online only)."""
    app = use_app()

    async def load() -> None:
        if app is not None:
            await app.load_devices()

    ft.use_effect(load, dependencies=[], cleanup=lambda: None)
    if app is None:
        return ft.Container()
    lang = app.lang

    async def reload() -> None:
        await app.load_devices()

    if app.devices_status == "offline":
        body: list[ft.Control] = [ft.Text(t(lang, "settings.devices.offline"), key="devices-note")]
    elif app.devices_status == "failed":
        body = [ft.Text(problem_text(lang, app.devices_error), key="devices-note")]
    elif app.devices_status == "loading" and not app.devices:
        body = [ft.ProgressRing(width=24, height=24, semantics_label=t(lang, "sync.syncing"))]
    else:
        body = [_device_row(app, d) for d in app.devices]
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Text(t(lang, "settings.devices"), weight=ft.FontWeight.BOLD, expand=True),
                    icon_button(
                        ft.Icons.REFRESH,
                        t(lang, "settings.devices.reload"),
                        reload,
                        key="devices-reload",
                        disabled=app.devices_status == "loading",
                    ),
                ]
            ),
            *body,
        ],
        spacing=8,
        key="devices",
    )


def _device_row(app: AppState, device: Device) -> ft.Control:
    lang = app.lang
    name = device.name or t(lang, "settings.devices.unnamed")
    seen = t(
        lang,
        "settings.devices.last_seen",
        when=fmt_datetime(lang, device.last_seen_at.astimezone()),
    )
    if device.current:
        end: ft.Control = ft.Container(
            ft.Text(t(lang, "settings.devices.this_device"), size=12),
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=8, vertical=2),
            border_radius=8,
        )
    else:
        end = labelled_button(
            t(lang, "settings.devices.sign_out"),
            lambda: _confirm_sign_out(app, device, name),
            icon=ft.Icons.LOGOUT,
            key=f"device-sign-out-{device.id}",
        )
    return ft.Row(
        [
            ft.Icon(ft.Icons.SMARTPHONE if device.current else ft.Icons.DEVICES),
            ft.Column(
                [ft.Text(name, weight=ft.FontWeight.W_500), ft.Text(seen, size=12)],
                spacing=2,
                expand=True,
            ),
            end,
        ],
        key=f"device-{device.id}",
    )


def _confirm_sign_out(app: AppState, device: Device, name: str) -> None:
    page = ft.context.page
    lang = app.lang

    async def confirmed() -> None:
        page.pop_dialog()
        await app.sign_out_device(device.id)

    confirm_dialog(
        page,
        title=t(lang, "settings.devices.confirm_title", name=name),
        body=t(lang, "settings.devices.confirm_body"),
        cancel=t(lang, "settings.devices.cancel"),
        confirm=t(lang, "settings.devices.confirm"),
        on_confirm=confirmed,
        key="device-sign-out",
    )
