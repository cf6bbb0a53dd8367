"""The static web build's choices that need no browser: which dependency files ship, which
files the service worker keeps, and that the app archive asks micropip for nothing. (The
build itself runs in tests/integration/browser/test_static_web_app.py.)"""

from __future__ import annotations

import io
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "build_config"))

import web_build  # noqa: E402
import web_pwa  # noqa: E402


def test_only_pure_python_files_and_the_apps_locales_ship() -> None:
    keep = web_build._keep_site_file
    assert keep("flet/__init__.py") and keep("msgpack/fallback.py")
    assert keep("flet-1.0.5.dist-info/METADATA")
    assert not keep("msgpack/_cmsgpack.cpython-311-x86_64-linux-gnu.so")  # pure fallback
    assert not keep("flet/__pycache__/app.cpython-311.pyc")
    assert not keep("../../../bin/flet")
    assert not keep("flutter/flet_secure_storage/pubspec.yaml")  # the Dart side
    assert keep("babel/locale-data/zh_Hant_TW.dat") and keep("babel/locale-data/root.dat")
    assert not keep("babel/locale-data/fr.dat")
    assert keep("babel/global.dat")


def test_the_service_worker_keeps_what_the_app_starts_with(tmp_path: Path) -> None:
    for name in (
        "index.html",
        "main.dart.js",
        "main.dart.wasm",
        "flutter_service_worker.js",
        "canvaskit/canvaskit.wasm",
        "canvaskit/chromium/canvaskit.wasm",
        "canvaskit/skwasm.wasm",
        "canvaskit/canvaskit.js.symbols",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "pyodide/python.exe",
        "pyodide/micropip-0.11.1-py3-none-any.whl",
        "app.tar.gz",
        "manifest.json",
        "fonts/NotoSansSC-subset.otf",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    shell = web_pwa.shell_files(tmp_path)
    assert shell[0] == "./" and "index.html" not in shell
    assert set(shell[1:]) == {
        "main.dart.js",
        "canvaskit/canvaskit.wasm",
        "canvaskit/chromium/canvaskit.wasm",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "app.tar.gz",
        "manifest.json",
        "fonts/NotoSansSC-subset.otf",
    }


def test_the_app_archive_names_no_requirements(tmp_path: Path) -> None:
    archive = tmp_path / "app.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (("main.py", b"print()"), ("requirements.txt", b"flet==1.0.5\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    web_build.without_micropip(archive)
    with tarfile.open(archive, "r:gz") as tar:
        assert tar.getnames() == ["main.py"]
        assert tar.extractfile("main.py").read() == b"print()"
