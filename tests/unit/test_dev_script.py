"""dev.py's own rules: the PostgreSQL pass that runs beside the SQLite one gets its own
pytest basetemp (pytest empties the folder when it starts), and is skipped for unit-only runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)


def test_the_postgres_pass_gets_its_own_basetemp_in_either_spelling() -> None:
    assert dev.with_basetemp_suffix(["-q", "--basetemp=/tmp/run1", "-x"], "-postgresql") == [
        "-q",
        "--basetemp=/tmp/run1-postgresql",
        "-x",
    ]
    assert dev.with_basetemp_suffix(["--basetemp", "/tmp/run1", "-q"], "-postgresql") == [
        "--basetemp",
        "/tmp/run1-postgresql",
        "-q",
    ]


def test_options_without_a_basetemp_are_left_as_they_are() -> None:
    options = ["-q", "-k", "basetemp", "--durations=25"]
    assert dev.with_basetemp_suffix(options, "-postgresql") == options


def test_unit_tests_alone_need_no_postgres_pass() -> None:
    assert dev.postgres_skip_reason(["tests/unit"]) == "no integration tests selected"
    assert dev.integration_paths([]) == ["tests/integration"]
