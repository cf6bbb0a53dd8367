"""The launch warm-up: which Flet controls it loads, and that it loads them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types

import flet as ft

from loyalty_app.ui import warm_up

SCREEN = textwrap.dedent(
    """
    import flet as ft

    @ft.component
    def Screen():
        def inner():
            return ft.Badge(label="1")
        return ft.Column([ft.Text("a"), inner()])

    class Keeper:
        def hold(self):
            return ft.Wakelock()

        @property
        def shown(self):
            return ft.ScreenBrightness

        @staticmethod
        def theme():
            return ft.Theme()

    def helper(page):
        return page.Text  # an attribute of something else that happens to share a name
    """
)


def _module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), vars(module))  # noqa: S102 - the test's own source
    return module


def test_names_come_from_functions_components_nested_code_methods_and_properties() -> None:
    names = warm_up.flet_names([_module("screen_under_test", SCREEN)])
    assert {"Badge", "Column", "Text", "Wakelock", "ScreenBrightness", "Theme"} <= names
    assert not names - set(ft._LAZY)  # noqa: SLF001 - only names Flet loads lazily


def test_the_member_app_s_first_screen_names_are_found() -> None:
    from loyalty_app.ui import app  # noqa: F401

    names = warm_up.flet_names(warm_up.ui_modules())
    # The card, the navigation and the page's theme: what the first frame draws.
    assert {"Image", "NavigationBar", "NavigationRail", "Theme", "View", "Wakelock"} <= names


def test_warm_up_leaves_every_named_control_loaded_in_a_fresh_process() -> None:
    # In a process of its own: this one has loaded most of Flet already.
    script = textwrap.dedent(
        """
        import flet as ft
        from loyalty_app.ui import warm_up

        loaded = list(warm_up.warm_up())
        names = warm_up.flet_names(warm_up.ui_modules())
        missing = sorted(name for name in names if name not in vars(ft))
        print(len(loaded), len(names), missing)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    steps, named, missing = done.stdout.split(" ", 2)
    assert missing.strip() == "[]", done.stdout
    # One step for the app, one per control, one per language.
    assert int(steps) == 1 + int(named) + 3
