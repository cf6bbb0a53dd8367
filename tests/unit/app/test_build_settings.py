"""What `flet build` would read from [tool.flet] and [project] (it cannot run here: no Flutter
SDK). A phone build carries main.py, src/loyalty_app, assets and app.toml, and installs
[project].dependencies; never the server, the tests or local state."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FLET = PYPROJECT["tool"]["flet"]


def excluded(path: str) -> bool:
    return any(
        path == rule or path.startswith(rule + "/") or fnmatch.fnmatch(path, rule)
        for rule in FLET["app"]["exclude"]
    )


def test_the_build_starts_main_py_from_the_root_with_its_config_file() -> None:
    assert FLET["app"]["path"] == "." and FLET["app"]["module"] == "main"
    for shipped in ("main.py", "app.toml", "src/loyalty_app/run.py", "assets/icon.png"):
        assert (ROOT / shipped).exists(), shipped
        assert not excluded(shipped), f"{shipped} would be left out of the build"


def test_the_server_tests_and_local_state_never_reach_a_device() -> None:
    for kept_out in ("src/loyalty_server/app.py", "tests/conftest.py", "bench", "dev.py", ".venv"):
        assert excluded(kept_out), f"{kept_out} would be packaged"


def test_a_phone_build_installs_secure_storage_and_no_server_package() -> None:
    names = {dep.split("==")[0].split("[")[0] for dep in PYPROJECT["project"]["dependencies"]}
    assert "flet-secure-storage" in names  # where tokens live on phones (app.toml: secrets)
    assert not names & {"fastapi", "uvicorn", "sqlalchemy", "psycopg", "alembic"}
    # The embedded demo server's packages stay in the `server` extra.
    assert "fastapi" in {
        d.split("==")[0] for d in PYPROJECT["project"]["optional-dependencies"]["server"]
    }


def test_the_camera_is_the_only_permission_and_is_not_required() -> None:
    assert FLET["permissions"] == ["camera"]
    assert FLET["android"]["permission"] == {"android.permission.CAMERA": True}
    assert FLET["android"]["feature"]["android.hardware.camera"] is False
    assert "camera" in FLET["ios"]["info"]["NSCameraUsageDescription"]


def test_static_hosting_needs_no_server_rewrites() -> None:
    assert FLET["web"]["route_url_strategy"] == "hash"


def test_the_referral_link_opens_the_app_at_sign_up_with_the_code() -> None:
    """`flet build` reads [tool.flet.deep_linking] (or per platform); the link a member shares
    is the server's /r/<code>, and the app's route for it gives sign-up the code."""
    from loyalty_app.domain.invite import invite_code

    link = FLET["deep_linking"]
    assert link == {"scheme": "https", "host": "loyalty.harbor.coffee"}
    for platform in ("android", "ios"):  # a per-platform table would win over this one
        assert "deep_linking" not in FLET.get(platform, {})
    app_routes = (ROOT / "src/loyalty_app/ui/app.py").read_text(encoding="utf-8")
    assert 'path="r/:code"' in app_routes
    assert invite_code(f"/r/{'AB12CD34'}") == "AB12CD34"
