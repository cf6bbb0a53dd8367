"""Sends one-time codes by SMTP; in demo mode prints demo members' codes to the console."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from .settings import SmtpSettings

log = logging.getLogger("loyalty_server.mail")


class MailError(RuntimeError):
    pass


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
