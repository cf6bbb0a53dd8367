"""The member app's observable state, driven in plain Python against the real server."""

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


def test_demo_member_journey_sign_in_search_redeem_offline_queue(demo_server, tmp_path):
    async def journey() -> None:
        app = make_state(demo_server.base_url, tmp_path)
        await app.start()
        assert app.phase == "signed_out" and app.demo_available
        await app.try_demo()
        assert app.phase == "signed_in" and app.connectivity == "online"
        assert app.me.name == "Mei Lin" and app.me.balance > 0
        assert app.progress.next_tier == "gold" and 0 < app.progress.points_to_next <= 400
        assert len(app.history) == 20 and app.history_cursor
        await app.load_more_history()
        assert len(app.history) > 20
        assert len({e.id for e in app.history}) == len(app.history)

        app.search("oat")
        assert [r.id for r in app.rewards_shown()] == ["oat-milk"]
        app.search("")
        app.choose_category("merchandise")
        assert {r.category for r in app.rewards_shown()} == {"merchandise"}
        app.choose_category(None)
        app.toggle_affordable(True)
        assert all(r.cost <= app.me.balance for r in app.rewards_shown())
        app.toggle_affordable(False)

        before = app.me.balance
        assert await app.redeem("oat-milk") == "done"
        assert app.notice == "rewards.done_voucher" and app.notice_values["code"]
        assert app.me.balance == before - 200
        assert any(v.reward_id == "oat-milk" and v.status == "usable" for v in app.vouchers)

        demo_server.stop()
        await app.refresh()
        assert app.connectivity == "offline" and app.me.balance == before - 200
        assert await app.redeem("extra-shot") == "pending"
        assert app.notice == "rewards.queued"
        assert [i.payload["reward_id"] for i in app.pending] == ["extra-shot"]
        await app.load_more_history()
        assert app.notice == "error.offline_action"

        demo_server.start()
        await app.refresh()
        assert app.pending == [] and app.me.balance == before - 450
        await app.session.aclose()

    asyncio.run(journey())


def test_rejected_redeem_is_shown_then_dismissed(demo_server, tmp_path):
    async def scenario() -> None:
        app = make_state(demo_server.base_url, tmp_path)
        await app.start()
        await app.try_demo()
        dear = max(app.catalogue.items, key=lambda r: r.cost)
        assert await app.redeem(dear.id) == "rejected"
        assert app.notice == "rewards.rejected" and app.notice_values["problem"]
        assert len(app.rejected) == 1
        app.dismiss(app.rejected[0].id)
        assert app.rejected == []
        await app.session.aclose()

    asyncio.run(scenario())


def test_language_and_theme_survive_sign_out_and_restart(demo_server, tmp_path):
    async def scenario() -> None:
        app = make_state(demo_server.base_url, tmp_path)
        app.load_prefs("en")
        app.set_language("zh-Hant")
        app.set_theme("dark")
        app.set_language("klingon")  # ignored
        await app.start()
        await app.try_demo()
        await app.sign_out()
        assert app.phase == "signed_out" and app.me is None and app.history == []
        await app.session.aclose()
        again = make_state(demo_server.base_url, tmp_path)
        again.load_prefs("en")
        assert (again.lang, again.theme) == ("zh-Hant", "dark")
        assert again.session.member_id is None
        await again.session.aclose()

    asyncio.run(scenario())


def test_wrong_code_says_why_and_keeps_the_email(server, smtp, tmp_path):
    async def scenario() -> None:
        app = make_state(server.base_url, tmp_path)
        await app.start()
        assert app.demo_available is False
        await app.request_code("lena.berg@example.org")
        assert app.code_sent and app.email == "lena.berg@example.org"
        await app.verify("000000")
        assert app.signin_error and app.phase == "signed_out"
        code = smtp.wait_for_code("lena.berg@example.org")
        await app.verify(code, name="Lena Berg")
        assert app.phase == "signed_in" and app.me.name == "Lena Berg"
        await app.session.aclose()

    asyncio.run(scenario())


def test_garbage_prefs_file_falls_back_to_defaults(tmp_path):
    prefs = Prefs(tmp_path / "prefs.json")
    (tmp_path / "prefs.json").write_text("{not json", encoding="utf-8")
    assert prefs.load() == {}
    prefs.save(lang="zh-Hans")
    assert prefs.load() == {"lang": "zh-Hans"}
