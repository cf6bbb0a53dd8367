"""Prints what `flet build` would make of [tool.flet] in pyproject.toml, with no Flutter SDK.

    pip install flet-cli==1.0.5          # not part of the project's extras
    python build_config/show_flet_config.py [apk ipa macos windows linux web]

Runs flet-cli's own settings resolution (entry point, names, bundle id, permissions, Info.plist,
entitlements, Android features, splash, web options, package excludes) and stops before
anything that needs Flutter or the network. It uses flet-cli internals, so it is tied to the
flet-cli version above: a different version may need this script adjusted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["apk", "ipa", "macos", "windows", "linux", "web"]


def resolve(target: str) -> dict:
    from flet_cli.commands.build import Command
    from flet_cli.utils.app_excludes import find_default_excludes
    from flet_cli.utils.pyproject_toml import load_pyproject_toml

    parser = argparse.ArgumentParser(prog="flet build")
    command = Command(parser)  # registers its options on the parser
    command.options = parser.parse_args([target, str(ROOT)])
    command.target_platform = target
    command.package_platform = command.platforms[target]["package_platform"]
    command.config_platform = command.platforms[target]["config_platform"]
    command.python_app_path = ROOT
    command.get_pyproject = load_pyproject_toml(ROOT)
    command.flutter_dir = ROOT / "build" / "flutter"  # only its name is used here
    # The real value comes from a manifest downloaded at build time; these fields suffice.
    command.python_release = SimpleNamespace(
        short="3.12", pyodide="(resolved at build time)", android_abis=["arm64-v8a", "x86_64"]
    )
    command.validate_entry_point()
    command.setup_template_data()
    data, options = command.template_data, command.template_data["options"]
    exclude = ["build", *command.get_platform_setting("app.exclude", [])]
    if target == "web":
        exclude.append("assets")  # served as web assets instead
    result = {
        "entry point": str(command.package_app_path / command.python_module_filename),
        "product": data["product_name"],
        "artifact": data["artifact_name"],
        "bundle id": data["bundle_id"],
        "org": data["org_name"],
        "company": data["company_name"],
        "copyright": data["copyright"],
        "splash": data["splash"],
        "package excludes": exclude + find_default_excludes(ROOT, [], exclude),
    }
    if target in ("apk", "aab"):
        result["android permissions"] = options["android_permissions"]
        result["android features"] = options["android_features"]
        result["adaptive icon background"] = data["adaptive_icon_background"]
    if target in ("ipa", "macos"):
        result["Info.plist"] = options["info_plist"]
    if target == "macos":
        result["entitlements"] = options["macos_entitlements"]
    if target == "linux":
        result["desktop categories"] = data["linux_categories"]
    if target == "web":
        for key in ("base_url", "route_url_strategy", "web_renderer", "no_cdn"):
            result[key] = data[key]
        for key in ("pwa_short_name", "pwa_background_color", "pwa_theme_color"):
            result[key] = data[key]
    return result


def main(argv: list[str]) -> int:
    try:
        import flet_cli  # noqa: F401
    except ImportError:
        print("needs flet-cli: pip install flet-cli==1.0.5", file=sys.stderr)
        return 2
    for target in argv or TARGETS:
        if target not in TARGETS + ["aab", "ios-simulator"]:
            print(f"unknown target {target!r}; one of {', '.join(TARGETS)}", file=sys.stderr)
            return 2
        print(f"== flet build {target}")
        print(json.dumps(resolve(target), indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
