"""How to earn: the earn rate, the tiers' multipliers, the offers running now, the stamp card,
referrals and the birthday bonus, all from the programme, in the member's language."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import flet as ft

from ...domain.models import Offer, Programme, PunchCard, Referral, TierLadder, text
from ...i18n import fmt_money, fmt_number, t
from ..context import use_app
from ..widgets import heading, sync_note
from .offers import offer_gift

ICONS = {
    "earn.rate_title": ft.Icons.SHOPPING_BAG,
    "earn.tiers_title": ft.Icons.MILITARY_TECH,
    "earn.offers_title": ft.Icons.LOCAL_OFFER,
    "earn.stamps_title": ft.Icons.LOCAL_CAFE,
    "earn.referral_title": ft.Icons.GROUP_ADD,
    "earn.birthday_title": ft.Icons.CAKE,
}


def _number(lang: str, value: Decimal) -> str:
    return fmt_number(lang, value.normalize() if value == value.to_integral() else value)


def earn_sections(
    lang: str,
    programme: Programme | None,
    ladder: TierLadder | None,
    offers: Sequence[Offer],
    punch: PunchCard | None,
    punch_reward: str,
    referral: Referral | None,
) -> list[tuple[str, list[str]]]:
    """(title key, lines) for each way to earn the programme has; a way it lacks (no stamp
    card, no birthday bonus) is left out, and so is what the app has not synced yet."""
    sections: list[tuple[str, list[str]]] = []
    if programme is not None:
        rate = t(
            lang,
            "earn.rate",
            points=_number(lang, programme.earn_points_per_unit),
            unit=fmt_money(lang, Decimal(1), programme.currency),
        )
        sections.append(("earn.rate_title", [rate]))
    if ladder is not None and len(ladder.tiers) > 1:
        lines = [
            t(
                lang,
                "earn.tier",
                tier=text(tier.name, lang),
                multiplier=_number(lang, tier.multiplier),
            )
            for tier in ladder.tiers
        ]
        sections.append(("earn.tiers_title", lines))
    running = [o for o in offers if not o.upcoming]
    lines = [
        t(lang, "earn.offer", offer=text(o.name, lang), gift=offer_gift(lang, o)) for o in running
    ]
    sections.append(("earn.offers_title", lines or [t(lang, "earn.no_offers")]))
    if punch is not None:
        sections.append(
            ("earn.stamps_title", [t(lang, "earn.stamps", of=punch.of, reward=punch_reward)])
        )
    if referral is not None and (referral.referrer_points or referral.referee_points):
        line = t(
            lang,
            "earn.referral",
            mine=fmt_number(lang, referral.referrer_points),
            theirs=fmt_number(lang, referral.referee_points),
        )
        sections.append(("earn.referral_title", [line]))
    if programme is not None and programme.birthday_points:
        points = fmt_number(lang, programme.birthday_points)
        sections.append(("earn.birthday_title", [t(lang, "earn.birthday", points=points)]))
    return sections


@ft.component
def HowToEarnPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang = app.lang
    punch = app.me.punch_card if app.me else None
    reward = (
        punch
        and app.catalogue
        and next((r for r in app.catalogue.items if r.id == punch.reward_id), None)
    )
    reward_name = text(reward.name, lang) if reward else t(lang, "stamps.free_reward")
    sections = earn_sections(
        lang, app.programme, app.ladder, app.offers, punch, reward_name, app.referral
    )
    cards = [
        ft.Card(
            ft.Container(
                ft.Column(
                    [
                        ft.Row(
                            [
                                ft.Icon(ICONS[title], color=ft.Colors.PRIMARY),
                                ft.Text(t(lang, title), size=17, weight=ft.FontWeight.BOLD),
                            ]
                        ),
                        *(ft.Text(line) for line in lines),
                    ],
                    spacing=6,
                ),
                padding=14,
            ),
            key=f"earn-{title.split('.')[1]}",
        )
        for title, lines in sections
    ]
    return ft.Column(
        [sync_note(app), heading(t(lang, "earn.title")), *cards],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=8,
    )
