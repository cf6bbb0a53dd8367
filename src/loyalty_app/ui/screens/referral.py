"""Referral: the member's link and code, copy, share, a QR of the link, and stats."""

from __future__ import annotations

import flet as ft

from ...card.render import qr_png_kept
from ...i18n import fmt_number, t
from ..context import use_app
from ..widgets import empty_state, heading, labelled_button, sync_note


@ft.component
def ReferralPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang, ref = app.lang, app.referral
    if ref is None:
        return ft.Column([sync_note(app), empty_state(t(lang, "sync.offline_never"))])

    async def copy() -> None:
        await ft.Clipboard().set(ref.link)
        app.say("referral.copied")

    async def share() -> None:
        try:
            await ft.Share().share_text(ref.link, subject=t(lang, "referral.title"))
        except Exception:  # no share sheet here (desktop web): copying is the fallback
            await copy()

    s = ref.stats
    return ft.Column(
        [
            sync_note(app),
            heading(t(lang, "referral.title")),
            ft.Text(
                t(
                    lang,
                    "referral.pitch",
                    referee=fmt_number(lang, ref.referee_points),
                    referrer=fmt_number(lang, ref.referrer_points),
                )
            ),
            ft.Text(t(lang, "referral.code"), size=13),
            # Not selectable (Copy and Share are the buttons below): a selectable text is
            # hidden from screen readers in Flet's web client.
            ft.Text(ref.code, size=30, weight=ft.FontWeight.BOLD, key="referral-code"),
            ft.Text(ref.link, key="referral-link"),
            ft.Row(
                [
                    labelled_button(
                        t(lang, "referral.copy"), copy, icon=ft.Icons.COPY, key="copy-link"
                    ),
                    labelled_button(
                        t(lang, "referral.share"),
                        share,
                        icon=ft.Icons.SHARE,
                        filled=True,
                        key="share-link",
                    ),
                ],
                wrap=True,
            ),
            ft.Container(
                ft.Image(
                    src=qr_png_kept(ref.link, 6),
                    width=200,
                    height=200,
                    semantics_label=t(lang, "referral.qr_label"),
                ),
                bgcolor=ft.Colors.WHITE,
                padding=10,
                border_radius=10,
            ),
            ft.Text(
                t(lang, "referral.stats", invited=s.invited, joined=s.joined, rewarded=s.rewarded),
                key="referral-stats",
            ),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=10,
    )
