"""`loyalty-server remind`: reminder e-mails for points and vouchers about to expire, each at
most once per member and event, whatever crashes or overlaps.

Every reminder is claimed before it is sent: a row of `reminder_sends` (member, message id)
is committed first, and a run that finds the row skips the reminder. So a second run, or a
run after one killed half-way, or two runs at once, send nothing twice. When the mail server
plainly refused the message (before it was handed over) the claim is given back and the
next run tries again; when the connection broke during the hand-over the claim stays: the
message may have arrived, and a reminder missed is better than one sent twice. Such claims
stay without `sent_at` (the run's summary counts them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, union
from sqlalchemy.exc import IntegrityError

from ..context import ServerContext
from ..mailer import MailMaybeSent, MailNotSent
from ..models import InboxState, LedgerEntry, Member, ReminderSend, Voucher
from ..reminder_texts import reminder_text
from ..rules import inbox as inbox_rules
from .inbox import messages

log = logging.getLogger("loyalty_server.remind")


@dataclass(frozen=True)
class Reminder:
    member_id: str
    email: str
    message_id: str
    subject: str
    body: str


@dataclass(frozen=True)
class RemindReport:
    sent: int
    maybe_sent: int  # the connection broke during the hand-over: claimed, not retried
    failed: int  # refused before the hand-over: given back for the next run


def due(ctx: ServerContext, now: datetime) -> list[Reminder]:
    """The reminders due at ``now`` that no run has claimed yet, for members with an e-mail
    address who have not turned reminders off (nor dismissed the message in the app)."""
    programme = ctx.programme
    points_until = now + timedelta(days=inbox_rules.POINTS_EXPIRY_DAYS)
    vouchers_until = now + timedelta(days=inbox_rules.VOUCHER_EXPIRY_DAYS)
    candidates = union(
        select(LedgerEntry.member_id).where(
            LedgerEntry.remaining > 0,
            LedgerEntry.expires_at > now,
            LedgerEntry.expires_at <= points_until,
        ),
        select(Voucher.member_id).where(
            Voucher.used_at.is_(None),
            Voucher.expires_at > now,
            Voucher.expires_at <= vouchers_until,
        ),
    ).subquery()
    found: list[Reminder] = []
    with ctx.db.read() as s:
        members = s.scalars(
            select(Member)
            .where(
                Member.id.in_(select(candidates.c.member_id)),
                Member.email.is_not(None),
                Member.email_reminders.is_(True),
            )
            .order_by(Member.id)
        ).all()
        for member in members:
            done = set(
                s.scalars(
                    select(ReminderSend.message_id).where(ReminderSend.member_id == member.id)
                )
            )
            done |= set(
                s.scalars(
                    select(InboxState.message_id).where(
                        InboxState.member_id == member.id, InboxState.dismissed_at.is_not(None)
                    )
                )
            )
            codes = dict(
                s.execute(
                    select(Voucher.id, Voucher.code).where(Voucher.member_id == member.id)
                ).all()
            )
            for m in messages(s, member, programme, now, with_offers=False):
                if m.kind not in inbox_rules.REMINDER_KINDS or m.id in done:
                    continue
                lang = member.language
                reward = programme.reward(m.reward_id) if m.reward_id else None
                subject, body = reminder_text(
                    lang,
                    m.kind,
                    brand=programme.brand.name.get(lang) or programme.brand.name["en"],
                    on=m.on,
                    points=m.points,
                    reward=(reward.name.get(lang) or reward.name["en"]) if reward else "",
                    code=codes.get(m.voucher_id, "") if m.voucher_id else "",
                )
                found.append(Reminder(member.id, member.email or "", m.id, subject, body))
    return found


def _claim(ctx: ServerContext, reminder: Reminder, now: datetime) -> bool:
    """Commit the claim; False when another run (or an earlier one) has it already."""
    try:
        with ctx.db.write() as s:
            if s.get(ReminderSend, (reminder.member_id, reminder.message_id)) is not None:
                return False
            s.add(
                ReminderSend(
                    member_id=reminder.member_id, message_id=reminder.message_id, claimed_at=now
                )
            )
        return True
    except IntegrityError:  # a concurrent run committed the same claim first
        return False


def remind(ctx: ServerContext) -> RemindReport:
    """Send every due reminder once (see the module's docstring)."""
    sent = maybe = failed = 0
    for reminder in due(ctx, ctx.now()):
        if not _claim(ctx, reminder, ctx.now()):
            continue
        key = (ReminderSend.member_id == reminder.member_id) & (
            ReminderSend.message_id == reminder.message_id
        )
        try:
            ctx.mailer.send_reminder(
                reminder.email, reminder.subject, reminder.body, reminder.message_id
            )
        except MailNotSent:
            failed += 1
            with ctx.db.write() as s:
                s.execute(delete(ReminderSend).where(key))
            continue
        except MailMaybeSent:
            maybe += 1
            continue
        with ctx.db.write() as s:
            s.get(ReminderSend, (reminder.member_id, reminder.message_id)).sent_at = ctx.now()
        sent += 1
        log.info("reminder %s sent to member %s", reminder.message_id, reminder.member_id)
    return RemindReport(sent=sent, maybe_sent=maybe, failed=failed)
