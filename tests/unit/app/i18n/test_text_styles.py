"""A text style that names no font falls back to one without Chinese: every label drawn with
it is a row of boxes in zh-Hans and zh-Hant (the kiosk's big buttons were, until this test)."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[4] / "src" / "loyalty_app" / "ui"


def test_every_text_style_in_the_ui_names_the_languages_font():
    missing = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "TextStyle"
                and not any(k.arg == "font_family" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(UI)}:{node.lineno}")
    assert not missing, f"ft.TextStyle without font_family: {missing}"
