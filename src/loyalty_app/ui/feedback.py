"""The feedback question ("How likely are you to recommend …?", 0 to 10, an optional comment),
drawn above the screen after a purchase when the server says it is due; "Not now" dismisses it
and counts as asked, so it never nags."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from ..i18n import t
from .context import use_app
from .fonts import name_style
from .pictures import shop_name
from .widgets import labelled_button


@ft.observable
@dataclass
class Draft:
    score: int | None = None
    comment: str = ""


@ft.component
def FeedbackBar() -> ft.Control:
    app = use_app()
    draft, _ = ft.use_state(Draft)
    ask = app.feedback_question() if app is not None else None
    if app is None or ask is None:
        return ft.Container(visible=False)
    lang = app.lang

    def choose(score: int):  # noqa: ANN202
        def chosen() -> None:
            draft.score = score

        return chosen

    async def send() -> None:
        await app.answer_feedback(ask.purchase_id, draft.score, draft.comment)

    async def not_now() -> None:
        await app.answer_feedback(ask.purchase_id, None, "")

    def typed(e: ft.Event) -> None:
        draft.comment = e.control.value or ""

    scores = [
        (ft.FilledButton if draft.score == n else ft.OutlinedButton)(
            str(n),
            on_click=choose(n),
            key=f"feedback-{n}",
            style=ft.ButtonStyle(padding=ft.Padding.all(0)),
            width=40,
        )
        for n in range(11)
    ]
    chosen = draft.score is not None
    return ft.Container(
        ft.Column(
            [
                ft.Text(
                    t(lang, "feedback.question", shop=shop_name(app.programme, lang)),
                    weight=ft.FontWeight.BOLD,
                ),
                ft.Row(scores, wrap=True, spacing=4, run_spacing=4),
                ft.Row(
                    [
                        ft.Text(t(lang, "feedback.low"), size=12, expand=True),
                        ft.Text(t(lang, "feedback.high"), size=12),
                    ]
                ),
                ft.TextField(
                    label=t(lang, "feedback.comment"),
                    value=draft.comment,
                    text_style=name_style(lang),  # the member's own words, in Chinese
                    on_change=typed,
                    max_length=1000,
                    multiline=True,
                    visible=chosen,
                    key="feedback-comment",
                ),
                ft.Row(
                    [
                        labelled_button(
                            t(lang, "feedback.not_now"), not_now, key="feedback-not-now"
                        ),
                        labelled_button(
                            t(lang, "feedback.send"),
                            send,
                            filled=True,
                            disabled=not chosen,
                            key="feedback-send",
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.END,
                ),
            ],
            spacing=8,
        ),
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
        padding=12,
        border_radius=8,
        key="feedback",
    )
