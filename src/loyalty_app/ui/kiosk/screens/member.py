"""A scanned member: who, points, tier and vouchers; then the amount to credit, or (at a
self-service kiosk) what they can afford."""

from __future__ import annotations

import flet as ft

from ....domain.models import text
from ....i18n import fmt_number, t
from ..context import use_kiosk
from .common import BIG, BIG_BUTTON, BUTTON_HEIGHT, error_banner


def _vouchers(kiosk, summary) -> list[ft.Control]:  # noqa: ANN001
    lang = kiosk.lang
    if not summary.vouchers:
        return [ft.Text(t(lang, "kiosk.no_vouchers"), size=16)]
    return [ft.Text(f"• {text(v.reward_name, lang)} — {v.code}", size=18) for v in summary.vouchers]


@ft.component
def MemberScreen() -> ft.Control:
    kiosk = use_kiosk()
    amount = ft.use_ref(None)
    if kiosk is None or kiosk.member is None:
        return ft.Container()
    lang, member = kiosk.lang, kiosk.member
    currency = kiosk.programme.currency if kiosk.programme else ""
    summary = member.summary
    if summary is None:
        head: list[ft.Control] = [
            ft.Text(t(lang, "kiosk.offline_member"), size=20, key="offline-member")
        ]
    else:
        tier = text(summary.tier.name, lang)
        head = [
            ft.Text(
                summary.display_name, size=BIG + 4, weight=ft.FontWeight.BOLD, key="member-name"
            ),
            ft.Text(t(lang, "kiosk.member_tier", tier=tier), size=20),
            ft.Text(
                t(lang, "kiosk.member_balance", points=fmt_number(lang, summary.balance)),
                size=BIG,
                key="member-balance",
            ),
        ]
        if summary.next_tier is not None:
            head.append(
                ft.Text(
                    t(
                        lang,
                        "kiosk.to_next",
                        points=fmt_number(lang, summary.points_to_next),
                        tier=text(summary.next_tier.name, lang),
                    ),
                    size=18,
                )
            )
            head.append(ft.ProgressBar(value=summary.tier_fraction, width=480))
    if kiosk.mode == "self-service":
        affordable = kiosk.affordable_rewards()
        rewards = [
            ft.Text(
                t(
                    lang,
                    "kiosk.reward_cost",
                    reward=text(r.name, lang),
                    points=fmt_number(lang, r.cost),
                ),
                size=18,
            )
            for r in affordable[:8]
        ] or [ft.Text(t(lang, "kiosk.afford_none"), size=18)]
        return ft.Column(
            [
                *head,
                ft.Text(t(lang, "kiosk.afford"), size=22, weight=ft.FontWeight.BOLD),
                *rewards,
                ft.FilledButton(
                    t(lang, "kiosk.done"),
                    on_click=kiosk.reset,
                    key="done",
                    style=BIG_BUTTON,
                    height=BUTTON_HEIGHT,
                ),
            ],
            spacing=10,
            scroll=ft.ScrollMode.AUTO,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )

    async def credit() -> None:
        await kiosk.credit(amount.current.value or "")

    return ft.Column(
        [
            *head,
            ft.Text(
                t(lang, "kiosk.vouchers"),
                size=18,
                weight=ft.FontWeight.BOLD,
                visible=summary is not None,
            ),
            *(_vouchers(kiosk, summary) if summary else []),
            ft.TextField(
                label=t(lang, "kiosk.amount", currency=currency),
                ref=amount,
                autofocus=True,
                key="amount",
                text_size=26,
                width=320,
                keyboard_type=ft.KeyboardType.NUMBER,
                on_submit=credit,
                on_change=lambda: kiosk.touch(),
            ),
            error_banner(kiosk),
            ft.Row(
                [
                    ft.FilledButton(
                        t(lang, "kiosk.credit"),
                        on_click=credit,
                        key="credit",
                        disabled=kiosk.busy,
                        style=BIG_BUTTON,
                        height=BUTTON_HEIGHT,
                    ),
                    ft.OutlinedButton(
                        t(lang, "kiosk.cancel"),
                        on_click=kiosk.reset,
                        key="cancel",
                        style=BIG_BUTTON,
                        height=BUTTON_HEIGHT,
                    ),
                ],
                alignment=ft.MainAxisAlignment.CENTER,
            ),
        ],
        spacing=10,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
