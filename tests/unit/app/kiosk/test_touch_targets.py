"""Every kiosk button is at least Material's 48 px tall: Flet sizes a button by its text
unless the control is given a height (a button style cannot set one)."""

from __future__ import annotations

import ast
from pathlib import Path

KIOSK_UI = Path(__file__).resolve().parents[4] / "src" / "loyalty_app" / "ui" / "kiosk"
BUTTONS = {
    "FilledButton",
    "OutlinedButton",
    "Button",
    "TextButton",
    "FilledTonalButton",
    "SegmentedButton",
}


def test_every_kiosk_button_is_given_a_touch_sized_height():
    missing = []
    for path in sorted(KIOSK_UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in BUTTONS
                and not any(k.arg == "height" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(KIOSK_UI)}:{node.lineno}")
    assert not missing, f"kiosk buttons without a height: {missing}"
