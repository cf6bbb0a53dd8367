"""After a credit: the points and why, or pending when offline; void with the PIN."""

from __future__ import annotations

import flet as ft

from ....domain.models import text
from ....i18n import fmt_money, fmt_number, t
from ...fonts import name_style
from ..context import use_kiosk
from .common import (
    BIG,
    BUTTON_HEIGHT,
    big_button,
    error_banner,
    submit_keeping_focus,
    use_form,
)


@ft.component
def CreditedScreen() -> ft.Control:
    kiosk = use_kiosk()
    form = use_form(kiosk.touch if kiosk else None)
    if kiosk is None or kiosk.last_credit is None:
        return ft.Container()
    lang, outcome = kiosk.lang, kiosk.last_credit
    programme = kiosk.programme
    lines: list[ft.Control]
    # The categories the purchase was marked with, in the kiosk's language (a code the
    # programme has dropped since is shown as its code).
    names = {c.id: text(c.name, lang) for c in kiosk.category_choices()}
    bought = ft.Text(
        t(
            lang,
            "kiosk.credited_categories",
            categories=t(lang, "kiosk.categories_joiner").join(
                names.get(code, code) for code in outcome.categories
            ),
        ),
        size=18,
        key="credited-categories",
        visible=bool(outcome.categories),
    )
    if outcome.status == "done" and outcome.result:
        r = outcome.result
        money = fmt_money(lang, r.purchase_amount, r.currency)
        lines = [
            ft.Text(
                t(lang, "kiosk.credited", points=fmt_number(lang, r.points)),
                size=BIG + 6,
                weight=ft.FontWeight.BOLD,
                key="credited",
            ),
            # Who and how much, as booked: a wrong amount is seen while it can still be voided.
            ft.Text(
                t(lang, "kiosk.credited_who", name=r.display_name, amount=money),
                style=name_style(lang),
                size=BIG - 4,
                key="credited-who",
            ),
            ft.Text(
                t(
                    lang,
                    "kiosk.credited_detail",
                    base=r.base_points,
                    bonus=r.bonus_points,
                    multiplier=r.multiplier,
                ),
                size=18,
            ),
            # Each offer's bonus named, as the member's history will show it.
            *(
                ft.Text(
                    t(
                        lang,
                        "kiosk.credited_offer",
                        offer=text(offer.name, lang),
                        points=fmt_number(lang, offer.points),
                    ),
                    size=18,
                    color=ft.Colors.PRIMARY,
                    key=f"credited-offer-{offer.offer_id}",
                )
                for offer in r.offers
            ),
            bought,
            ft.Text(
                t(lang, "kiosk.new_balance", points=fmt_number(lang, r.balance)),
                size=22,
                key="credited-balance",
            ),
        ]
        if r.tier_change == "up":
            lines.append(
                ft.Text(
                    t(lang, "kiosk.tier_up", tier=text(r.tier.name, lang)),
                    size=24,
                    color=ft.Colors.PRIMARY,
                    key="tier-up",
                )
            )
        if r.punch_card is not None:
            punch = r.punch_card
            lines.append(
                ft.Text(
                    t(
                        lang,
                        "kiosk.punch",
                        stamps=punch.stamps,
                        of=punch.of,
                        reward_id=punch.reward_id,
                    ),
                    size=16,
                )
            )
        if r.voucher_issued is not None:
            lines.append(ft.Text(t(lang, "kiosk.punch_reward"), size=18))

        async def void() -> None:
            await kiosk.void_last(form.get("pin", ""))

        if kiosk.void_open:
            lines += [
                ft.TextField(
                    label=t(lang, "kiosk.void_pin"),
                    **form.field("pin"),
                    password=True,
                    width=260,
                    key="void-pin",
                    autofocus=True,
                    on_submit=submit_keeping_focus(kiosk, void),
                    keyboard_type=ft.KeyboardType.NUMBER,
                ),
                ft.FilledButton(
                    t(lang, "kiosk.void_confirm"),
                    key="void-confirm",
                    icon=ft.Icons.UNDO,
                    on_click=void,
                    style=big_button(lang),
                    height=BUTTON_HEIGHT,
                ),
            ]
        else:
            lines.append(
                ft.OutlinedButton(
                    t(lang, "kiosk.void"),
                    key="void",
                    icon=ft.Icons.UNDO,
                    on_click=kiosk.open_void,
                    style=big_button(lang),
                    height=BUTTON_HEIGHT,
                )
            )
    elif outcome.status == "pending":
        amount = outcome.intent.payload.get("amount", "")
        money = fmt_money(lang, amount, programme.currency) if programme and amount else amount
        lines = [
            ft.Text(t(lang, "kiosk.credit_pending", amount=money), size=24, key="credit-pending"),
            bought,
        ]
    else:
        lines = []
    return ft.Column(
        [
            *lines,
            error_banner(kiosk),
            ft.FilledButton(
                t(lang, "kiosk.next"),
                on_click=kiosk.reset,
                key="next",
                icon=ft.Icons.ARROW_FORWARD,
                style=big_button(lang),
                height=BUTTON_HEIGHT,
            ),
        ],
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
