"""Sends one-time codes by SMTP; in demo mode prints demo members' codes to the console."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from .settings import SmtpSettings

log = logging.getLogger("loyalty_server.mail")


class MailError(RuntimeError):
    pass


class MailNotSent(MailError):
    """The mail server never got the message (refused before the message was handed over)."""


class MailMaybeSent(MailError):
    """The connection failed while the message was being handed over: it may have arrived."""


class Mailer:
    def __init__(self, smtp: SmtpSettings | None, brand_name: str) -> None:
        self.smtp = smtp
        self.brand_name = brand_name

    @property
    def configured(self) -> bool:
        return self.smtp is not None

    def send_code(self, to: str, code: str, minutes: int) -> None:
        if self.smtp is None:
            raise MailError("no SMTP server is configured")
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = to
        msg["Subject"] = f"{self.brand_name}: your sign-in code {code}"
        msg.set_content(
            f"Your {self.brand_name} sign-in code is {code}.\n"
            f"It works once and expires in {minutes} minutes.\n"
            "If you did not ask for it, ignore this e-mail.\n"
        )
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=10) as client:
                if self.smtp.starttls:
                    client.starttls()
                if self.smtp.username:
                    client.login(self.smtp.username, self.smtp.password or "")
                client.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("could not send the sign-in code e-mail: %s", exc)
            raise MailError(str(exc)) from exc

    def send_reminder(self, to: str, subject: str, body: str, reminder_id: str) -> None:
        """One reminder. Raises `MailNotSent` when the server never took the message (safe to
        try again later) and `MailMaybeSent` when it failed during the hand-over."""
        if self.smtp is None:
            raise MailNotSent("no SMTP server is configured")
        msg = EmailMessage()
        msg["From"] = self.smtp.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["X-Loyalty-Reminder"] = reminder_id
        msg.set_content(body)
        handing_over = False
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=30) as client:
                if self.smtp.starttls:
                    client.starttls()
                if self.smtp.username:
                    client.login(self.smtp.username, self.smtp.password or "")
                client.ehlo_or_helo_if_needed()
                sender = self.smtp.sender
                code, reply = client.mail(sender)
                if code != 250:
                    raise smtplib.SMTPSenderRefused(code, reply, sender)
                code, reply = client.rcpt(to)
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
                handing_over = True
                code, reply = client.data(msg.as_bytes())
                if code != 250:
                    raise smtplib.SMTPDataError(code, reply)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("could not send a reminder e-mail: %s", exc)
            # A refused DATA (5xx/4xx answer) means the server did not take it either.
            refused = isinstance(exc, smtplib.SMTPDataError)
            if handing_over and not refused:
                raise MailMaybeSent(str(exc)) from exc
            raise MailNotSent(str(exc)) from exc
