"""`loyalty-member`: the member client on the command line, for support staff and tests.
Every command answers from the local store when the server cannot be reached, and says so."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from .session.errors import NotSignedIn, Refused, SessionError
from .session.member import MemberSession
from .session.outbox import OutboxItem


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="loyalty-member", description=__doc__)
    root.add_argument("--backend", default="http://127.0.0.1:8080", help="loyalty server URL")
    root.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the offline store lives (default: the user-data directory)",
    )
    root.add_argument("--json", action="store_true", help="print JSON")
    sub = root.add_subparsers(dest="command", required=True)
    sign_in = sub.add_parser("sign-in", help="sign in by one-time code")
    sign_in.add_argument("email", nargs="?")
    sign_in.add_argument("--code")
    sign_in.add_argument("--name")
    sign_in.add_argument("--referral-code")
    sign_in.add_argument("--demo", action="store_true", help="demo servers: the demo member")
    sub.add_parser("sync", help="send queued actions, then fetch what changed")
    sub.add_parser("status", help="balance, tier, progress, last synced, queued actions")
    card = sub.add_parser("card", help="the current card code (and its QR as PNG)")
    card.add_argument("--png", type=Path)
    sub.add_parser("rewards", help="the rewards catalogue")
    redeem = sub.add_parser("redeem", help="redeem a reward (queued when offline)")
    redeem.add_argument("reward_id")
    sub.add_parser("vouchers", help="your vouchers")
    sub.add_parser("referral", help="your referral code, link and stats")
    sub.add_parser("sign-out", help="sign out and wipe this device's data")
    return root


def _print(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if args.json else text)


def _offline_note(args: argparse.Namespace, core: MemberSession, state_error: str | None) -> None:
    if state_error:
        print(f"offline: {state_error}; showing what this device has stored", file=sys.stderr)


async def _run(args: argparse.Namespace) -> int:
    from .auth.secrets import KeyringSecretStore
    from .store.paths import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    async with MemberSession(args.backend, data_dir, KeyringSecretStore()) as core:
        await core.settle_store()
        notice = core.take_notice()
        if notice:
            from .i18n import t

            print(t("en", notice), file=sys.stderr)
        cmd = args.command
        if cmd == "sign-in":
            return await _sign_in(args, core)
        if cmd == "sign-out":
            confirmed = await core.sign_out()
            _print(
                args,
                {"signed_out": True, "server_confirmed": confirmed},
                "signed out" + ("" if confirmed else " (server not reached; local data wiped)"),
            )
            return 0
        if not core.member_id:
            raise NotSignedIn("not signed in: run `loyalty-member sign-in EMAIL` first")
        if cmd in ("sync", "status", "rewards", "vouchers", "referral"):
            state = await core.sync("manual")
            _offline_note(args, core, state.detail)
            offline = state.connectivity == "offline"
            if cmd == "sync":
                data = {
                    "connectivity": state.connectivity,
                    "requests": state.requests,
                    "not_modified": state.not_modified,
                    "pending": state.pending,
                    "rejected": state.rejected,
                    "error": state.detail,
                }
                _print(
                    args,
                    data,
                    f"{state.connectivity}: {state.requests} requests, "
                    f"{state.not_modified} unchanged, {state.pending} queued",
                )
                return 0
            return _show(args, core, cmd, offline)
        if cmd == "card":
            token, seconds = await core.card_token()
            if args.png:
                from .card.render import qr_png

                args.png.write_bytes(qr_png(token))
            _print(
                args,
                {
                    "token": token,
                    "seconds_to_next": round(seconds, 1),
                    "png": str(args.png) if args.png else None,
                },
                f"{token}  (next code in {seconds:.0f} s)",
            )
            return 0
        if cmd == "redeem":
            intent = await core.redeem(args.reward_id)
            data = {
                "status": intent.status,
                "idempotency_key": intent.idempotency_key,
                "result": intent.result,
                "error": intent.detail,
            }
            text = {
                "done": "redeemed: voucher "
                + str((intent.result or {}).get("voucher", {}).get("code")),
                "pending": "queued: will redeem when the server can be reached",
                "rejected": f"rejected: {intent.detail}",
            }[intent.status]
            _print(args, data, text)
            return 1 if intent.status == "rejected" else 0
    return 2


def _show(args: argparse.Namespace, core: MemberSession, cmd: str, offline: bool) -> int:
    if cmd == "status":
        data = _status(core) | {"offline": offline}
        _print(
            args,
            data,
            f"{data['name']}: {data['balance']} points, tier {data['tier']}, "
            f"{data['points_to_next']} to {data['next_tier']}; "
            f"{len(data['pending_intents'])} queued",
        )
        return 0
    if cmd == "rewards":
        items = (core.stored_json("rewards") or {}).get("items", [])
        _print(
            args,
            {"items": items, "offline": offline},
            "\n".join(f"{r['id']:<28} {r['cost']:>6}  {r['name']['en']}" for r in items),
        )
        return 0
    if cmd == "vouchers":
        items = (core.stored_json("vouchers") or {}).get("items", [])
        _print(
            args,
            {"items": items, "offline": offline},
            "\n".join(
                f"{v['code']}  {v['status']:<8} until {v['expires_at'][:10]}  "
                f"{v['reward_name'].get('en', '')}"
                for v in items
            ),
        )
        return 0
    ref = core.stored_json("referral") or {}
    _print(
        args,
        ref | {"offline": offline},
        f"code {ref.get('code')}  link {ref.get('link')}  stats {ref.get('stats')}",
    )
    return 0


def _status(session: MemberSession) -> dict[str, Any]:
    """What the device knows of the member, as JSON."""
    view = session.view()
    me, progress = view.me, view.progress
    return {
        "member_id": session.member_id,
        "name": me.name if me else None,
        "member_number": me.number if me else None,
        "balance": me.balance if me else None,
        "pending_points": me.pending if me else None,
        "expiring": [{"points": e.points, "on": e.on.isoformat()} for e in me.expiring]
        if me
        else [],
        "tier": me.tier_code if me else None,
        "next_tier": progress.next_tier if progress else None,
        "points_to_next": progress.points_to_next if progress else None,
        "requalify_at": progress.requalify_at.isoformat()
        if progress and progress.requalify_at
        else None,
        "last_synced": session.last_synced(),
        "pending_intents": [_intent_json(i) for i in view.pending],
        "rejected_intents": [_intent_json(i) for i in view.rejected],
    }


def _intent_json(intent: OutboxItem) -> dict[str, Any]:
    return {
        "id": intent.id,
        "kind": intent.kind,
        "payload": dict(intent.payload),
        "status": intent.status,
        "attempts": intent.attempts,
        "last_error": intent.detail,
        "created_at": intent.created_at.isoformat(),
    }


async def _sign_in(args: argparse.Namespace, core: MemberSession) -> int:
    if args.demo:
        session = await core.demo_sign_in()
    elif not args.email:
        raise SystemExit("loyalty-member sign-in: give an EMAIL (or --demo)")
    elif not args.code:
        await core.request_code(args.email)
        _print(
            args,
            {"code_sent": True, "email": args.email},
            f"a code is on its way to {args.email}; run again with --code CODE",
        )
        return 0
    else:
        session = await core.sign_in(
            args.email, args.code, name=args.name, referral_code=args.referral_code
        )
    state = await core.sync("manual")
    _print(
        args,
        {
            "member_id": session.member_id,
            "new_member": session.new_member,
            "synced": state.connectivity == "online",
        },
        f"signed in as member {session.member_id}",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return asyncio.run(_run(args))
    except NotSignedIn as exc:
        print(f"loyalty-member: {exc}", file=sys.stderr)
        return 3
    except Refused as exc:
        print(f"loyalty-member: refused: {exc.detail or exc.slug}", file=sys.stderr)
        return 1
    except SessionError as exc:
        print(f"loyalty-member: {exc}", file=sys.stderr)
        return 4
    except RuntimeError as exc:  # NoSecretBackend names its own fix
        print(f"loyalty-member: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
