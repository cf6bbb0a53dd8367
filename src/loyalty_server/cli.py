"""`loyalty-server`: serve (one process or --workers N), migrate, seed-demo, staff
add/list/revoke, openapi."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .owner_cli import OWNER_COMMANDS, add_owner_commands, run_owner
from .settings import Settings, SmtpSettings, default_database_url

BANNER = """
======================================================================
  DEMO MODE: demo members sign in with codes printed here, and the
  "try the demo" sign-in needs no code. Never run a real shop like this.
======================================================================"""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database-url",
        default=os.environ.get("LOYALTY_DATABASE_URL"),
        help="SQLAlchemy URL (default: SQLite in the user-data directory; "
        "PostgreSQL: postgresql+psycopg://user@host/db)",
    )
    p.add_argument(
        "--programme",
        type=Path,
        default=os.environ.get("LOYALTY_PROGRAMME"),
        help="programme TOML file (default: the Harbor Coffee demo programme)",
    )


def _smtp(p: argparse.ArgumentParser) -> None:
    p.add_argument("--smtp-host", default=os.environ.get("LOYALTY_SMTP_HOST"))
    p.add_argument("--smtp-port", type=int, default=int(os.environ.get("LOYALTY_SMTP_PORT", "25")))
    p.add_argument("--smtp-from", default=os.environ.get("LOYALTY_SMTP_FROM", "loyalty@localhost"))
    p.add_argument("--smtp-user", default=os.environ.get("LOYALTY_SMTP_USER"))
    p.add_argument("--smtp-starttls", action="store_true")


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {value}")
    return number


def _worker_count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError(f"must be a number of processes from 1 to 64, not {value}")
    return number


def _origin(value: str) -> str:
    """A browser origin exactly as the browser sends it: scheme, host, port if any."""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise argparse.ArgumentTypeError(
            f"an origin is scheme://host[:port] with nothing after it, not {value!r}"
        )
    return value.rstrip("/")


def _grace_seconds(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 60:
        raise argparse.ArgumentTypeError(f"must be 0 to 60 seconds, not {value}")
    return number


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="loyalty-server", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API server")
    _common(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--workers",
        type=_worker_count,
        default=os.environ.get("LOYALTY_WORKERS", "1"),
        help="server processes sharing the port (default 1; env LOYALTY_WORKERS). They share "
        "nothing but the database: use PostgreSQL for more than one",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="seed demo members if none exist and print their sign-in codes",
    )
    serve.add_argument(
        "--public-url",
        default=os.environ.get("LOYALTY_PUBLIC_URL", ""),
        help="the URL members reach this server at (for referral links)",
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        type=_origin,
        default=[],
        metavar="ORIGIN",
        help="a web origin (https://app.example.org) whose pages may call this API: the "
        "static member app's; repeatable; none: no cross-origin calls",
    )
    _smtp(serve)
    serve.add_argument(
        "--forwarded-allow-ips",
        default=os.environ.get("FORWARDED_ALLOW_IPS"),
        help="proxies whose X-Forwarded-For names the client (default 127.0.0.1); behind "
        "a reverse proxy on another host, its address, or every member shares its limits",
    )
    serve.add_argument(
        "--code-requests-per-address",
        type=int,
        default=Settings.code_requests_per_address_free,
        help="sign-in codes one address may ask for a day before each waits longer "
        f"(default {Settings.code_requests_per_address_free})",
    )
    serve.add_argument(
        "--code-requests-per-hour",
        type=int,
        default=Settings.code_requests_per_hour_overall,
        help="sign-in codes everyone together may ask for an hour "
        f"(default {Settings.code_requests_per_hour_overall})",
    )
    serve.add_argument(
        "--verifies-per-hour",
        type=int,
        default=Settings.verifies_per_hour_overall,
        help="sign-in codes everyone together may try an hour "
        f"(default {Settings.verifies_per_hour_overall})",
    )
    serve.add_argument(
        "--verifies-per-address",
        type=int,
        default=Settings.verifies_per_address_free,
        help="sign-in codes one address may try a day before each waits longer "
        f"(default {Settings.verifies_per_address_free})",
    )
    serve.add_argument(
        "--session-max-age",
        type=_positive_int,
        metavar="SECONDS",
        default=os.environ.get("LOYALTY_SESSION_MAX_AGE"),
        help="a device's session ends this long after sign-in, however often it refreshes "
        "(default 90 days; env LOYALTY_SESSION_MAX_AGE)",
    )
    serve.add_argument(
        "--refresh-grace",
        type=_grace_seconds,
        metavar="SECONDS",
        default=os.environ.get("LOYALTY_REFRESH_GRACE"),
        help="a rotated refresh token repeated this soon gets the same new pair again; later, "
        "once that pair was used, the repeat ends the device's session (default "
        f"{Settings.refresh_grace_seconds}, at most 60; env LOYALTY_REFRESH_GRACE)",
    )
    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    _common(migrate)
    remind = sub.add_parser(
        "remind",
        help="e-mail the reminders that are due (points or vouchers about to expire), each "
        "once per member and event; run it from cron or a systemd timer",
    )
    _common(remind)
    _smtp(remind)
    seed = sub.add_parser("seed-demo", help="add the Harbor Coffee demo members")
    _common(seed)
    staff = sub.add_parser("staff", help="manage staff / kiosk credentials")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="create a credential (printed once)")
    add.add_argument("name")
    add.add_argument("--store", default="Harbor Coffee Pier 7")
    _common(add)
    listing = staff_sub.add_parser("list", help="every credential (never its secret)")
    _common(listing)
    revoke = staff_sub.add_parser("revoke", help="revoke a credential at once (by its id)")
    revoke.add_argument("staff_id")
    _common(revoke)
    openapi = sub.add_parser("openapi", help="print the OpenAPI document")
    _common(openapi)
    add_owner_commands(sub, _common)
    return root


def _settings(args: argparse.Namespace) -> Settings:
    smtp = None
    if getattr(args, "smtp_host", None):
        smtp = SmtpSettings(
            host=args.smtp_host,
            port=args.smtp_port,
            sender=args.smtp_from,
            username=args.smtp_user,
            password=os.environ.get("LOYALTY_SMTP_PASSWORD"),
            starttls=args.smtp_starttls,
        )
    return Settings(
        database_url=args.database_url or default_database_url(),
        programme_path=args.programme,
        demo=getattr(args, "demo", False),
        smtp=smtp,
        public_url=getattr(args, "public_url", "") or "",
        cors_origins=tuple(getattr(args, "cors_origin", ()) or ()),
        code_requests_per_address_free=getattr(
            args, "code_requests_per_address", Settings.code_requests_per_address_free
        ),
        verifies_per_address_free=getattr(
            args, "verifies_per_address", Settings.verifies_per_address_free
        ),
        code_requests_per_hour_overall=getattr(
            args, "code_requests_per_hour", Settings.code_requests_per_hour_overall
        ),
        verifies_per_hour_overall=getattr(
            args, "verifies_per_hour", Settings.verifies_per_hour_overall
        ),
        **(
            {"session_max_age_seconds": args.session_max_age}
            if getattr(args, "session_max_age", None) is not None
            else {}
        ),
        **(
            {"refresh_grace_seconds": args.refresh_grace}
            if getattr(args, "refresh_grace", None) is not None
            else {}
        ),
    )


def _migrated_database(settings: Settings):  # noqa: ANN202
    from .db import Database
    from .migrate import upgrade

    db = Database(settings.database_url)
    upgrade(db)
    return db


def _context(settings: Settings):  # noqa: ANN202
    from .app import build_context

    _migrated_database(settings).dispose()
    return build_context(settings)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from .programme import ProgrammeError

    try:
        return _run(args)
    except ProgrammeError as exc:
        print(f"loyalty-server: programme file: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.command in OWNER_COMMANDS:
        return run_owner(args, settings)
    if args.command == "openapi":
        from .app import create_app, openapi_document
        from .context import ServerContext
        from .mailer import Mailer
        from .programme import demo_programme_path, load_programme

        programme = load_programme(settings.programme_path or demo_programme_path())
        ctx = ServerContext(settings, None, programme, Mailer(None, ""))  # type: ignore[arg-type]
        sys.stdout.write(openapi_document(create_app(ctx)))
        return 0
    if args.command in ("migrate", "staff"):
        # Only `serve` and `seed-demo` bring the rewards in line with a programme file: these
        # must not rewrite a shop's catalogue and stock with the default programme.
        from .context import ServerContext
        from .mailer import Mailer

        db = _migrated_database(settings)
        try:
            if args.command == "migrate":
                print(f"database is up to date: {_safe_url(settings.database_url)}")
            else:
                ctx = ServerContext(settings, db, None, Mailer(None, ""))  # type: ignore[arg-type]
                return _staff(ctx, args)
        finally:
            db.dispose()
        return 0
    if args.command == "remind":
        return _remind(settings)
    ctx = _context(settings)
    if args.command == "seed-demo":
        from .demo import seed

        for email in seed(ctx):
            print(f"demo member: {email}")
        print(
            "sign in with `loyalty-member sign-in EMAIL` against a server started with --demo:"
            " it prints the one-time code."
        )
    elif args.command == "serve":
        return _serve(ctx, args)
    return 0


def _remind(settings: Settings) -> int:
    """Like `staff`, it leaves the rewards' stock alone (only `serve` and `seed-demo` bring the
    catalogue in line with a programme file)."""
    from .context import ServerContext
    from .mailer import Mailer
    from .programme import demo_programme_path, load_programme
    from .services.reminders import remind

    if settings.smtp is None:
        print("loyalty-server remind: needs an SMTP server (--smtp-host)", file=sys.stderr)
        return 2
    programme = load_programme(settings.programme_path or demo_programme_path())
    db = _migrated_database(settings)
    try:
        ctx = ServerContext(
            settings, db, programme, Mailer(settings.smtp, programme.brand.name["en"])
        )
        report = remind(ctx)
    finally:
        db.dispose()
    print(
        f"reminders sent: {report.sent}; refused by the mail server (tried again next run): "
        f"{report.failed}; connection lost while sending (not tried again): {report.maybe_sent}"
    )
    return 1 if report.failed or report.maybe_sent else 0


def _staff(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .services.staff import add_staff, list_staff, revoke_staff

    if args.staff_command == "add":
        token = add_staff(ctx, args.name, args.store)
        print(f"Staff credential for {args.name} at {args.store} (shown once, keep it safe):")
        print(token)
    elif args.staff_command == "list":
        for staff in list_staff(ctx):
            state = f"revoked {staff.revoked_at:%Y-%m-%d %H:%M}" if staff.revoked_at else "active"
            print(f"{staff.id}  {state:<24}  {staff.name}  ({staff.store})")
    else:
        revoked = revoke_staff(ctx, args.staff_id)
        if revoked is None:
            print(f"loyalty-server: no staff credential {args.staff_id!r}", file=sys.stderr)
            return 1
        print(f"revoked: {revoked.name} ({revoked.store}); refused from the next request on")
    return 0


def _serve(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    import uvicorn

    from .app import create_app

    if ctx.settings.demo:
        from .demo import seed

        emails = seed(ctx)
        print(BANNER, flush=True)
        print("demo members: " + ", ".join(emails), flush=True)
    workers = args.workers
    print(
        f"loyalty-server on http://{args.host}:{args.port} "
        f"(database {_safe_url(ctx.settings.database_url)}"
        + (f", {workers} worker processes" if workers > 1 else "")
        + ")",
        flush=True,
    )
    options = {
        "host": args.host,
        "port": args.port,
        "log_level": "warning",
        "access_log": False,
        "forwarded_allow_ips": args.forwarded_allow_ips,
    }
    if workers == 1:
        uvicorn.run(create_app(ctx), **options)
        return 0
    from .workers import SETTINGS_ENV, settings_to_json

    # Workers build their own context (engine, programme) from the same settings; this
    # process only supervises them, so its connections go before they start.
    os.environ[SETTINGS_ENV] = settings_to_json(ctx.settings)
    ctx.db.dispose()
    uvicorn.run("loyalty_server.workers:app", factory=True, workers=workers, **options)
    return 0


def _safe_url(url: str) -> str:
    """The URL without a password, fit for logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
