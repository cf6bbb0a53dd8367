"""Achievements: the badges the member earned and the challenges in progress, with how far
each is. The member's own only: no leaderboards."""

from __future__ import annotations

import flet as ft

from ...domain.models import Badge, text
from ...i18n import fmt_date, fmt_number, t
from ..context import use_app
from ..state import AppState
from ..widgets import empty_state, heading, sync_note

GOAL_ICONS = {
    "visits": ft.Icons.LOCAL_CAFE,
    "categories": ft.Icons.EXPLORE,
    "referrals": ft.Icons.GROUP_ADD,
}


def badge_status(lang: str, badge: Badge) -> str:
    """ "Earned Dec 1, 2026" or "2 of 3", and the points it gives."""
    if badge.earned_at is not None:
        said = t(lang, "badges.earned", date=fmt_date(lang, badge.earned_at.astimezone()))
    else:
        said = t(lang, "badges.progress", reached=badge.reached, count=badge.count)
    if badge.points:
        said += " · " + t(lang, "badges.points", points=fmt_number(lang, badge.points))
    return said


def badges_summary(lang: str, badges: list[Badge]) -> str:
    earned = sum(1 for b in badges if b.earned)
    return t(lang, "badges.entry_count", earned=earned, total=len(badges))


def _badge(app: AppState, badge: Badge) -> ft.Control:
    lang = app.lang
    colour = ft.Colors.PRIMARY if badge.earned else ft.Colors.OUTLINE
    rows: list[ft.Control] = [
        ft.Text(text(badge.name, lang), size=16, weight=ft.FontWeight.BOLD),
        ft.Text(text(badge.description, lang), size=13),
        ft.Text(badge_status(lang, badge), size=12),
    ]
    if not badge.earned:
        rows.append(ft.ProgressBar(value=badge.reached / max(1, badge.count), width=220))
    return ft.Card(
        ft.Container(
            ft.Row(
                [
                    ft.Icon(
                        ft.Icons.MILITARY_TECH
                        if badge.earned
                        else GOAL_ICONS.get(badge.goal, ft.Icons.FLAG),
                        color=colour,
                        size=36,
                    ),
                    ft.Column(rows, spacing=4, expand=True),
                ],
                spacing=12,
            ),
            padding=14,
        ),
        key=f"badge-{badge.id}",
    )


@ft.component
def BadgesPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang = app.lang
    earned = [b for b in app.badges if b.earned]
    open_ = [b for b in app.badges if not b.earned]
    parts: list[ft.Control] = [sync_note(app), heading(t(lang, "badges.title"))]
    if not app.badges:
        parts.append(empty_state(t(lang, "badges.empty"), ft.Icons.MILITARY_TECH))
    if earned:
        parts.append(ft.Text(t(lang, "badges.earned_title"), size=18, weight=ft.FontWeight.BOLD))
        parts += [_badge(app, b) for b in earned]
    if open_:
        parts.append(ft.Text(t(lang, "badges.open_title"), size=18, weight=ft.FontWeight.BOLD))
        parts += [_badge(app, b) for b in open_]
    return ft.Column(parts, scroll=ft.ScrollMode.AUTO, expand=True, spacing=8)
