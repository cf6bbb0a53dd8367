"""The member app: state, theme and language on the page, one route table."""

from __future__ import annotations

import asyncio
import locale
import logging

import flet as ft

from ..i18n import language_for
from ..session import MemberSession, Prefs
from .context import AppCtx
from .fonts import font_for, fonts_for, needs_names_font
from .frame import Frame, FrameCtx
from .layout import Layout
from .locales import LOCALES
from .pictures import PicturesCtx, PictureShelf
from .screens.account import AccountPage
from .screens.badges import BadgesPage
from .screens.card import CardPage
from .screens.how_to_earn import HowToEarnPage
from .screens.inbox import InboxPage
from .screens.offers import OffersPage
from .screens.points import PointsPage
from .screens.referral import ReferralPage
from .screens.rewards import RewardDetailPage, RewardsPage
from .screens.settings import SettingsPage
from .screens.tier import TierPage
from .screens.vouchers import VouchersPage
from .state import AppState

log = logging.getLogger("loyalty_app.ui")

SYNC_INTERVAL_SECONDS = 60


def _system_language() -> str:
    return language_for(locale.getlocale()[0] or "")


@ft.component
def App(
    session: MemberSession, prefs: Prefs, brand_colour: str, default_lang: str | None = None
) -> list[ft.View]:
    def first_state() -> AppState:
        state = AppState(session=session, prefs=prefs)
        state.load_prefs(default_lang or _system_language())
        state.open_from_store()  # the first frame is the card, not "loading"
        # The language's font and the theme go out with the first frame, not after it: a
        # Chinese frame drawn before the client knew its font made the web client ask for
        # Noto fallback fonts it does not have (404s while loading).
        _page_settings(ft.context.page, state, brand_colour)
        return state

    app, _ = ft.use_state(first_state)
    shelf, _ = ft.use_state(lambda: PictureShelf(session.pictures))
    frame, _ = ft.use_state(Frame)
    page = ft.context.page

    async def run() -> None:
        page.on_resize = lambda e: setattr(app, "width", e.width)

        async def lifecycle(e: ft.AppLifecycleStateChangeEvent) -> None:
            # Back in the foreground (phone unlocked at the till, tab shown): sync, within
            # the backoff, so the card and balance are fresh.
            if e.state == ft.AppLifecycleState.RESUME:
                await app.refresh("resume")

        page.on_app_lifecycle_state_change = lifecycle
        await app.start()
        while True:  # interval sync; "resume" and manual refresh go through the same path
            await asyncio.sleep(SYNC_INTERVAL_SECONDS)
            if page.session.connection is not None:
                await app.refresh("interval")

    ft.use_effect(run, dependencies=[], cleanup=lambda: None)

    def apply_page_settings() -> None:
        _page_settings(page, app, brand_colour)

    ft.use_effect(
        apply_page_settings,
        dependencies=[app.theme, app.lang, app.programme is not None, _names_shown(app)],
    )

    async def show_pictures() -> None:
        logo = app.programme.logo if app.programme else None
        items = app.catalogue.items if app.catalogue else ()
        await shelf.show([logo, *(reward.image for reward in items)])

    ft.use_effect(show_pictures, dependencies=[app.programme, app.catalogue])

    return AppCtx(
        app,
        lambda: FrameCtx(frame, lambda: PicturesCtx(shelf, _routes)),
    )


def _page_settings(page: ft.Page, app: AppState, brand_colour: str) -> None:
    """What the page takes from the state: font, theme, theme mode, locale and title."""
    colour = app.programme.primary_colour if app.programme else brand_colour
    font = font_for(app.lang)
    page.fonts = fonts_for(app.lang, names=_names_shown(app))
    page.theme = ft.Theme(color_scheme_seed=colour, font_family=font)
    page.dark_theme = ft.Theme(color_scheme_seed=colour, font_family=font)
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(
        app.theme, ft.ThemeMode.SYSTEM
    )
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=list(LOCALES.values()), current_locale=LOCALES[app.lang]
    )
    if app.programme:
        page.title = app.programme.name.get(app.lang) or app.programme.name.get("en", "")


def _names_shown(app: AppState) -> bool:
    """The member's name needs the names font (林曉晴, in any language), or words of the
    member's own may be typed in Chinese (the sign-up's name, the feedback's comment): the
    page fetches it then, not before."""
    typing = (app.me is None and app.code_sent) or app.feedback_question() is not None
    return (typing and app.lang != "en") or needs_names_font(app.me.name if app.me else None)


def _routes() -> ft.Router:
    return ft.Router(
        [
            ft.Route(
                component=Layout,
                children=[
                    ft.Route(index=True, component=CardPage),
                    ft.Route(path="card", component=CardPage),
                    ft.Route(path="points", component=PointsPage),
                    ft.Route(path="tier", component=TierPage),
                    ft.Route(path="rewards", component=RewardsPage),
                    ft.Route(path="rewards/:reward_id", component=RewardDetailPage),
                    ft.Route(path="vouchers", component=VouchersPage),
                    ft.Route(path="offers", component=OffersPage),
                    ft.Route(path="how-to-earn", component=HowToEarnPage),
                    ft.Route(path="achievements", component=BadgesPage),
                    ft.Route(path="referral", component=ReferralPage),
                    ft.Route(path="settings", component=SettingsPage),
                    ft.Route(path="account", component=AccountPage),
                    # A member's invite link (/r/<code>): signed out, sign-up with the code
                    # filled in (screens/sign_in.py); signed in, the card.
                    ft.Route(path="r/:code", component=CardPage),
                    ft.Route(path="account/vouchers", component=VouchersPage),
                    ft.Route(path="inbox", component=InboxPage),
                ],
            ),
        ]
    )
