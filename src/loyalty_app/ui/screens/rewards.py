"""Rewards: a searchable, filterable grid; a detail view with terms and a confirmed redeem."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import flet as ft

from ...domain.models import Reward, text
from ...domain.rewards import Affordability, can_afford
from ...i18n import fmt_date, fmt_number, problem_text, t
from ..context import use_app
from ..pictures import picture, use_pictures
from ..state import AppState
from ..widgets import confirm_dialog, empty_state, heading, labelled_button, sync_note
from .offers import offers_entry

CATEGORY_ICONS = {
    "drinks": ft.Icons.LOCAL_CAFE,
    "food": ft.Icons.BAKERY_DINING,
    "merchandise": ft.Icons.SHOPPING_BAG,
    "experiences": ft.Icons.EMOJI_EVENTS,
}
#: Tiles span these many of 12 columns: two on a phone, three on a tablet, four on a desktop.
TILE_COLUMNS = {"xs": 6, "sm": 4, "lg": 3}
TILE_PICTURE = 88


def _verdict(app: AppState, reward: Reward) -> Affordability | None:
    if app.me is None or app.ladder is None:
        return None
    today = datetime.now(UTC).date()
    return can_afford(reward, app.me.balance, app.me.tier_code, app.ladder, today)


def _status_line(app: AppState, reward: Reward) -> str:
    verdict = _verdict(app, reward)
    if verdict is None or app.ladder is None:
        return ""
    lang = app.lang
    if verdict.status == "short":
        return t(lang, "rewards.short", points=fmt_number(lang, verdict.points_short))
    if verdict.status == "tier":
        tier = app.ladder.get(reward.min_tier) if reward.min_tier else None
        return t(lang, "rewards.tier_only", tier=text(tier.name, lang) if tier else "")
    if verdict.status == "sold_out":
        return t(lang, "rewards.sold_out")
    if verdict.status == "expired":
        return t(lang, "rewards.expired")
    if reward.stock is not None:
        return t(lang, "rewards.stock", count=reward.stock)
    return ""


def _choose(app: AppState, category: str) -> Callable[[], None]:
    # A closure, not `lambda c=c:` - Flet passes the event to a handler's first parameter.
    return lambda: app.choose_category(category)


def _dismiss(app: AppState, intent_id: int) -> Callable[[], None]:
    return lambda: app.dismiss(intent_id)


def _tile(app: AppState, images: dict[str, bytes], reward: Reward) -> ft.Control:
    lang = app.lang
    name = text(reward.name, lang)
    verdict = _verdict(app, reward)
    locked = verdict is not None and not verdict.ok
    status = _status_line(app, reward)
    return ft.Card(
        ft.Container(
            content=ft.Column(
                [
                    ft.Row(
                        [
                            picture(
                                images,
                                reward.image,
                                size=TILE_PICTURE,
                                label=name,
                                fallback=CATEGORY_ICONS.get(reward.category, ft.Icons.REDEEM),
                            )
                        ],
                        alignment=ft.MainAxisAlignment.CENTER,
                    ),
                    ft.Text(
                        name,
                        weight=ft.FontWeight.BOLD,
                        max_lines=2,
                        overflow=ft.TextOverflow.ELLIPSIS,
                    ),
                    ft.Text(
                        t(lang, "rewards.cost", points=fmt_number(lang, reward.cost)),
                        color=ft.Colors.PRIMARY,
                        weight=ft.FontWeight.BOLD,
                    ),
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.LOCK_OUTLINE, size=14, visible=locked),
                            ft.Text(status, size=12, expand=True),
                        ],
                        spacing=4,
                        visible=bool(status),
                    ),
                ],
                spacing=4,
            ),
            padding=10,
            opacity=0.7 if locked else 1.0,
            on_click=lambda: ft.context.page.navigate(f"/rewards/{reward.id}"),
            key=f"reward-{reward.id}",
        ),
        col=TILE_COLUMNS,
    )


@ft.component
def RewardsPage() -> ft.Control:
    app = use_app()
    images = use_pictures()
    if app is None:
        return ft.Container()
    lang = app.lang
    shown = app.rewards_shown()
    cats = app.catalogue.categories if app.catalogue else ()
    chips = [
        ft.Chip(
            label=ft.Text(t(lang, "rewards.all")),
            selected=app.category is None,
            on_select=lambda: app.choose_category(None),
            key="cat-all",
        )
    ]
    chips += [
        ft.Chip(
            label=ft.Text(text(c.name, lang)),
            selected=app.category == c.id,
            on_select=_choose(app, c.id),
            key=f"cat-{c.id}",
        )
        for c in cats
    ]
    # Tiles flow in columns inside the page's own scroll, so large text (200 %) still
    # reaches every control; a page of tiles at a time keeps a 10,000-reward catalogue light.
    grid: list[ft.Control] = (
        [
            ft.ResponsiveRow(
                [_tile(app, images, r) for r in shown[: app.rewards_limit]],
                spacing=8,
                run_spacing=8,
                key="reward-grid",
            )
        ]
        if shown
        else [empty_state(t(lang, "rewards.empty"), ft.Icons.SEARCH_OFF)]
    )
    if len(shown) > app.rewards_limit:
        grid.append(
            labelled_button(t(lang, "points.load_more"), app.show_more_rewards, key="more-rewards")
        )
    return ft.Column(
        [
            sync_note(app),
            ft.Row(
                [
                    heading(t(lang, "rewards.title")),
                    labelled_button(
                        t(lang, "rewards.my_vouchers"),
                        lambda: ft.context.page.navigate("/vouchers"),
                        icon=ft.Icons.CONFIRMATION_NUMBER,
                        key="my-vouchers",
                    ),
                ],
                wrap=True,
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            ),
            _pending_banner(app),
            offers_entry(app),
            ft.TextField(
                label=t(lang, "rewards.search"),
                value=app.query,
                prefix_icon=ft.Icons.SEARCH,
                on_change=lambda e: app.search(e.control.value),
                key="reward-search",
            ),
            ft.Row(chips, wrap=True, spacing=6),
            ft.Switch(
                label=t(lang, "rewards.affordable"),
                value=app.affordable_only,
                on_change=lambda e: app.toggle_affordable(e.control.value),
                key="affordable",
            ),
            *grid,
            *_recommended(app),
        ],
        expand=True,
        spacing=8,
        scroll=ft.ScrollMode.AUTO,
    )


def _recommended(app: AppState) -> list[ft.Control]:
    """Recommended for you: a short row of rewards, each with why in one line (below the
    catalogue, so the tiles keep their places)."""
    lang = app.lang
    picks = app.recommended()
    if not picks:
        return []
    cats = {c.id: c.name for c in app.catalogue.categories} if app.catalogue else {}
    cards = []
    for pick in picks:
        reason = t(
            lang,
            pick.reason,
            category=text(cats[pick.category], lang) if pick.category in cats else "",
        )
        cards.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(text(pick.reward.name, lang), weight=ft.FontWeight.BOLD),
                            ft.Text(
                                t(lang, "rewards.cost", points=fmt_number(lang, pick.reward.cost)),
                                size=13,
                            ),
                            ft.Text(reason, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                        ],
                        spacing=2,
                    ),
                    padding=10,
                    width=200,
                    on_click=_opener(pick.reward.id),
                ),
                key=f"recommended-{pick.reward.id}",
            )
        )
    return [
        ft.Text(t(lang, "recommend.title"), size=18, weight=ft.FontWeight.BOLD),
        ft.Row(cards, scroll=ft.ScrollMode.AUTO, key="recommended"),
    ]


def _opener(reward_id: str):  # noqa: ANN202
    def open_reward() -> None:
        ft.context.page.navigate(f"/rewards/{reward_id}")

    return open_reward


def _pending_banner(app: AppState) -> ft.Control:
    """Queued redeems stay visible until they go through; rejections say why."""
    lang = app.lang
    names = {r.id: text(r.name, lang) for r in (app.catalogue.items if app.catalogue else ())}
    rows: list[ft.Control] = []
    for intent in app.pending:
        if intent.kind == "redeem":
            rows.append(
                ft.Row(
                    [
                        ft.Icon(ft.Icons.SCHEDULE, size=16),
                        ft.Text(
                            t(
                                lang,
                                "vouchers.pending",
                                reward=names.get(intent.payload["reward_id"], ""),
                            ),
                            key="pending-redeem",
                        ),
                    ]
                )
            )
    for intent in app.rejected:
        rows.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.ERROR_OUTLINE, size=16, color=ft.Colors.ERROR),
                    ft.Text(
                        t(lang, "rewards.rejected", reason=problem_text(lang, intent.problem)),
                        expand=True,
                        key="rejected-redeem",
                    ),
                    ft.TextButton(t(lang, "vouchers.dismiss"), on_click=_dismiss(app, intent.id)),
                ]
            )
        )
    return ft.Column(rows, visible=bool(rows))


@ft.component
def RewardDetailPage() -> ft.Control:
    app = use_app()
    params = ft.use_route_params()
    images = use_pictures()
    if app is None:
        return ft.Container()
    lang = app.lang
    reward = next(
        (
            r
            for r in (app.catalogue.items if app.catalogue else ())
            if r.id == params.get("reward_id")
        ),
        None,
    )
    back = labelled_button(
        t(lang, "rewards.back"),
        lambda: ft.context.page.navigate("/rewards"),
        icon=ft.Icons.ARROW_BACK,
        key="back",
    )
    if reward is None:
        return ft.Column([back, empty_state(t(lang, "rewards.empty"))])
    name = text(reward.name, lang)
    balance = app.me.balance if app.me else 0
    verdict = (
        can_afford(reward, balance, app.me.tier_code, app.ladder, datetime.now(UTC).date())
        if app.me and app.ladder
        else None
    )
    page = ft.context.page

    async def confirmed() -> None:
        # "Redeeming…" (or "Queued") is drawn here before any network; the vouchers screen
        # follows with the voucher from the server's answer, the rest of the sync after it.
        page.pop_dialog()
        here = app.location
        status = await app.redeem(reward.id, "/vouchers")
        if app.location == here:  # not if the member went elsewhere meanwhile
            page.navigate("/vouchers")
        if status == "done":
            await app.refresh("redeem")

    def ask() -> None:
        confirm_dialog(
            page,
            title=t(lang, "rewards.confirm_title", reward=name),
            body=t(
                lang,
                "rewards.confirm_body",
                points=fmt_number(lang, reward.cost),
                after=fmt_number(lang, balance - reward.cost),
            ),
            cancel=t(lang, "rewards.cancel"),
            confirm=t(lang, "rewards.confirm"),
            on_confirm=confirmed,
            key="redeem",
            working=lambda: t(
                lang, "rewards.queued" if app.connectivity == "offline" else "rewards.redeeming"
            ),
        )

    return ft.Column(
        [
            back,
            ft.Row(
                [
                    picture(
                        images,
                        reward.image,
                        size=160,
                        label=name,
                        fallback=CATEGORY_ICONS.get(reward.category, ft.Icons.REDEEM),
                        key="reward-picture",
                    )
                ],
                alignment=ft.MainAxisAlignment.CENTER,
            ),
            heading(name),
            ft.Text(
                t(lang, "rewards.cost", points=fmt_number(lang, reward.cost)),
                size=20,
                color=ft.Colors.PRIMARY,
            ),
            ft.Text(text(reward.description, lang)),
            ft.Text(
                t(lang, "rewards.valid_until", date=fmt_date(lang, reward.valid_until)),
                visible=reward.valid_until is not None,
            ),
            ft.Text(_status_line(app, reward), size=13),
            ft.Text(t(lang, "rewards.terms"), weight=ft.FontWeight.BOLD),
            ft.Text(text(reward.terms, lang), size=13),
            labelled_button(
                t(lang, "rewards.redeem"),
                ask,
                filled=True,
                icon=ft.Icons.REDEEM,
                key="redeem",
                disabled=not (verdict and verdict.ok),
            ),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=10,
    )
