"""The stamp card on the card screen: the stamps drawn, and how many more for the reward."""

from __future__ import annotations

import flet as ft

from ...domain.models import PunchCard, text
from ...i18n import t, t_count
from ..state import AppState


def stamps_left_text(lang: str, punch: PunchCard, reward_name: str) -> str:
    """ "2 more stamps for: Handcrafted drink" (a full card starts again at 0, so at least 1)."""
    left = max(1, punch.of - punch.stamps)
    return t_count(lang, "stamps.left", left, left=left, reward=reward_name)


def stamp_card(app: AppState) -> ft.Control | None:
    """The member's stamp card, or None when the programme has none."""
    punch = app.me.punch_card if app.me else None
    if punch is None or punch.of < 1:
        return None
    lang = app.lang
    reward = app.catalogue and next(
        (r for r in app.catalogue.items if r.id == punch.reward_id), None
    )
    reward_name = text(reward.name, lang) if reward else t(lang, "stamps.free_reward")
    stamps = [
        ft.Icon(
            ft.Icons.LOCAL_CAFE if i < punch.stamps else ft.Icons.CIRCLE_OUTLINED,
            color=ft.Colors.PRIMARY if i < punch.stamps else ft.Colors.OUTLINE,
            size=28,
        )
        for i in range(punch.of)
    ]
    count = t(lang, "stamps.count", stamps=punch.stamps, of=punch.of)
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Text(t(lang, "stamps.title"), size=16, weight=ft.FontWeight.BOLD),
                            ft.Text(count, size=13, key="stamps-count"),
                        ],
                        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                    ),
                    ft.Semantics(
                        content=ft.Row(stamps, wrap=True, spacing=6, run_spacing=6),
                        label=count,
                        exclude_semantics=True,
                    ),
                    ft.Text(
                        stamps_left_text(lang, punch, reward_name),
                        size=14,
                        key="stamps-left",
                    ),
                ],
                spacing=8,
            ),
            padding=14,
        ),
        key="stamp-card",
    )
