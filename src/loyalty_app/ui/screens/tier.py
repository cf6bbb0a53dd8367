"""Tier: progress to the next tier, exactly what is missing, every tier's benefits."""

from __future__ import annotations

from datetime import UTC, datetime

import flet as ft

from ...domain.models import Tier, text
from ...domain.tiers import extra_multiplier, progress_summary
from ...i18n import fmt_date, fmt_number, t
from ..context import use_app
from ..widgets import back_button, empty_state, sync_note, titled


@ft.component
def TierPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang = app.lang
    if app.ladder is None or app.progress is None:
        return ft.Column(
            [
                sync_note(app),
                back_button(lang, "/account"),
                empty_state(t(lang, "sync.offline_never")),
            ]
        )
    summary = progress_summary(app.ladder, app.progress, datetime.now(UTC))
    current = text(summary.current.name, lang)
    lines: list[ft.Control] = [
        sync_note(app),
        titled(lang, t(lang, "tier.title"), "/account"),
        ft.Text(t(lang, "tier.current", tier=current), size=18, key="tier-current"),
        ft.ProgressBar(
            value=summary.fraction,
            height=12,
            border_radius=6,
            color=summary.current.colour,
            semantics_label=f"{round(summary.fraction * 100)}%",
        ),
        ft.Text(
            t(
                lang,
                "tier.qualifying",
                points=fmt_number(lang, summary.qualifying_points),
                months=app.ladder.window_months,
            ),
            size=13,
        ),
    ]
    if summary.next is not None:
        lines.append(
            ft.Text(
                t(
                    lang,
                    "tier.to_next",
                    points=fmt_number(lang, summary.points_to_next),
                    tier=text(summary.next.name, lang),
                ),
                size=16,
                weight=ft.FontWeight.BOLD,
                key="tier-to-next",
            )
        )
    else:
        lines.append(ft.Text(t(lang, "tier.top"), size=16, weight=ft.FontWeight.BOLD))
    if summary.requalify_at is not None:
        lines.append(
            ft.Text(
                t(lang, "tier.requalify", date=fmt_date(lang, summary.requalify_at), tier=current),
                key="tier-requalify",
            )
        )
    for tier in app.ladder.tiers:
        mine = tier.code == summary.current.code
        lines.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Row(
                                [
                                    ft.Container(
                                        width=14, height=14, bgcolor=tier.colour, border_radius=7
                                    ),
                                    ft.Text(
                                        text(tier.name, lang),
                                        size=18,
                                        weight=ft.FontWeight.BOLD,
                                        expand=True,
                                    ),
                                    ft.Text(
                                        t(lang, "tier.yours"), visible=mine, color=ft.Colors.PRIMARY
                                    ),
                                ]
                            ),
                            ft.Text(_threshold(lang, tier), size=13, key=f"tier-{tier.code}-from"),
                            *[
                                ft.Row(
                                    [
                                        ft.Icon(ft.Icons.CHECK, size=16),
                                        ft.Text(text(b, lang), expand=True),
                                    ]
                                )
                                for b in tier.benefits
                            ],
                        ],
                        spacing=6,
                    ),
                    padding=14,
                ),
                key=f"tier-{tier.code}",
            )
        )
    return ft.Column(lines, scroll=ft.ScrollMode.AUTO, expand=True, spacing=10)


def _threshold(lang: str, tier: Tier) -> str:
    """ "from 3,000 points", with the earn multiplier only where it is not 1."""
    points = fmt_number(lang, tier.qualifying_points)
    multiplier = extra_multiplier(tier.multiplier)
    if multiplier is None:
        return t(lang, "tier.threshold", points=points)
    return t(
        lang, "tier.threshold_multiplier", points=points, multiplier=fmt_number(lang, multiplier)
    )
