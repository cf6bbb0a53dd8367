"""Small shared pieces: translated text, the sync note, labelled buttons, empty states."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import flet as ft

from ..i18n import fmt_datetime, problem_text, t
from .context import use_app
from .state import AppState, Notice


def heading(text: str) -> ft.Text:
    return ft.Text(text, size=24, weight=ft.FontWeight.BOLD)


def labelled_button(
    label: str,
    on_click: Callable,
    *,
    icon: ft.IconData | None = None,
    filled: bool = False,
    key: str | None = None,
    disabled: bool = False,
) -> ft.Control:
    """A button with one accessible name (see FLET_PATTERNS 7), its label; no tooltip, which
    would only repeat the label."""
    cls = ft.FilledButton if filled else ft.OutlinedButton
    return cls(label, icon=icon, on_click=on_click, key=key, disabled=disabled)


def back_button(lang: str, route: str) -> ft.Control:
    """Back to the page this one was opened from (`route`)."""
    return labelled_button(
        t(lang, "rewards.back"),
        lambda: ft.context.page.navigate(route),
        icon=ft.Icons.ARROW_BACK,
        key="back",
    )


def titled(lang: str, title: str, back_to: str) -> ft.Control:
    """A page's heading with Back (to `back_to`) at its end."""
    return ft.Row([heading(title), ft.Container(expand=True), back_button(lang, back_to)])


def icon_button(
    icon: ft.IconData,
    label: str,
    on_click: Callable,
    *,
    key: str | None = None,
    disabled: bool = False,
) -> ft.Control:
    """An icon button that screen readers (and tests) find as a button with a name."""
    return ft.MergeSemantics(
        ft.Semantics(
            label=label,
            button=True,
            content=ft.IconButton(
                icon, tooltip=label, on_click=on_click, key=key, disabled=disabled
            ),
        )
    )


def sync_note(app: AppState) -> ft.Control:
    """Honest about freshness: offline with the last sync time, or syncing, or up to date."""
    when = fmt_datetime(app.lang, app.last_synced.astimezone()) if app.last_synced else None
    if app.syncing:
        text, icon = t(app.lang, "sync.syncing"), ft.Icons.SYNC
    elif app.sync_error == "signed_out":
        text, icon = t(app.lang, "sync.signed_out"), ft.Icons.LOCK_CLOCK
    elif app.sync_error == "session-expired":
        text, icon = problem_text(app.lang, "session-expired"), ft.Icons.LOCK_CLOCK
    elif app.connectivity == "offline":
        text = t(app.lang, "sync.offline", when=when) if when else t(app.lang, "sync.offline_never")
        icon = ft.Icons.CLOUD_OFF
    elif app.last_synced and (datetime.now(UTC) - app.last_synced).total_seconds() > 600:
        text, icon = t(app.lang, "sync.stale", when=when), ft.Icons.HISTORY
    else:
        text, icon = t(app.lang, "sync.online"), ft.Icons.CLOUD_DONE
    return ft.Row(
        [
            ft.Icon(icon, size=16),
            ft.Text(text, size=13, key="sync-note", expand=True),
            *(
                [
                    labelled_button(
                        t(app.lang, "sync.sign_in_again"),
                        _signer_in(app),
                        icon=ft.Icons.LOGIN,
                        key="sign-in-again",
                    )
                ]
                if app.sync_error in ("signed_out", "session-expired")
                else []
            ),
            ft.ProgressRing(
                width=16,
                height=16,
                visible=app.syncing,
                semantics_label=t(app.lang, "sync.syncing"),
            ),
            icon_button(
                ft.Icons.REFRESH,
                t(app.lang, "sync.refresh"),
                _refresher(app),
                key="refresh",
                disabled=app.syncing,
            ),
        ]
    )


def _signer_in(app: AppState) -> Callable:
    async def sign_in_again() -> None:
        await app.sign_in_again()

    return sign_in_again


def _refresher(app: AppState) -> Callable:
    # Flet awaits an async handler; a lambda returning a coroutine would never run.
    async def refresh() -> None:
        await app.refresh("manual")

    return refresh


def confirm_dialog(
    page: ft.Page,
    *,
    title: str,
    body: str,
    cancel: str,
    confirm: str,
    on_confirm: Callable,
    key: str,
    working: Callable[[], str] | None = None,
) -> None:
    """A modal question with Cancel and a filled confirm button (keys ``cancel-<key>`` and
    ``confirm-<key>``); `on_confirm` closes it itself (``page.pop_dialog()``).

    `working`: what the confirm does, said in the dialog itself the moment it is tapped (a
    ring and that text, both buttons off) and sent before `on_confirm` runs. A message shown
    behind the dialog would only be read once the dialog has faded out: until then Flutter
    keeps what is behind a modal dialog out of the accessibility tree."""
    dialog = ft.AlertDialog(modal=True, title=ft.Text(title), content=ft.Text(body))

    async def confirmed(e: ft.Event) -> None:
        if working is not None:
            # A column, not a row: the text wraps at the dialog's width on a phone.
            dialog.content = ft.Column(
                [
                    ft.ProgressRing(width=24, height=24, stroke_width=3),
                    ft.Text(working(), text_align=ft.TextAlign.CENTER),
                ],
                key=f"working-{key}",
                tight=True,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            )
            for action in dialog.actions:
                action.disabled = True
            dialog.update()
            await asyncio.sleep(0)  # the change leaves before anything else the tap does
        done = on_confirm()
        if asyncio.iscoroutine(done):
            await done

    dialog.actions = [
        ft.TextButton(cancel, on_click=lambda: page.pop_dialog(), key=f"cancel-{key}"),
        ft.FilledButton(confirm, on_click=confirmed, key=f"confirm-{key}"),
    ]
    page.show_dialog(dialog)


def empty_state(text: str, icon: ft.IconData = ft.Icons.INFO_OUTLINE) -> ft.Control:
    return ft.Container(
        ft.Column(
            [ft.Icon(icon, size=40), ft.Text(text, text_align=ft.TextAlign.CENTER)],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        padding=24,
        alignment=ft.Alignment.CENTER,
    )


@ft.component
def NoticeBar() -> ft.Control:
    """The notice line (a snackbar that stays in the layout): it goes after its time, when the
    member goes to another tab, and (state) on a language change or sign-out."""
    app = use_app()
    location = ft.use_route_location()
    # Subscribed to the notice itself: a notice redraws this bar, not the screens.
    notices, _ = ft.use_state(lambda: app.notices if app is not None else Notice())

    def moved() -> None:
        if app is not None:
            app.navigated(location)

    async def timer() -> None:
        left = app.notice_left() if app is not None else None
        if left is None:
            return
        await asyncio.sleep(left)  # a timer, not a wait for something else
        app.expire_notice()

    ft.use_effect(moved, dependencies=[location])
    ft.use_effect(timer, dependencies=[notices.serial], cleanup=lambda: None)
    if app is None:
        return ft.Container()
    lang = app.lang
    return ft.Container(
        ft.Row(
            [
                ft.Text(
                    notice_text(lang, notices.key, notices.values),
                    expand=True,
                    key="notice",
                ),
                icon_button(
                    ft.Icons.CLOSE,
                    t(lang, "vouchers.dismiss"),
                    app.clear_notice,
                    key="dismiss-notice",
                ),
            ]
        ),
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
        padding=ft.Padding.symmetric(horizontal=12),
        border_radius=8,
        visible=bool(notices.key),
    )


def notice_text(lang: str, key: str | None, values: dict) -> str:
    """A notice in the language shown now; a `problem` value is a slug to translate."""
    if not key:
        return ""
    values = dict(values)
    if "problem" in values:
        values["reason"] = problem_text(lang, values.pop("problem"))
    return t(lang, key, **values)
