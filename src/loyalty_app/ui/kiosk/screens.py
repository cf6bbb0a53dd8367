"""Kiosk screens: set-up, the attract/scan screen, member summary and credit, the credit
result, voucher result, self-service summary, join."""

from __future__ import annotations

import flet as ft

from ...card.render import qr_png
from ...domain.models import text
from ...i18n import fmt_money, fmt_number, t
from .context import error_text, use_kiosk
from .scan_field import ScanField

BIG = 30


def _error_banner(kiosk) -> ft.Control:  # noqa: ANN001
    return ft.Container(
        ft.Row(
            [
                ft.Icon(ft.Icons.ERROR_OUTLINE, color=ft.Colors.ON_ERROR_CONTAINER),
                ft.Text(
                    error_text(kiosk),
                    size=20,
                    key="kiosk-error",
                    expand=True,
                    color=ft.Colors.ON_ERROR_CONTAINER,
                ),
            ]
        ),
        bgcolor=ft.Colors.ERROR_CONTAINER,
        padding=14,
        border_radius=10,
        visible=bool(kiosk.error),
    )


@ft.component
def SetupScreen() -> ft.Control:
    kiosk = use_kiosk()
    cred, pin, pin2 = ft.use_ref(None), ft.use_ref(None), ft.use_ref(None)
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang

    async def save() -> None:
        await kiosk.set_up(
            cred.current.value or "", pin.current.value or "", pin2.current.value or ""
        )

    return ft.Column(
        [
            ft.Text(t(lang, "kiosk.setup_title"), size=BIG, weight=ft.FontWeight.BOLD),
            ft.Text(t(lang, "kiosk.setup_intro")),
            ft.TextField(
                label=t(lang, "kiosk.credential"),
                ref=cred,
                password=True,
                can_reveal_password=True,
                key="credential",
                autofocus=True,
            ),
            ft.TextField(
                label=t(lang, "kiosk.pin"),
                ref=pin,
                password=True,
                key="pin",
                keyboard_type=ft.KeyboardType.NUMBER,
            ),
            ft.TextField(
                label=t(lang, "kiosk.pin_again"),
                ref=pin2,
                password=True,
                key="pin-again",
                keyboard_type=ft.KeyboardType.NUMBER,
                on_submit=save,
            ),
            ft.FilledButton(t(lang, "kiosk.setup_save"), on_click=save, key="setup-save"),
            _error_banner(kiosk),
        ],
        spacing=14,
        width=560,
        scroll=ft.ScrollMode.AUTO,
    )


@ft.component
def AttractScreen() -> ft.Control:
    kiosk = use_kiosk()
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    checkout = kiosk.mode == "checkout"
    title = t(lang, "kiosk.scan_card" if checkout else "kiosk.self_title")
    hint = t(lang, "kiosk.scan_hint" if checkout else "kiosk.self_hint")
    rejected = [
        ft.Text(
            t(lang, "kiosk.rejected", amount=r["amount"], reason=r["reason"]),
            color=ft.Colors.ERROR,
            key=f"rejected-{r['id']}",
        )
        for r in kiosk.rejected
    ]
    return ft.Column(
        [
            ft.Icon(ft.Icons.QR_CODE_SCANNER, size=96, color=ft.Colors.PRIMARY),
            ft.Text(
                title,
                size=BIG + 6,
                weight=ft.FontWeight.BOLD,
                text_align=ft.TextAlign.CENTER,
                key="attract-title",
            ),
            ft.Text(hint, size=18, text_align=ft.TextAlign.CENTER),
            ft.Container(ScanField(), width=620),
            _error_banner(kiosk),
            ft.FilledButton(
                t(lang, "kiosk.join"),
                icon=ft.Icons.PERSON_ADD,
                key="join",
                on_click=kiosk.open_join,
                visible=not checkout,
                style=ft.ButtonStyle(padding=20, text_style=ft.TextStyle(size=20)),
            ),
            *rejected,
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=18,
        scroll=ft.ScrollMode.AUTO,
    )


def _vouchers(kiosk, summary) -> list[ft.Control]:  # noqa: ANN001
    lang = kiosk.lang
    items = summary.get("vouchers") or []
    if not items:
        return [ft.Text(t(lang, "kiosk.no_vouchers"), size=16)]
    return [ft.Text(f"• {text(v['reward_name'], lang)} — {v['code']}", size=18) for v in items]


@ft.component
def MemberScreen() -> ft.Control:
    kiosk = use_kiosk()
    amount = ft.use_ref(None)
    if kiosk is None or kiosk.member is None:
        return ft.Container()
    lang, member = kiosk.lang, kiosk.member
    programme = kiosk.core.programme()
    currency = programme.currency if programme else ""
    summary = member.summary
    if summary is None:
        head: list[ft.Control] = [
            ft.Text(t(lang, "kiosk.offline_member"), size=20, key="offline-member")
        ]
    else:
        tier = text(summary["tier"]["name"], lang)
        head = [
            ft.Text(
                summary["display_name"], size=BIG + 4, weight=ft.FontWeight.BOLD, key="member-name"
            ),
            ft.Text(t(lang, "kiosk.member_tier", tier=tier), size=20),
            ft.Text(
                t(lang, "kiosk.member_balance", points=fmt_number(lang, summary["balance"])),
                size=BIG,
                key="member-balance",
            ),
        ]
        if summary.get("next_tier"):
            head.append(
                ft.Text(
                    t(
                        lang,
                        "kiosk.to_next",
                        points=fmt_number(lang, summary["points_to_next"]),
                        tier=text(summary["next_tier"]["name"], lang),
                    ),
                    size=18,
                )
            )
            head.append(ft.ProgressBar(value=summary.get("tier_fraction", 0), width=480))
    if kiosk.mode == "self-service":
        affordable = kiosk.affordable_rewards()
        rewards = [
            ft.Text(f"• {text(r['name'], lang)} — {fmt_number(lang, r['cost'])}", size=18)
            for r in affordable[:8]
        ] or [ft.Text(t(lang, "kiosk.afford_none"), size=18)]
        return ft.Column(
            [
                *head,
                ft.Text(t(lang, "kiosk.afford"), size=22, weight=ft.FontWeight.BOLD),
                *rewards,
                ft.FilledButton(t(lang, "kiosk.done"), on_click=kiosk.reset, key="done"),
            ],
            spacing=10,
            scroll=ft.ScrollMode.AUTO,
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
            _error_banner(kiosk),
            ft.Row(
                [
                    ft.FilledButton(
                        t(lang, "kiosk.credit"), on_click=credit, key="credit", disabled=kiosk.busy
                    ),
                    ft.OutlinedButton(t(lang, "kiosk.cancel"), on_click=kiosk.reset, key="cancel"),
                ]
            ),
        ],
        spacing=10,
        scroll=ft.ScrollMode.AUTO,
    )


@ft.component
def CreditedScreen() -> ft.Control:
    kiosk = use_kiosk()
    pin = ft.use_ref(None)
    if kiosk is None or kiosk.last_credit is None:
        return ft.Container()
    lang, outcome = kiosk.lang, kiosk.last_credit
    programme = kiosk.core.programme()
    lines: list[ft.Control]
    if outcome.status == "done" and outcome.result:
        r = outcome.result
        lines = [
            ft.Text(
                t(lang, "kiosk.credited", points=fmt_number(lang, r["points"])),
                size=BIG + 6,
                weight=ft.FontWeight.BOLD,
                key="credited",
            ),
            ft.Text(
                t(
                    lang,
                    "kiosk.credited_detail",
                    base=r["base_points"],
                    bonus=r["bonus_points"],
                    multiplier=r["multiplier"],
                ),
                size=18,
            ),
            ft.Text(
                t(lang, "kiosk.new_balance", points=fmt_number(lang, r["balance"])),
                size=22,
                key="credited-balance",
            ),
        ]
        if r.get("tier_change") == "up":
            lines.append(
                ft.Text(
                    t(lang, "kiosk.tier_up", tier=text(r["tier"]["name"], lang)),
                    size=24,
                    color=ft.Colors.PRIMARY,
                    key="tier-up",
                )
            )
        if r.get("punch_card"):
            lines.append(ft.Text(t(lang, "kiosk.punch", **r["punch_card"]), size=16))
        if r.get("voucher_issued"):
            lines.append(ft.Text(t(lang, "kiosk.punch_reward"), size=18))

        async def void() -> None:
            await kiosk.void_last(pin.current.value or "")

        lines += [
            ft.TextField(
                label=t(lang, "kiosk.void_pin"),
                ref=pin,
                password=True,
                width=260,
                key="void-pin",
                keyboard_type=ft.KeyboardType.NUMBER,
            ),
            ft.OutlinedButton(t(lang, "kiosk.void"), key="void", icon=ft.Icons.UNDO, on_click=void),
        ]
    elif outcome.status == "pending":
        amount = outcome.intent.payload.get("amount", "")
        money = fmt_money(lang, amount, programme.currency) if programme and amount else amount
        lines = [
            ft.Text(t(lang, "kiosk.credit_pending", amount=money), size=24, key="credit-pending")
        ]
    else:
        lines = []
    return ft.Column(
        [
            *lines,
            _error_banner(kiosk),
            ft.FilledButton(
                t(lang, "kiosk.next"), on_click=kiosk.reset, key="next", icon=ft.Icons.ARROW_FORWARD
            ),
        ],
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
    )


@ft.component
def VoucherScreen() -> ft.Control:
    kiosk = use_kiosk()
    if kiosk is None or kiosk.voucher is None:
        return ft.Container()
    lang, v = kiosk.lang, kiosk.voucher
    return ft.Column(
        [
            ft.Icon(ft.Icons.CHECK_CIRCLE, size=80, color=ft.Colors.PRIMARY),
            ft.Text(
                t(
                    lang,
                    "kiosk.voucher_done",
                    reward=text(v["voucher"]["reward_name"], lang),
                    name=v["member_display_name"],
                ),
                size=BIG,
                key="voucher-done",
            ),
            ft.FilledButton(t(lang, "kiosk.next"), on_click=kiosk.reset, key="next"),
        ],
        spacing=14,
    )


@ft.component
def JoinScreen() -> ft.Control:
    kiosk = use_kiosk()
    contact, name, referral = ft.use_ref(None), ft.use_ref(None), ft.use_ref(None)
    if kiosk is None:
        return ft.Container()
    lang = kiosk.lang
    if kiosk.phase == "joined" and kiosk.joined:
        j = kiosk.joined
        return ft.Column(
            [
                ft.Text(
                    t(lang, "kiosk.joined", name=j["display_name"], number=j["member_number"]),
                    size=BIG,
                    key="joined",
                ),
                ft.Text(t(lang, "kiosk.get_app"), size=20),
                ft.Container(
                    ft.Image(
                        src=qr_png(j["app_link"], box_size=8),
                        width=260,
                        height=260,
                        semantics_label=t(lang, "kiosk.app_qr"),
                    ),
                    bgcolor=ft.Colors.WHITE,
                    padding=10,
                ),
                ft.FilledButton(t(lang, "kiosk.done"), on_click=kiosk.reset, key="done"),
            ],
            spacing=14,
            scroll=ft.ScrollMode.AUTO,
        )

    async def join() -> None:
        await kiosk.join(
            contact.current.value or "", name.current.value or "", referral.current.value or ""
        )

    return ft.Column(
        [
            ft.Text(t(lang, "kiosk.join_title"), size=BIG, weight=ft.FontWeight.BOLD),
            ft.TextField(
                label=t(lang, "kiosk.contact"),
                ref=contact,
                autofocus=True,
                key="contact",
                on_change=lambda: kiosk.touch(),
            ),
            ft.TextField(label=t(lang, "kiosk.name"), ref=name, key="join-name"),
            ft.TextField(label=t(lang, "kiosk.referral"), ref=referral, key="join-referral"),
            _error_banner(kiosk),
            ft.Row(
                [
                    ft.FilledButton(t(lang, "kiosk.join_submit"), on_click=join, key="join-submit"),
                    ft.OutlinedButton(t(lang, "kiosk.cancel"), on_click=kiosk.reset),
                ]
            ),
        ],
        spacing=14,
        width=560,
        scroll=ft.ScrollMode.AUTO,
    )
