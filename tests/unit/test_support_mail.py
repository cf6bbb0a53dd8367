"""Self-test of the test helpers: a real SMTP round trip through the mail catcher."""

import smtplib
from email.message import EmailMessage

import pytest


def send(smtp, to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "loyalty@harbor.test"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as client:
        client.send_message(msg)


def test_wait_for_code_finds_the_newest_code_for_the_address(smtp):
    send(smtp, "Ann@Example.test", "港湾咖啡: sign-in", "Your code is 123456.\n")
    send(smtp, "bob@example.test", "Harbor Coffee: sign-in", "Your code is 222222.\n")
    send(smtp, "ann@example.test", "Harbor Coffee: sign-in", "Your code is 654321.\n")
    assert smtp.wait_for_code("ann@example.test") == "654321"
    assert smtp.wait_for_code("bob@example.test") == "222222"
    assert any("港湾咖啡" in m.subject for m in smtp.messages)


def test_wait_for_code_only_after_a_mark_times_out(smtp):
    send(smtp, "cy@example.test", "code", "Your code is 111111.\n")
    mark = smtp.mark()
    with pytest.raises(TimeoutError):
        smtp.wait_for_code("cy@example.test", timeout=0.3, after=mark)
