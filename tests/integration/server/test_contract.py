"""The contract stays in step with the code: the served OpenAPI document equals the committed
copy the app is built against, and the Alembic migrations build exactly the models' schema."""

from __future__ import annotations

import json
import pprint
from pathlib import Path

import httpx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from loyalty_server.db import Database
from loyalty_server.migrate import upgrade
from loyalty_server.models import Base
from tests.support.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[3]
COMMITTED_OPENAPI = ROOT / "src" / "loyalty_core" / "openapi.json"
REGENERATE = ".venv/bin/loyalty-server openapi > src/loyalty_core/openapi.json"


def _differences(served: object, committed: object, path: str = "") -> list[str]:
    """Where two parsed JSON documents differ, as readable paths (the first few only)."""
    if isinstance(served, dict) and isinstance(committed, dict):
        found = []
        for key in sorted(served.keys() | committed.keys()):
            where = f"{path}/{key}"
            if key not in committed:
                found.append(f"{where}: only in the served document")
            elif key not in served:
                found.append(f"{where}: only in the committed copy")
            else:
                found += _differences(served[key], committed[key], where)
        return found
    if isinstance(served, list) and isinstance(committed, list) and len(served) == len(committed):
        found = []
        for i, (a, b) in enumerate(zip(served, committed, strict=True)):
            found += _differences(a, b, f"{path}/{i}")
        return found
    if served != committed:
        return [f"{path or '/'}: served {served!r:.120} != committed {committed!r:.120}"]
    return []


def test_served_openapi_equals_committed_copy(server) -> None:
    reply = httpx.get(f"{server.base_url}/openapi.json", timeout=10)
    assert reply.status_code == 200, reply.text
    served = reply.json()
    committed = json.loads(COMMITTED_OPENAPI.read_text(encoding="utf-8"))
    if served != committed:
        diffs = _differences(served, committed)
        shown = "\n  ".join(diffs[:20]) + (
            f"\n  ... and {len(diffs) - 20} more" if len(diffs) > 20 else ""
        )
        raise AssertionError(
            f"the served OpenAPI document differs from {COMMITTED_OPENAPI.relative_to(ROOT)}:\n"
            f"  {shown}\n"
            f"If the change is intended, run `{REGENERATE}` and commit the result."
        )


def test_migrations_match_the_models(tmp_path) -> None:
    db = Database(fresh_database_url(tmp_path))
    try:
        upgrade(db)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            diff = compare_metadata(context, Base.metadata)
    finally:
        db.dispose()
    assert diff == [], (
        "the Alembic migrations do not build the schema in loyalty_server.models; add a "
        "migration under src/loyalty_server/migrations/versions for:\n" + pprint.pformat(diff)
    )
