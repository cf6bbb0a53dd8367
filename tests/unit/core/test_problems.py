"""The problem-type registry is the one list of refusals: the server raises only what it lists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from loyalty_app.api.errors import _STATUS_SLUGS
from loyalty_core.problems import PROBLEMS, TYPE_PREFIX, problem_type, slug_of
from loyalty_server.problems import Problem

SERVER = Path(__file__).resolve().parents[3] / "src" / "loyalty_server"


def _raised_problems() -> list[tuple[str, int, str]]:
    """(slug, status, where) of every `Problem(status, "slug", …)` written in the server."""
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Problem"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                status = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
                found.append((node.args[1].value, status, f"{path.name}:{node.lineno}"))
    return found


def test_the_server_source_raises_many_problems_and_all_are_registered():
    raised = _raised_problems()
    assert len(raised) > 40  # the scan itself works
    for slug, status, where in raised:
        assert slug in PROBLEMS, f"{where}: {slug!r} is not in loyalty_core.problems"
        if isinstance(status, int):
            assert PROBLEMS[slug].status == status, f"{where}: {slug} has another status"


def test_every_registered_server_problem_is_raised_somewhere_or_generic():
    raised = {slug for slug, _, _ in _raised_problems()}
    generic = set(_STATUS_SLUGS.values()) | {"http-error", "forbidden", "not-acceptable"}
    app_made = {p.slug for p in PROBLEMS.values() if p.status is None}
    assert set(PROBLEMS) - raised - generic - app_made == set()


def test_an_unregistered_slug_or_status_cannot_be_raised():
    with pytest.raises(ValueError, match="not in the registry"):
        Problem(422, "made-up-problem", "Made up")
    with pytest.raises(ValueError, match="not in the registry"):
        Problem(500, "insufficient-points", "Not enough points")
    assert Problem(409, "insufficient-points", "Not enough points").status == 409


def test_the_app_fallback_slugs_for_bare_4xx_replies_are_registered():
    for status, slug in _STATUS_SLUGS.items():
        assert PROBLEMS[slug].status == status


def test_slug_and_type_round_trip():
    for slug, registered in PROBLEMS.items():
        assert slug_of(registered.type) == slug
        assert registered.type == TYPE_PREFIX + slug
        assert problem_type(slug) is registered
