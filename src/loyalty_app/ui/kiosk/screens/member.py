"""A scanned member: who, points, tier and vouchers; then the amount to credit, or (at a
self-service kiosk) what they can afford."""

from __future__ import annotations

import flet as ft

from ....domain.models import text
from ....i18n import fmt_number, t
from ...fonts import name_style
from ..context import use_kiosk
from .common import BIG, BUTTON_HEIGHT, big_button, error_banner


def _vouchers(kiosk, summary) -> list[ft.Control]:  # noqa: ANN001
    """The member's usable vouchers, each a button: tapped, it asks before it is used."""
    lang = kiosk.lang
    if not summary.vouchers:
        return [ft.Text(t(lang, "kiosk.no_vouchers"), size=16)]
    return [
        ft.OutlinedButton(
            f"{text(v.reward_name, lang)} · {v.code}",
            icon=ft.Icons.REDEEM,
            key=f"voucher-{v.code}",
            on_click=lambda _, code=v.code: kiosk.pick_voucher(code),
            style=big_button(lang),
            height=BUTTON_HEIGHT,
        )
        for v in summary.vouchers
    ]


def _voucher_confirm(kiosk, summary) -> ft.Control:  # noqa: ANN001
    lang = kiosk.lang
    picked = next((v for v in summary.vouchers if v.code == kiosk.voucher_pick), None)
    if picked is None:
        return ft.Container(visible=False)
    return ft.Container(
        ft.Column(
            [
                ft.Text(
                    t(
                        lang,
                        "kiosk.voucher_confirm",
                        reward=text(picked.reward_name, lang),
                        name=summary.display_name,
                    ),
                    style=name_style(lang),
                    size=22,
                    key="voucher-confirm",
                    text_align=ft.TextAlign.CENTER,
                ),
                ft.Row(
                    [
                        ft.FilledButton(
                            t(lang, "kiosk.voucher_use"),
                            icon=ft.Icons.REDEEM,
                            on_click=kiosk.use_voucher,
                            key="voucher-use",
                            disabled=kiosk.busy,
                            style=big_button(lang),
                            height=BUTTON_HEIGHT,
                        ),
                        ft.OutlinedButton(
                            t(lang, "kiosk.voucher_keep"),
                            on_click=lambda: kiosk.pick_voucher(None),
                            key="voucher-keep",
                            style=big_button(lang),
                            height=BUTTON_HEIGHT,
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.CENTER,
                    wrap=True,
                ),
            ],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
        padding=16,
        border_radius=12,
    )


KEYPAD = ("7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "Backspace")


def _keypad(kiosk) -> ft.Control:  # noqa: ANN001
    """Touch keys for a till without a keyboard. Not focusable on purpose: Enter on a
    physical keyboard must book, never press the last key tapped again."""

    def key(k: str) -> ft.Control:
        label: ft.Control = (
            ft.Icon(ft.Icons.BACKSPACE_OUTLINED, size=28)
            if k == "Backspace"
            else ft.Text(k, size=28, weight=ft.FontWeight.W_500)
        )
        return ft.Container(
            label,
            width=96,
            height=64,
            alignment=ft.Alignment.CENTER,
            border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
            ink=True,
            on_click=lambda _, k=k: kiosk.amount_key(k),
            key=f"keypad-{k}",
        )

    return ft.Column(
        [
            ft.Row([key(k) for k in KEYPAD[i : i + 3]], alignment=ft.MainAxisAlignment.CENTER)
            for i in range(0, len(KEYPAD), 3)
        ],
        spacing=8,
    )


CHIP_HEIGHT = 48  # Material's minimum touch target


def _category_chip(kiosk, category) -> ft.Control:  # noqa: ANN001
    """One category, tapped on or off. Drawn as a plain tappable box rather than Flutter's
    chip, which can take the keyboard focus: Enter would then toggle the chip last tapped
    as well as book the amount, and the amount's keys must go to the amount alone."""
    lang = kiosk.lang
    name = text(category.name, lang)
    chosen = category.id in kiosk.categories
    return ft.Semantics(
        label=name,
        button=True,
        selected=chosen,
        exclude_semantics=True,
        content=ft.Container(
            ft.Row(
                [
                    ft.Icon(ft.Icons.CHECK, size=18, visible=chosen),
                    ft.Text(name, size=16),
                ],
                tight=True,
                spacing=4,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            height=CHIP_HEIGHT,
            padding=ft.Padding.symmetric(horizontal=14),
            border_radius=CHIP_HEIGHT // 2,
            border=ft.Border.all(1, ft.Colors.PRIMARY if chosen else ft.Colors.OUTLINE),
            bgcolor=ft.Colors.SECONDARY_CONTAINER if chosen else None,
            on_click=lambda _, code=category.id: kiosk.toggle_category(code),
            key=f"category-{category.id}",
        ),
    )


def _categories(kiosk) -> list[ft.Control]:  # noqa: ANN001
    """What the purchase included, one chip a programme category (none chosen at first):
    offers for a category and the categories challenge count what is chosen here."""
    choices = kiosk.category_choices()
    if not choices:
        return []
    return [
        ft.Text(t(kiosk.lang, "kiosk.categories"), size=16),
        # One line for the demo's four (two chosen) beside the keypad: a second line pushed
        # Credit points below the fold of an 800 px till once a refusal was shown.
        ft.Row(
            [_category_chip(kiosk, c) for c in choices],
            wrap=True,
            spacing=8,
            run_spacing=8,
            alignment=ft.MainAxisAlignment.CENTER,
            key="categories",
        ),
    ]


def _amount_entry(kiosk, currency: str) -> list[ft.Control]:  # noqa: ANN001
    """The amount as it will be booked, large, from the keyboard or the keypad."""
    lang = kiosk.lang
    return [
        ft.Text(t(lang, "kiosk.amount", currency=currency), size=20),
        ft.Container(
            ft.Text(
                kiosk.amount or "0",
                size=56,
                weight=ft.FontWeight.BOLD,
                key="amount",
                color=None if kiosk.amount else ft.Colors.OUTLINE,
                font_family="monospace" if kiosk.amount else None,
            ),
            width=320,
            height=96,
            alignment=ft.Alignment.CENTER_RIGHT,
            padding=ft.Padding.symmetric(horizontal=20),
            border=ft.Border.all(2, ft.Colors.PRIMARY),
            border_radius=12,
        ),
        *_categories(kiosk),
        _keypad(kiosk),
    ]


@ft.component
def MemberScreen() -> ft.Control:
    kiosk = use_kiosk()
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
                summary.display_name,
                style=name_style(lang),
                size=BIG + 4,
                weight=ft.FontWeight.BOLD,
                key="member-name",
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
                    style=big_button(lang),
                    height=BUTTON_HEIGHT,
                ),
            ],
            spacing=10,
            scroll=ft.ScrollMode.AUTO,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )

    info = ft.Column(
        [
            *head,
            ft.Text(
                t(lang, "kiosk.vouchers"),
                size=18,
                weight=ft.FontWeight.BOLD,
                visible=summary is not None,
            ),
            *(_vouchers(kiosk, summary) if summary else []),
            *([_voucher_confirm(kiosk, summary)] if summary else []),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
    entry = ft.Column(
        [
            *_amount_entry(kiosk, currency),
            error_banner(kiosk),
            ft.Row(
                [
                    ft.FilledButton(
                        t(lang, "kiosk.credit"),
                        on_click=kiosk.credit,
                        key="credit",
                        disabled=kiosk.busy,
                        style=big_button(lang),
                        height=BUTTON_HEIGHT,
                    ),
                    ft.OutlinedButton(
                        t(lang, "kiosk.cancel"),
                        on_click=kiosk.reset,
                        key="cancel",
                        style=big_button(lang),
                        height=BUTTON_HEIGHT,
                    ),
                ],
                alignment=ft.MainAxisAlignment.CENTER,
            ),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
    # Side by side on a till's screen, one above the other on a narrow one.
    row = ft.ResponsiveRow(
        [
            ft.Container(info, col={"xs": 12, "md": 6}, alignment=ft.Alignment.TOP_CENTER),
            ft.Container(entry, col={"xs": 12, "md": 6}, alignment=ft.Alignment.TOP_CENTER),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
        run_spacing=20,
    )
    return ft.Column([row], scroll=ft.ScrollMode.AUTO)
