"""The sign-in limiter's rule (a growing wait after the free hits, never a lock) and the
attacker's budget the README quotes, worked out from the default settings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loyalty_server.services.sign_in_limits import Policy, decide, limits_of, most_hits
from loyalty_server.settings import Settings

README = Path(__file__).resolve().parents[3] / "README.md"
DAY = 24 * 3600
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_wait_doubles_after_the_free_hits_up_to_the_longest():
    policy = Policy(free=3, window=DAY, first=60, longest=600)
    assert [policy.wait_after(h) for h in range(8)] == [0, 0, 0, 60, 120, 240, 480, 600]
    assert Policy(free=2, window=3600).wait_after(2) is None  # a ceiling: the window's end


def test_a_refused_request_does_not_count_and_the_window_starts_again():
    policy = Policy(free=1, window=DAY, first=60)
    counter, wait = decide(None, policy, T0)
    assert wait == 0 and counter.hits == 1
    for seconds in (0, 10, 59):
        again, wait = decide(counter, policy, T0 + timedelta(seconds=seconds))
        assert wait == 60 - seconds and again == counter
    counter, wait = decide(counter, policy, T0 + timedelta(seconds=60))
    assert wait == 0 and counter.hits == 2
    assert decide(counter, policy, T0 + timedelta(seconds=61))[1] == 120 - 1
    fresh, wait = decide(counter, policy, T0 + timedelta(seconds=DAY))
    assert wait == 0 and fresh.hits == 1


def test_a_ceiling_waits_for_the_end_of_its_window():
    policy = Policy(free=2, window=3600)
    counter, _ = decide(None, policy, T0)
    counter, _ = decide(counter, policy, T0 + timedelta(seconds=100))
    assert decide(counter, policy, T0 + timedelta(seconds=600))[1] == 3000


def _budget() -> dict[str, int]:
    limits = limits_of(Settings(database_url="sqlite://"))
    codes_per_member = most_hits(limits.codes_per_identity, DAY)
    tries = Settings.code_max_attempts
    return {
        "codes at one member": codes_per_member,
        "guesses at one member": codes_per_member * tries,
        "guesses from one address": most_hits(limits.verifies_per_address, DAY),
        "codes from one address": most_hits(limits.code_requests_per_address, DAY),
        "guesses overall": most_hits(limits.verifies_overall, DAY),
    }


def test_the_readme_quotes_the_attackers_budget_of_the_default_settings():
    budget = _budget()
    assert budget["guesses at one member"] < 2400 / 10  # the issue measured about 2,400
    text = README.read_text(encoding="utf-8")
    for what, figure in budget.items():
        quoted = re.search(rf"\*\*([\d,]+)\*\* {what} a day", text)
        assert quoted, f"the README should say '**{figure:,}** {what} a day'"
        assert int(quoted.group(1).replace(",", "")) == figure, (what, figure)
