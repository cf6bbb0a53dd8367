"""Sign-in: e-mail → one-time code → signed in; on demo servers, "try the demo"."""

from __future__ import annotations

import flet as ft

from ...domain.invite import invite_code
from ...i18n import problem_text, t
from ..context import use_app
from ..fonts import name_style
from ..pictures import logo, use_pictures
from ..widgets import heading, labelled_button


@ft.component
def SignInPage() -> ft.Control:
    app = use_app()
    lang = app.lang
    email = ft.use_ref(None)
    code = ft.use_ref(None)
    name = ft.use_ref(None)
    referral = ft.use_ref(None)
    images = use_pictures()
    # Opened from a member's invite link (/r/<code>): sign-up starts with that code.
    location = ft.use_route_location()
    invited, _ = ft.use_state(lambda: invite_code(location) or "")
    if app is None:
        return ft.Container()

    def typing(field_name: str):  # noqa: ANN202
        return lambda e: app.typed(field_name, e.control.value or "")

    async def send() -> None:
        await app.request_code(email.current.value or "")

    async def verify() -> None:
        await app.verify(
            code.current.value or "", name.current.value or "", referral.current.value or ""
        )

    async def demo() -> None:
        await app.try_demo()

    brand = app.programme.name.get(lang) or app.programme.name.get("en") if app.programme else ""
    fields: list[ft.Control]
    if not app.code_sent:
        fields = [
            ft.Text(t(lang, "signin.intro")),
            ft.TextField(
                label=t(lang, "signin.email"),
                ref=email,
                value=app.email,
                keyboard_type=ft.KeyboardType.EMAIL,
                autofocus=True,
                key="email",
                on_change=typing("email"),
                on_submit=send,
            ),
            labelled_button(t(lang, "signin.send_code"), send, filled=True, key="send-code"),
        ]
    else:
        fields = [
            ft.Text(t(lang, "signin.code_sent", email=app.email)),
            ft.TextField(
                label=t(lang, "signin.code"),
                ref=code,
                value=app.code,
                autofocus=True,
                key="code",
                keyboard_type=ft.KeyboardType.NUMBER,
                max_length=6,
                on_change=typing("code"),
                on_submit=verify,
            ),
            ft.TextField(
                label=t(lang, "signin.name"),
                text_style=name_style(lang),
                ref=name,
                value=app.name,
                key="name",
                on_change=typing("name"),
            ),
            ft.TextField(
                label=t(lang, "signin.referral"),
                ref=referral,
                # What the member typed, else the code of the invite link that opened the app.
                value=app.referral_code or invited,
                key="referral",
                on_change=typing("referral_code"),
            ),
            ft.Row(
                [
                    labelled_button(t(lang, "signin.verify"), verify, filled=True, key="verify"),
                    ft.TextButton(t(lang, "signin.change_email"), on_click=app.change_email),
                ],
                wrap=True,
            ),
        ]
    return ft.Container(
        ft.Column(
            [
                ft.Row(
                    [
                        logo(images, app.programme, lang, size=64),
                        ft.Text(
                            brand,
                            size=28,
                            weight=ft.FontWeight.BOLD,
                            color=ft.Colors.PRIMARY,
                            expand=True,
                        ),
                    ],
                    spacing=16,
                    visible=app.programme is not None,
                ),
                heading(t(lang, "signin.title")),
                *fields,
                ft.Text(
                    problem_text(lang, app.signin_error) if app.signin_error else "",
                    color=ft.Colors.ERROR,
                    visible=bool(app.signin_error),
                    key="signin-error",
                ),
                ft.Divider(visible=app.demo_available),
                ft.Text(t(lang, "signin.demo_hint"), visible=app.demo_available, size=13),
                ft.Container(
                    labelled_button(
                        t(lang, "signin.demo"), demo, icon=ft.Icons.PLAY_ARROW, key="try-demo"
                    ),
                    visible=app.demo_available,
                ),
            ],
            spacing=12,
            scroll=ft.ScrollMode.AUTO,
        ),
        padding=24,
        width=480,
    )
