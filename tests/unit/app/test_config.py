"""The app's settings file (app.toml): what a packaged build starts with."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_app.config import (
    DEFAULT_BRAND,
    AppConfig,
    ConfigError,
    check_backend_url,
    load_config,
    secrets_kind,
)

ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "app.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_starts_the_demo_with_the_brand_and_automatic_secrets() -> None:
    config = load_config(ROOT / "app.toml")
    assert config.backend is None  # a development run: the embedded demo server
    assert config.brand_colour == DEFAULT_BRAND
    assert config.secrets == "auto"
    assert config.language is None


def test_no_file_means_every_default(tmp_path) -> None:
    assert load_config(tmp_path / "absent.toml") == AppConfig()


def test_a_shop_build_names_its_server_language_and_secret_store(tmp_path) -> None:
    path = write(
        tmp_path,
        '[app]\nbackend = "https://loyalty.harbor.coffee/"\nbrand_colour = "#6F4E37"\n'
        'language = "zh-Hant"\nsecrets = "secure-storage"\n',
    )
    config = load_config(path)
    assert config == AppConfig(
        "https://loyalty.harbor.coffee", "#6F4E37", "zh-Hant", "secure-storage", path
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[app]\nbackend = "loyalty.harbor.coffee"\n', "http:// or https://"),
        ('[app]\nbackend = "ftp://harbor.coffee"\n', "http:// or https://"),
        ('[app]\nbackend = "https://user:pw@harbor.coffee"\n', "plain address"),
        ("[app]\nbackend = 8080\n", "backend must be a string"),
        ('[app]\nbrand_colour = "blue"\n', "brand_colour must look like #0B4F6C"),
        ('[app]\nlanguage = "fr"\n', "language must be one of en, zh-Hans, zh-Hant"),
        ('[app]\nsecrets = "plaintext"\n', "secrets must be one of auto, keyring, secure-storage"),
        ('[app]\nbackned = "https://harbor.coffee"\n', "unknown key 'backned'"),
        ('app = "x"\n', "[app] must be a table"),
        ("[app\nbackend = 1\n", "not a valid TOML file"),
    ],
)
def test_a_bad_file_says_which_key_and_what_is_expected(tmp_path, text, words) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(path) in str(raised.value)
    assert words in str(raised.value)


def test_an_empty_value_is_the_default(tmp_path) -> None:
    path = write(tmp_path, '[app]\nbackend = "  "\nbrand_colour = ""\nsecrets = ""\n')
    assert load_config(path) == AppConfig(source=path)


def test_backend_url_is_trimmed_and_checked() -> None:
    assert check_backend_url(" http://127.0.0.1:8080/ ") == "http://127.0.0.1:8080"
    assert check_backend_url("https://harbor.coffee/loyalty") == "https://harbor.coffee/loyalty"
    with pytest.raises(ConfigError, match="--backend"):
        check_backend_url("https://harbor.coffee/?x=1", "--backend")


@pytest.mark.parametrize(
    ("choice", "mobile", "in_browser", "kind"),
    [
        ("auto", False, False, "keyring"),  # desktop, and the Python-served web page
        ("auto", True, False, "secure-storage"),  # a phone build
        ("auto", False, True, "secure-storage"),  # the browser-run (Pyodide) build
        ("keyring", True, False, "keyring"),
        ("secure-storage", False, False, "secure-storage"),  # tests drive the phone path
    ],
)
def test_where_secrets_live(choice, mobile, in_browser, kind) -> None:
    assert secrets_kind(choice, mobile=mobile, in_browser=in_browser) == kind
