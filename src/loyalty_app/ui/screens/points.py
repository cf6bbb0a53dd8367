"""Points: balance, pending, what expires when, and the history with a reason per entry."""

from __future__ import annotations

from datetime import UTC, date, datetime

import flet as ft

from ...domain.history import history_facts, relative_day
from ...domain.models import LedgerEntry, text
from ...domain.points import ExpiringSoon, expiring_soon
from ...i18n import fmt_date, fmt_money, fmt_number, t
from ..context import use_app
from ..state import AppState
from ..widgets import empty_state, heading, labelled_button, sync_note


def reason_text(app: AppState, entry: LedgerEntry) -> str:
    lang, d = app.lang, entry.details
    if entry.reason == "purchase":
        amount = d.get("amount")
        money = fmt_money(lang, amount, d.get("currency", "USD")) if amount else ""
        return t(lang, "reason.purchase", amount=money)
    if entry.reason == "reward_redeemed":
        reward = app.catalogue and next(
            (r for r in app.catalogue.items if r.id == d.get("reward_id")), None
        )
        name = text(reward.name, lang) if reward else str(d.get("reward_id", ""))
        return t(lang, "reason.reward_redeemed", reward=name)
    if entry.reason == "challenge_completed":
        name = d.get("name")
        badge = text(name, lang) if isinstance(name, dict) else str(d.get("challenge_id", ""))
        return t(lang, "reason.challenge_completed", badge=badge)
    if entry.reason in ("offer_bonus", "offer_withdrawn"):
        name = d.get("name")
        offer = text(name, lang) if isinstance(name, dict) else str(d.get("offer_id", ""))
        return t(lang, f"reason.{entry.reason}", offer=offer)
    key = f"reason.{entry.reason}"
    known = t(lang, key)
    return known if known != key else t(lang, "reason.other")


def entry_sub(lang: str, entry: LedgerEntry) -> str:
    """The line under the reason: its date, where (a purchase's store), and when its points
    expire; for expired points the day they expired and when they were earned."""
    facts = history_facts(entry)
    if entry.reason == "points_expired":
        parts = [fmt_date(lang, facts.day)]  # under "Points expired": the day they expired
        if facts.earned is not None:
            first, last = facts.earned
            parts.append(
                t(lang, "points.earned_on", date=fmt_date(lang, first))
                if first == last
                else t(
                    lang,
                    "points.earned_between",
                    first=fmt_date(lang, first),
                    last=fmt_date(lang, last),
                )
            )
        return " · ".join(parts)
    parts = [fmt_date(lang, facts.day)]
    if facts.store:
        parts.append(facts.store)
    if facts.expires_on:
        parts.append(t(lang, "points.expires", date=fmt_date(lang, facts.expires_on)))
    return " · ".join(parts)


def _entry_row(app: AppState, entry: LedgerEntry) -> ft.Control:
    lang = app.lang
    sign = "+" if entry.amount > 0 else ""
    colour = ft.Colors.GREEN_700 if entry.amount > 0 else ft.Colors.RED_700
    return ft.ListTile(
        title=ft.Text(reason_text(app, entry)),
        subtitle=ft.Text(entry_sub(lang, entry), size=12),
        trailing=ft.Text(
            f"{sign}{fmt_number(lang, entry.amount)}", color=colour, weight=ft.FontWeight.BOLD
        ),
        key=f"entry-{entry.id}",
    )


def expiring_text(lang: str, soon: ExpiringSoon | None, today: date, days: int = 30) -> str:
    """ "207 points expire on Dec 3", "… expire today" / "… tomorrow" when it is, and how many
    expire within the window when that is more than the first day's."""
    if soon is None:
        return t(lang, "points.no_expiring")
    points = fmt_number(lang, soon.points)
    near = relative_day(soon.day, today)
    if near is not None:
        said = t(lang, f"points.expiring_{near}", points=points)
    else:
        said = t(lang, "points.expiring", points=points, date=fmt_date(lang, soon.day))
    if soon.total > soon.points:
        more = t(lang, "points.expiring_window", points=fmt_number(lang, soon.total), days=days)
        said = f"{said} · {more}"
    return said


@ft.component
def PointsPage() -> ft.Control:
    app = use_app()
    if app is None:
        return ft.Container()
    lang, me = app.lang, app.me
    today = datetime.now(UTC).date()
    soon = expiring_soon(me, today) if me else None
    expiring = expiring_text(lang, soon, today)

    async def more() -> None:
        await app.load_more_history()

    rows: list[ft.Control] = [_entry_row(app, e) for e in app.history]
    if not rows:
        rows.append(empty_state(t(lang, "points.empty"), ft.Icons.LOCAL_CAFE))
    elif app.history_cursor:
        rows.append(
            ft.Container(
                labelled_button(
                    t(lang, "points.load_more"), more, key="load-more", disabled=app.history_loading
                ),
                padding=8,
            )
        )
    else:
        rows.append(ft.Text(t(lang, "points.end"), size=12, italic=True))
    return ft.Column(
        [
            sync_note(app),
            heading(t(lang, "points.title")),
            ft.Row(
                [
                    _figure(
                        t(lang, "points.balance"),
                        fmt_number(lang, me.balance if me else 0),
                        "points-balance",
                    ),
                    _figure(
                        t(lang, "points.pending"),
                        fmt_number(lang, me.pending if me else 0),
                        "points-pending",
                    ),
                ],
                wrap=True,
                spacing=24,
            ),
            ft.Row(
                [
                    ft.Icon(ft.Icons.HOURGLASS_BOTTOM, size=18),
                    ft.Text(expiring, key="points-expiring", expand=True),
                ]
            ),
            ft.Text(t(lang, "points.history"), size=18, weight=ft.FontWeight.BOLD),
            *rows,
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        on_scroll=_at_end(more),
        spacing=8,
    )


def _figure(label: str, value: str, key: str) -> ft.Control:
    return ft.Column(
        [ft.Text(label, size=13), ft.Text(value, size=32, weight=ft.FontWeight.BOLD, key=key)],
        spacing=2,
    )


def _at_end(load_more):  # noqa: ANN001, ANN202
    """Infinite scroll: fetch the next page when the list is scrolled to its end."""

    async def on_scroll(e: ft.OnScrollEvent) -> None:
        if e.max_scroll_extent and e.pixels >= e.max_scroll_extent - 40:
            await load_more()

    return on_scroll
