"""The app's own settings file, shipped inside a build: `app.toml` beside `main.py`.

A packaged app starts with no arguments, so what a developer passes on the command line
(`--backend`) a build reads from here::

    [app]
    backend = "https://loyalty.harbor.coffee"   # the loyalty server; none: the demo server
    brand_colour = "#0B4F6C"                    # until the programme's own colour arrives
    language = "zh-Hant"                        # first start only; the member's choice wins
    secrets = "auto"                            # auto | keyring | secure-storage

Precedence for the backend: `--backend`, then `LOYALTY_BACKEND`, then this file; with none
of them the desktop starts the embedded demo server, and a build without it shows a screen
saying the app is not set up. `LOYALTY_APP_CONFIG` names another file (tests use that).

``secrets = "auto"`` keeps tokens in the OS keyring on a desktop and in the platform's secure
storage (Flet's `flet-secure-storage`: Keychain, Android Keystore, the browser's encrypted
storage) on phones and in the browser-run build; forcing ``secure-storage`` lets a test drive
the phone's path in web mode.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .i18n import LANGUAGES

FILENAME = "app.toml"
ENV_VAR = "LOYALTY_APP_CONFIG"
SECRET_CHOICES = ("auto", "keyring", "secure-storage")
DEFAULT_BRAND = "#0B4F6C"
_KEYS = {"backend", "brand_colour", "language", "secrets"}
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class ConfigError(ValueError):
    """The settings file cannot be used; the message names the file, the key and the fix."""


@dataclass(frozen=True)
class AppConfig:
    backend: str | None = None
    brand_colour: str = DEFAULT_BRAND
    language: str | None = None
    secrets: str = "auto"
    source: Path | None = None  # the file read, if any


def load_config(path: Path) -> AppConfig:
    """Reads *path*; a missing file is no error (every setting has its default)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return AppConfig()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML file ({exc})") from exc
    return parse_config(document, path)


def parse_config(document: dict, path: Path | None = None) -> AppConfig:
    where = str(path) if path else FILENAME
    section = document.get("app", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [app] must be a table")
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} in [app] (known: {', '.join(sorted(_KEYS))})"
        )
    backend = _optional_str(section, "backend", where)
    if backend is not None:
        backend = check_backend_url(backend, f"{where}: backend")
    colour = _optional_str(section, "brand_colour", where) or DEFAULT_BRAND
    if not _COLOUR.fullmatch(colour):
        raise ConfigError(f"{where}: brand_colour must look like #0B4F6C, not {colour!r}")
    language = _optional_str(section, "language", where)
    if language is not None and language not in LANGUAGES:
        raise ConfigError(
            f"{where}: language must be one of {', '.join(LANGUAGES)}, not {language!r}"
        )
    secrets = _optional_str(section, "secrets", where) or "auto"
    if secrets not in SECRET_CHOICES:
        raise ConfigError(
            f"{where}: secrets must be one of {', '.join(SECRET_CHOICES)}, not {secrets!r}"
        )
    return AppConfig(backend, colour, language, secrets, path)


def check_backend_url(url: str, what: str = "backend") -> str:
    """An http(s) URL with a host and nothing after the path; returned without a final /."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{what} must be an http:// or https:// address, not {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(f"{what} must be a plain address (no user, query or #), not {url!r}")
    return url.strip().rstrip("/")


def _optional_str(section: dict, key: str, where: str) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string, not {type(value).__name__}")
    return value.strip() or None


def secrets_kind(choice: str, *, mobile: bool, in_browser: bool) -> str:
    """Where tokens live: "keyring" or "secure-storage".

    *mobile*: a phone build (Flet sets ``FLET_PLATFORM``); *in_browser*: this Python runs
    inside the member's browser (Pyodide). A Python-served web page keeps using the keyring of
    the machine it runs on (a development and test set-up).
    """
    if choice in ("keyring", "secure-storage"):
        return choice
    return "secure-storage" if mobile or in_browser else "keyring"
