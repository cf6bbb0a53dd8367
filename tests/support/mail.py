"""A real SMTP server on 127.0.0.1 that keeps every message it receives."""

from __future__ import annotations

import email
import re
import threading
import time
from dataclasses import dataclass
from email import policy
from email.utils import getaddresses

from aiosmtpd.controller import Controller

from .servers import free_port

CODE = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]  # envelope recipients and To: addresses, lower-cased
    subject: str
    body: str

    def is_for(self, address: str) -> bool:
        return address.lower() in self.to


class _Handler:
    def __init__(self, catcher: MailCatcher) -> None:
        self.catcher = catcher

    async def handle_DATA(self, server, session, envelope) -> str:
        msg = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        part = msg.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if part is not None else ""
        recipients = {a.lower() for a in envelope.rcpt_tos}
        recipients |= {a.lower() for _, a in getaddresses(msg.get_all("To", [])) if a}
        self.catcher._add(Mail(tuple(sorted(recipients)), str(msg["Subject"] or ""), body))
        return "250 OK"


class MailCatcher:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self._messages: list[Mail] = []
        self._changed = threading.Condition()
        self._controller = Controller(
            _Handler(self), hostname=self.host, port=self.port, enable_SMTPUTF8=True
        )

    def start(self) -> MailCatcher:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def _add(self, mail: Mail) -> None:
        with self._changed:
            self._messages.append(mail)
            self._changed.notify_all()

    @property
    def messages(self) -> list[Mail]:
        with self._changed:
            return list(self._messages)

    def mark(self) -> int:
        """How many messages arrived so far; pass as ``after=`` to wait only for newer ones."""
        return len(self.messages)

    def wait_for_code(self, address: str, timeout: float = 10, *, after: int = 0) -> str:
        """The newest 6-digit code mailed to ADDRESS (waiting up to TIMEOUT seconds for one)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for mail in reversed(self._messages[after:]):
                    match = CODE.search(mail.subject + "\n" + mail.body)
                    if mail.is_for(address) and match:
                        return match.group(1)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(m.to, m.subject) for m in self._messages]
                    raise TimeoutError(
                        f"no mail with a 6-digit code to {address} within {timeout} s; "
                        f"mail received: {seen}"
                    )
                self._changed.wait(remaining)
