"""`loyalty-server members | rewards | programme check`: admin without editing the database.
Registered through `owner_cli`; every refusal is one line on stderr and exit 1 (2 for a bad
programme file), with nothing changed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from zoneinfo import ZoneInfo

ADMIN_COMMANDS = ("members", "rewards", "programme")


def _stock(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"cannot be negative ({number}); 0 means sold out")
    return number


def add_admin_commands(
    sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    members = sub.add_parser("members", help="find, show and adjust members")
    members_sub = members.add_subparsers(dest="members_command", required=True)
    find = members_sub.add_parser("find", help="members by part of an e-mail, phone or number")
    find.add_argument("text")
    common(find)
    show = members_sub.add_parser(
        "show", help="one member (by e-mail, phone or member number): balance, tier, visits"
    )
    show.add_argument("who", help="e-mail, phone or member number")
    common(show)
    adjust = members_sub.add_parser(
        "adjust", help="a goodwill credit (+N) or a correction (-N), recorded with who did it"
    )
    adjust.add_argument("who", help="e-mail, phone or member number")
    adjust.add_argument("--points", type=int, required=True, help="points to add (or -N to take)")
    adjust.add_argument("--reason", required=True, help="why, in words the member may see")
    adjust.add_argument("--by", required=True, help="who makes the change (for the audit trail)")
    adjust.add_argument(
        "--idempotency-key",
        required=True,
        metavar="KEY",
        help="8-128 characters naming this adjustment; a retry with the same key changes nothing",
    )
    common(adjust)
    rewards = sub.add_parser("rewards", help="reward stock")
    rewards_sub = rewards.add_subparsers(dest="rewards_command", required=True)
    stock = rewards_sub.add_parser(
        "stock", help="list every reward's stock, or set one: rewards stock ID N --by NAME"
    )
    stock.add_argument("reward_id", nargs="?")
    stock.add_argument("stock", nargs="?", type=_stock)
    stock.add_argument("--by", help="who makes the change (needed to set a stock)")
    common(stock)
    programme = sub.add_parser("programme", help="programme file tools")
    programme_sub = programme.add_subparsers(dest="programme_command", required=True)
    check = programme_sub.add_parser(
        "check",
        help="validate FILE and say what it would change for existing members, compared "
        "with the programme now deployed (--programme)",
    )
    check.add_argument("file")
    common(check)


def run_admin(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .admin import AdminError

    try:
        if args.command == "members":
            return _members(ctx, args)
        if args.command == "rewards":
            return _rewards(ctx, args)
        return _programme_check(ctx, args)
    except AdminError as exc:
        print(f"loyalty-server: {str(exc).rstrip('.')}; nothing was changed", file=sys.stderr)
        return 1


def _members(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .admin import audit, members
    from .models import AdminAction

    zone = ZoneInfo(ctx.programme.time_zone)
    if args.members_command == "find":
        with ctx.db.read() as s:
            found = members.find(s, args.text)
        for m in found:
            print(
                f"{m.number}  {m.name or '(no name)':<24}  {m.email or '—':<32}  {m.phone or '—'}"
            )
        if not found:
            print(f"no member matches {args.text!r}")
        return 0
    if args.members_command == "show":
        with ctx.db.read() as s:
            card = members.show(s, ctx, args.who)
        m = card.member
        print(f"Member {m.number}  {m.name or '(no name)'}")
        print(f"  e-mail    {m.email or '—'}")
        print(f"  phone     {m.phone or '—'}")
        print(f"  joined    {m.joined_at.astimezone(zone):%Y-%m-%d}")
        print(f"  tier      {card.tier_name}")
        print(f"  balance   {card.balance} points ({card.pending} pending)")
        print(f"  vouchers  {card.vouchers} unused")
        print("  last visits:" if card.visits else "  no visits yet")
        for v in card.visits:
            when = v.at.astimezone(zone)
            print(f"    {when:%Y-%m-%d %H:%M}  {v.store or '(no store)'}  {v.amount}  +{v.points}")
        return 0
    answer, retry = members.adjust(
        ctx, args.who, args.points, args.reason, args.by, args.idempotency_key
    )
    if retry:
        print(f"already done with this key at {answer.at:%Y-%m-%d %H:%M:%S} UTC; nothing changed")
    sign = "+" if answer.points > 0 else ""
    print(f"{answer.member_number}: {sign}{answer.points} points; balance {answer.balance}")
    with ctx.db.read() as s:
        row = s.get(AdminAction, answer.audit_id)
        assert row is not None
        print(audit.line(row))
    return 0


def _rewards(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .admin import AdminError
    from .admin.rewards import set_stock, stock_list

    if args.reward_id is None:
        listing = stock_list(ctx)
        if not listing:
            print("no rewards in the database yet: they appear once the server has started")
        for item in listing:
            stock = "unlimited" if item.stock is None else str(item.stock)
            state = "" if item.active else "  (inactive)"
            print(f"{item.reward_id:<24} {stock:>10}  {item.name}{state}")
        return 0
    if args.stock is None:
        raise AdminError("say the new stock: rewards stock ID N --by NAME")
    before, line = set_stock(ctx, args.reward_id, args.stock, args.by or "")
    if not line:
        print(f"{args.reward_id}: stock is already {args.stock}; nothing changed")
        return 0
    print(f"{args.reward_id}: stock {'unlimited' if before is None else before} → {args.stock}")
    print(line)
    return 0


def _programme_check(ctx, args: argparse.Namespace) -> int:  # noqa: ANN001
    from .admin import programme_check
    from .programme import load_programme

    new = load_programme(args.file)  # a ProgrammeError names the file and the key: exit 2
    now = ctx.now()
    with ctx.db.read() as s:
        findings = programme_check.changes(
            ctx.programme,
            new,
            programme_check.standings(s, new, now),
            programme_check.vouchers_held(s, now),
        )
    print(f"{args.file}: a valid programme file")
    if not findings:
        print("no change for existing members")
    for finding in findings:
        print(f"  {'BLOCKER' if finding.blocker else 'change '}  {finding.text}")
    if any(f.blocker for f in findings):
        print("not safe to deploy as it is: see the BLOCKER lines")
        return 1
    return 0
