"""Offers for you: what each gives, when and on what, and "Add to card" for those that ask."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import flet as ft
from babel.dates import get_day_names

from ...domain.models import Offer, text
from ...i18n import BABEL_LOCALES, fmt_date, fmt_money, fmt_number, t
from ..context import use_app
from ..state import AppState
from ..widgets import empty_state, heading, labelled_button, sync_note

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _number(lang: str, value: Decimal) -> str:
    return fmt_number(lang, value.normalize() if value == value.to_integral() else value)


def offer_gift(lang: str, offer: Offer) -> str:
    """What the offer gives: "2× points" or "+150 bonus points"."""
    if offer.multiplier is not None:
        return t(lang, "offers.multiplier", multiplier=_number(lang, offer.multiplier))
    return t(lang, "offers.points", points=fmt_number(lang, offer.points or 0))


def offer_terms(
    lang: str,
    offer: Offer,
    *,
    currency: str = "USD",
    categories: dict[str, dict] | None = None,
    tier_names: dict[str, dict] | None = None,
) -> list[str]:
    """The offer's conditions in the member's words, one short line each: when (dates, days,
    hours), on what (spend, category), for whom, and how many times more."""
    join = t(lang, "offers.list_and").join
    lines = []
    if offer.upcoming:
        start, end = fmt_date(lang, offer.starts), fmt_date(lang, offer.ends)
        lines.append(t(lang, "offers.upcoming", start=start, end=end))
    else:
        lines.append(t(lang, "offers.until", date=fmt_date(lang, offer.ends)))
    if offer.days:
        names = get_day_names("wide", locale=BABEL_LOCALES.get(lang, "en_US"))
        days = [names[_WEEKDAYS.index(d)] for d in offer.days if d in _WEEKDAYS]
        lines.append(t(lang, "offers.days", days=join(days)))
    if offer.from_hour is not None and offer.until_hour is not None:
        hours = t(lang, "offers.hours", start=f"{offer.from_hour}:00", end=f"{offer.until_hour}:00")
        lines.append(hours)
    if offer.min_spend is not None:
        amount = fmt_money(lang, offer.min_spend, currency)
        lines.append(t(lang, "offers.min_spend", amount=amount))
    if offer.category:
        name = (categories or {}).get(offer.category)
        lines.append(t(lang, "offers.category", category=text(name, lang) or offer.category))
    if offer.tiers:
        names = [text((tier_names or {}).get(c), lang) or c for c in offer.tiers]
        lines.append(t(lang, "offers.tiers", tiers=join(names)))
    if offer.uses_left is not None:
        lines.append(t(lang, "offers.uses_left", count=fmt_number(lang, offer.uses_left)))
    return lines


def _add(app: AppState, offer_id: str) -> Callable[[], object]:
    async def add() -> None:
        await app.add_offer_to_card(offer_id)

    return add


def _card_action(app: AppState, offer: Offer) -> ft.Control | None:
    lang = app.lang
    if not offer.needs_activation:
        return None
    if offer.activated:
        return ft.Row(
            [ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.PRIMARY, size=18),
             ft.Text(t(lang, "offers.on_card"), key=f"offer-on-card-{offer.id}")],
            spacing=6,
        )  # fmt: skip
    if app.offer_adding(offer.id):
        return ft.Text(t(lang, "offers.adding"), italic=True, key=f"offer-adding-{offer.id}")
    return labelled_button(
        t(lang, "offers.add"),
        _add(app, offer.id),
        icon=ft.Icons.ADD_CARD,
        filled=True,
        key=f"offer-add-{offer.id}",
    )


def offer_card(app: AppState, offer: Offer) -> ft.Control:
    lang = app.lang
    currency = app.programme.currency if app.programme else "USD"
    categories = {c.id: c.name for c in app.catalogue.categories} if app.catalogue else {}
    tiers = {tier.code: tier.name for tier in app.ladder.tiers} if app.ladder else {}
    badge = None
    if offer.welcome:
        badge = t(lang, "offers.welcome")
    elif offer.win_back:
        badge = t(lang, "offers.win_back")
    terms = offer_terms(lang, offer, currency=currency, categories=categories, tier_names=tiers)
    action = _card_action(app, offer)
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.LOCAL_OFFER, color=ft.Colors.PRIMARY),
                            ft.Text(
                                text(offer.name, lang),
                                size=18,
                                weight=ft.FontWeight.BOLD,
                                expand=True,
                            ),
                        ]
                    ),
                    ft.Text(
                        offer_gift(lang, offer),
                        size=16,
                        color=ft.Colors.PRIMARY,
                        weight=ft.FontWeight.BOLD,
                    ),
                    *([ft.Text(badge, size=12, italic=True)] if badge else []),
                    ft.Text(text(offer.description, lang)),
                    ft.Text(" · ".join(terms), size=12),
                    *([action] if action else []),
                ],
                spacing=6,
            ),
            padding=16,
        ),
        key=f"offer-{offer.id}",
    )


def offers_entry(app: AppState) -> ft.Control:
    """The way to the offers from the Rewards screen, with how many run now."""
    lang = app.lang
    running = sum(1 for offer in app.offers if not offer.upcoming)
    return ft.ListTile(
        leading=ft.Icon(ft.Icons.LOCAL_OFFER, color=ft.Colors.PRIMARY),
        title=ft.Text(t(lang, "offers.entry")),
        subtitle=ft.Text(t(lang, "offers.entry_count", count=fmt_number(lang, running))),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda: ft.context.page.navigate("/offers"),
        key="offers-entry",
    )


@ft.component
def OffersPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang = app.lang
    cards: list[ft.Control] = [offer_card(app, offer) for offer in app.offers]
    if not cards:
        cards.append(empty_state(t(lang, "offers.empty"), ft.Icons.LOCAL_OFFER))
    return ft.Column(
        [sync_note(app), heading(t(lang, "offers.title")), *cards],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=8,
    )
