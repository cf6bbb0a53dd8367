"""The owner's commands of `loyalty-server`: report (and, in `admin_cli`, members, rewards,
programme check). `cli.py` only registers them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from .admin_cli import ADMIN_COMMANDS, add_admin_commands, run_admin
from .settings import Settings

OWNER_COMMANDS = ("report", "check-ledger", *ADMIN_COMMANDS)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-10-31, not {value!r}") from None


def _point_value(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number < 0:
        raise argparse.ArgumentTypeError(f"must be an amount like 0.005, not {value!r}")
    return number


def add_owner_commands(
    sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    report = sub.add_parser(
        "report",
        help="the owner's KPIs for a period (default: the last 90 days vs the 90 before)",
    )
    common(report)
    report.add_argument("--from", dest="first", type=_day, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="last", type=_day, metavar="YYYY-MM-DD")
    report.add_argument("--store", help="per-store figures for this store only")
    report.add_argument(
        "--point-value",
        type=_point_value,
        metavar="AMOUNT",
        help="what one point costs the shop, in the programme's currency: values the "
        "points liability in money",
    )
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON instead of the table")
    output.add_argument("--csv", action="store_true", help="print CSV instead of the table")
    report.add_argument(
        "--html", type=Path, metavar="FILE", help="also write a self-contained HTML page"
    )
    check = sub.add_parser(
        "check-ledger",
        help="compare every member's running totals with a full recomputation from the "
        "ledger (exit 1 on a mismatch)",
    )
    common(check)
    check.add_argument(
        "--fix", action="store_true", help="set the wrong totals to the recomputed values"
    )
    add_admin_commands(sub, common)


def run_owner(args: argparse.Namespace, settings: Settings) -> int:
    from .db import Database
    from .migrate import upgrade
    from .programme import demo_programme_path, load_programme

    programme = load_programme(settings.programme_path or demo_programme_path())
    db = Database(settings.database_url)
    try:
        upgrade(db)
        if args.command == "report":
            return _report(db, programme, args)
        if args.command == "check-ledger":
            return _check_ledger(db, args)
        from .context import ServerContext
        from .mailer import Mailer

        return run_admin(ServerContext(settings, db, programme, Mailer(None, "")), args)
    finally:
        db.dispose()


def _check_ledger(db, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .services.ledger_check import check_ledger

    found = check_ledger(db, fix=args.fix)
    for m in found:
        print(
            f"member {m.number}: points_open {m.stored.points_open} (ledger says "
            f"{m.recomputed.points_open}), qualifying_total {m.stored.qualifying_total} "
            f"(ledger says {m.recomputed.qualifying_total})"
        )
    if not found:
        print("ledger ok: every member's running totals match the ledger")
        return 0
    if args.fix:
        print(f"fixed {len(found)} member(s): their totals now match the ledger")
        return 0
    print(f"{len(found)} member(s) with totals that differ from the ledger (--fix sets them)")
    return 1


def _fail(message: str) -> int:
    print(f"loyalty-server: {message}", file=sys.stderr)
    return 2


def _report(db, programme, args: argparse.Namespace) -> int:  # noqa: ANN001
    from rich.console import Console

    from .report import queries
    from .report.build import build_report
    from .report.period import period_for
    from .report.render import as_json, csv_text, print_table

    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(programme.time_zone)).date()
    try:
        period = period_for(args.first, args.last, today)
    except ValueError as exc:
        return _fail(f"report: {exc}")
    if args.store is not None:
        with db.read() as s:
            stores = queries.known_stores(s)
        if args.store not in stores:
            known = ", ".join(f'"{s}"' for s in stores) or "none yet"
            return _fail(f'report: no store "{args.store}"; the stores are: {known}')
    report = build_report(
        db, programme, period, now, store=args.store, point_value=args.point_value
    )
    if args.html is not None:
        from .report.html import write_html

        write_html(report, args.html)
    if args.json:
        json.dump(as_json(report), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.csv:
        sys.stdout.write(csv_text(report))
    else:
        print_table(report, Console(width=max(100, Console().width), highlight=False))
        if args.html is not None:
            print(f"wrote {args.html}")
    return 0
