"""The FastAPI application: routers, problem handlers, the body limit, the shared context."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from . import __version__
from .context import ServerContext
from .db import Database
from .limits import BodyLimit
from .mailer import Mailer
from .media import MediaLibrary
from .problems import install_problem_handlers
from .programme import Programme, demo_programme_path, load_programme
from .routes import auth, checkout, devices, inbox, member, offers, rewards, system
from .services.catalogue import sync_rewards
from .settings import Settings


def build_context(settings: Settings, *, sync_catalogue: bool = True) -> ServerContext:
    """The server's context. `sync_catalogue=False` in `serve --workers` processes: the parent
    has brought the rewards in line with the programme once, before any worker started."""
    programme_path = settings.programme_path or demo_programme_path()
    programme: Programme = load_programme(programme_path)
    db = Database(settings.database_url)
    ctx = ServerContext(
        settings=settings,
        db=db,
        programme=programme,
        mailer=Mailer(settings.smtp, programme.brand.name["en"]),
        media=MediaLibrary.for_programme(programme, Path(programme_path).parent),
    )
    if sync_catalogue:
        sync_rewards(db, programme, ctx.now())
    return ctx


def create_app(ctx: ServerContext) -> FastAPI:
    app = FastAPI(
        title="Loyalty API",
        version=__version__,
        description="The loyalty member app's backend contract. Errors are RFC 9457 "
        "problem+json with stable `type`s; mutating calls take an Idempotency-Key.",
    )
    app.state.ctx = ctx
    install_problem_handlers(app)
    # The till's routes first: routes are matched in order, and a chain's tills are the
    # busiest callers (a credit walked past some thirty member routes before).
    for module in (checkout, system, auth, member, offers, devices, inbox, rewards):
        app.include_router(module.router)
    app.include_router(inbox.feedback_router)
    app.include_router(offers.badges_router)
    app.add_middleware(BodyLimit, max_bytes=ctx.settings.max_body_bytes)
    if ctx.settings.cors_origins:
        # Outermost, so refusals (a body too large, a problem) carry the headers too and the
        # page can read them. No cookies are used: tokens travel in Authorization.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(ctx.settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"],
            expose_headers=["ETag", "Retry-After", "Location"],
            max_age=600,
        )
    return app


def openapi_document(app: FastAPI) -> str:
    """The contract as committed: stable key order, trailing newline."""
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
