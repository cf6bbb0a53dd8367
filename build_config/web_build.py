"""The member app as a static web app: Python running in the member's browser on Pyodide.

    python3 dev.py web-build --backend URL --out DIR     (runs this file in .venv)

Runs flet-cli's `flet publish --no-cdn` on a staged copy of the app, fully offline: nothing is
fetched at build time or at run time. What the page needs ships in DIR:

- the app (`main.py`, `loyalty_app`, `loyalty_core`, `assets/`) and an `app.toml` naming the
  backend, in `app.tar.gz`;
- its pure-Python dependencies, copied from this virtualenv into `__pypackages__/` inside the
  app (the Pyodide worker puts that folder on `sys.path` before micropip runs, and micropip
  then finds `flet` installed): no package index is asked at run time. Compiled parts are left
  out (msgpack falls back to its pure-Python build); babel keeps only the app's locales;
- the Pyodide core that the `flet-web` wheel ships (flet-cli's cache is filled from it, with the
  `info.version` its check reads, and the Python-build manifest is given locally);
- Flutter's web client, CanvasKit and fonts (flet-web); the manifest, icons and an offline
  service worker (web_pwa.py).

`index.html` then loads `/pyodide/pyodide.mjs` (flet writes a bare `pyodide/pyodide.mjs`, which
a module worker cannot import) relative to the build's base URL.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PYODIDE_VERSION = "314.0.7"  # Python 3.14: the core inside flet-web 1.0.5
PYTHON_BUILD_MANIFEST = {
    "default_python_version": "3.14",
    "pythons": {
        "3.14": {"full_version": "3.14.0", "pyodide_version": PYODIDE_VERSION, "android_abis": []}
    },
}
# What the app imports in the browser, by distribution; their own dependencies are listed too.
# httpx stays: the API client keeps it and only swaps its transport for the browser's fetch.
DISTRIBUTIONS = [
    "flet",
    "flet-secure-storage",
    "repath",
    "six",
    "msgpack",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "idna",
    "certifi",
    "typing_extensions",
    "qrcode",
    "babel",
    "platformdirs",
]
# babel's locale data is 30 MB; the app formats in these locales only (i18n.BABEL_LOCALES).
BABEL_LOCALE_FILES = {
    "root",
    "en",
    "en_US",
    "zh",
    "zh_Hans",
    "zh_Hans_CN",
    "zh_Hant",
    "zh_Hant_TW",
}
APP_SOURCES = ["src/loyalty_app", "src/loyalty_core"]
COMPILED = (".so", ".pyd", ".dylib", ".dll", ".c", ".pyx", ".pxd", ".h")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="web-build", description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", required=True, help="the loyalty server the app talks to")
    p.add_argument("--out", required=True, type=Path, help="the folder to write (replaced)")
    p.add_argument("--base-url", default="/", help="the path the app is served under")
    return p


def _keep_site_file(relative: str) -> bool:
    parts = Path(relative).parts
    if not parts or parts[0] == ".." or "__pycache__" in parts:
        return False
    if relative.endswith(COMPILED):
        return False
    if parts[0] == "flutter":  # flet-secure-storage's Dart side: already in the web client
        return False
    if parts[:2] == ("babel", "locale-data"):
        return Path(relative).stem in BABEL_LOCALE_FILES
    return True


def vendor_dependencies(target: Path) -> list[str]:
    """Copies each distribution's files (by its RECORD) from this virtualenv into *target*."""
    copied = []
    for name in DISTRIBUTIONS:
        dist = importlib.metadata.distribution(name)
        base = Path(dist.locate_file(""))
        for entry in dist.files or []:
            relative = str(entry)
            if not _keep_site_file(relative):
                continue
            source = base / relative
            if not source.is_file():
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        copied.append(f"{dist.metadata['Name']}=={dist.version}")
    return copied


def _copy_tree(source: Path, destination: Path) -> None:
    shutil.copytree(
        source, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    )


def stage_app(stage: Path, backend: str) -> None:
    """The app as the browser gets it: its code, assets, settings and dependencies."""
    shutil.copyfile(ROOT / "main.py", stage / "main.py")
    for source in APP_SOURCES:
        _copy_tree(ROOT / source, stage / source)
    _copy_tree(ROOT / "assets", stage / "assets")
    settings = (ROOT / "app.toml").read_text(encoding="utf-8")
    settings = re.sub(r"(?m)^\[app\]\n", f"[app]\nbackend = {json.dumps(backend)}\n", settings)
    (stage / "app.toml").write_text(settings, encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    flet_settings = project["tool"]["flet"]
    web = flet_settings.get("web", {})
    # No dependencies named: everything is in __pypackages__ (see `without_micropip`).
    (stage / "pyproject.toml").write_text(
        "[project]\n"
        f'name = "{project["project"]["name"]}"\n'
        f'description = "{project["project"]["description"]}"\n\n'
        "[tool.flet]\n"
        f'product = "{flet_settings["product"]}"\n\n'
        "[tool.flet.web]\n"
        + "".join(
            f"{key} = {json.dumps(value)}\n"
            for key, value in web.items()
            if key != "base_url" and isinstance(value, str | bool)
        ),
        encoding="utf-8",
    )
    vendor_dependencies(stage / "__pypackages__")


def pyodide_cache(cache_root: Path) -> None:
    """flet-cli's Pyodide cache, filled from the core the flet-web wheel ships."""
    import flet_web

    shipped = Path(flet_web.__file__).parent / "web" / "pyodide"
    cache = cache_root / "pyodide" / PYODIDE_VERSION
    if cache.exists():
        shutil.rmtree(cache)
    shutil.copytree(shipped, cache)
    lock_path = cache / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock.setdefault("info", {})["version"] = PYODIDE_VERSION
    lock_path.write_text(json.dumps(lock), encoding="utf-8")


def publish(stage: Path, out: Path, work: Path, base_url: str) -> None:
    manifest = work / "python-build-manifest.json"
    manifest.write_text(json.dumps(PYTHON_BUILD_MANIFEST), encoding="utf-8")
    cache_root = work / "flet-cache"
    pyodide_cache(cache_root)
    env = dict(
        os.environ,
        FLET_PYTHON_BUILD_MANIFEST=str(manifest),
        FLET_CACHE_DIR=str(cache_root),
        FLET_CLI_NO_RICH_OUTPUT="1",
    )
    flet = Path(sys.executable).with_name("flet")
    command = [
        str(flet),
        "publish",
        str(stage / "main.py"),
        "--distpath",
        str(out),
        "--no-cdn",
        "--python-version",
        "3.14",
        "--base-url",
        base_url,
    ]
    done = subprocess.run(command, cwd=stage, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"flet publish failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    prefix = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    fixed, count = re.subn(
        r'flet\.pyodideUrl\s*=\s*"pyodide/pyodide\.mjs"',
        f'flet.pyodideUrl="{prefix}pyodide/pyodide.mjs"',
        html,
    )
    if count != 1:
        sys.exit("web-build: index.html has no pyodideUrl to fix; did flet publish change?")
    index.write_text(fixed, encoding="utf-8")
    keep_rive_local(out, prefix)
    without_micropip(out / "app.tar.gz")


def without_micropip(archive: Path) -> None:
    """flet publish always puts a requirements.txt (at least `flet`) into the app; the page
    then loads micropip only to find flet installed already. Left out, it loads nothing."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar]
    with tarfile.open(archive, "w:gz", format=tarfile.GNU_FORMAT) as tar:
        for member, data in members:
            if member.name.strip("/").removeprefix("./") == "requirements.txt":
                continue
            tar.addfile(member, io.BytesIO(data) if data is not None else None)


# Flutter's web client loads Rive's runtime from a CDN at start, whether or not the app shows
# a Rive animation (this app does not). Pointed at the build's own origin instead, the request
# stays on the shop's server (and fails there, as it failed offline before: nothing waits for it).
_RIVE_CDN = re.compile(r"https://cdn\.jsdelivr\.net/npm/@rive-app/flutter-native-wasm@[\w.-]+/")


def keep_rive_local(out: Path, prefix: str) -> None:
    script = out / "main.dart.js"
    code = script.read_text(encoding="utf-8")
    code, count = _RIVE_CDN.subn(f"{prefix}rive/", code)
    if count == 0:
        sys.exit("web-build: main.dart.js no longer names Rive's CDN; check the request list")
    script.write_text(code, encoding="utf-8")


def build(backend: str, out: Path, base_url: str = "/") -> None:
    from loyalty_app.config import ConfigError, check_backend_url

    try:
        backend = check_backend_url(backend, "--backend")
    except ConfigError as exc:
        sys.exit(f"web-build: {exc}")
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="loyalty-web-build-") as tmp:
        work = Path(tmp)
        stage = work / "app"
        stage.mkdir()
        stage_app(stage, backend)
        publish(stage, out, work, base_url)
    installable(out)


def installable(out: Path) -> None:
    """Manifest, icons and the offline service worker (web_pwa.py), in the brand's colour."""
    from web_pwa import make_installable

    from loyalty_app.config import load_config

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    flet_settings = project["tool"]["flet"]
    make_installable(
        out,
        icon=ROOT / "assets" / "icon.png",
        name=flet_settings["product"],
        short_name=flet_settings.get("web", {}).get("pwa_short_name", flet_settings["product"]),
        description=f"{flet_settings['product']}: your member card, points and rewards",
        colour=load_config(ROOT / "app.toml").brand_colour,
    )


def weight(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    build(args.backend, args.out, args.base_url)
    print(f"static member app in {args.out.resolve()} ({weight(args.out) / 1e6:.1f} MB on disk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
