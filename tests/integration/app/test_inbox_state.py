"""The inbox in the member app's state, against the real server: synced and stored like every
resource, shown from the store offline, read and dismissed marks queued offline and sent
once back online, the unread count on the way; the reminder e-mail switch."""

from __future__ import annotations

import asyncio

from loyalty_app.auth.secrets import KeyringSecretStore
from loyalty_app.session import MemberSession, Prefs
from loyalty_app.ui.state import AppState
from tests.support.secret_service import needs_secret_service

pytestmark = needs_secret_service


def make_state(base_url: str, tmp_path) -> AppState:
    session = MemberSession(base_url, tmp_path / "data", KeyringSecretStore())
    return AppState(session=session, prefs=Prefs(tmp_path / "data" / "prefs.json"))


def test_inbox_synced_read_shown_offline_and_dismissed_offline(demo_server, tmp_path):
    async def scenario() -> None:
        app = make_state(demo_server.base_url, tmp_path)
        await app.start()
        await app.try_demo()
        inbox = app.inbox_shown()
        kinds = {m.kind for m in inbox.items}
        assert {"points_expiring", "voucher_expiring", "stamp_card", "birthday_voucher"} <= kinds
        assert inbox.unread == len(inbox.items) >= 4

        first = inbox.items[0]
        await app.read_message(first.id)
        assert app.pending == [] and app.inbox_shown().unread == inbox.unread - 1
        assert next(m for m in app.inbox.items if m.id == first.id).read  # the server's copy
        await app.session.aclose()

        demo_server.stop()
        offline = make_state(demo_server.base_url, tmp_path)  # a restart, with no server
        await offline.start()
        assert offline.connectivity == "offline"
        assert [m.id for m in offline.inbox_shown().items] == [m.id for m in inbox.items]
        assert offline.inbox_shown().unread == inbox.unread - 1

        gone = inbox.items[1]
        await offline.dismiss_message(gone.id)
        assert [i.kind for i in offline.pending] == ["inbox_mark"]
        assert gone.id not in [m.id for m in offline.inbox_shown().items]
        assert offline.inbox_shown().unread == inbox.unread - 2

        demo_server.start()
        await offline.refresh()
        assert offline.pending == [] and offline.rejected == []
        assert gone.id not in [m.id for m in offline.inbox.items]  # the server's copy
        assert offline.inbox.unread == inbox.unread - 2
        await offline.session.aclose()

    asyncio.run(scenario())


def test_reminder_emails_switched_off_and_on(demo_server, tmp_path):
    async def scenario() -> None:
        app = make_state(demo_server.base_url, tmp_path)
        await app.start()
        await app.try_demo()
        assert app.email_reminders() and app.me.email_reminders
        await app.set_email_reminders(False)
        assert not app.email_reminders() and not app.me.email_reminders
        await app.set_email_reminders(True)
        assert app.me.email_reminders
        await app.session.aclose()

    asyncio.run(scenario())


def test_the_feedback_question_answered_offline_goes_at_once_and_is_sent_once(
    demo_server, tmp_path
):
    async def scenario() -> None:
        app = make_state(demo_server.base_url, tmp_path)
        await app.start()
        await app.try_demo()
        ask = app.feedback_question()
        assert ask is not None and ask.store  # the demo member's last purchase, first run

        demo_server.stop()
        await app.refresh()
        assert app.connectivity == "offline"
        await app.answer_feedback(ask.purchase_id, 9, "  Friendly baristas ")
        assert app.feedback_question() is None
        assert [i.kind for i in app.pending] == ["feedback"]

        demo_server.start()
        await app.refresh()
        assert app.pending == [] and app.rejected == []
        assert app.inbox.feedback is None  # the server's copy: answered
        done = [i for i in app.session.store.intents("done") if i.kind == "feedback"]
        assert [i.result for i in done] == [{"recorded": True}]
        await app.session.aclose()

    asyncio.run(scenario())
