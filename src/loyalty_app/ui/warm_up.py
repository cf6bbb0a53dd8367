"""What the member's first screen would otherwise load while the member waits for it.

Flet 1.0 imports a control's module the first time ``ft.<Name>`` is read, and babel reads a
locale's data the first time it formats in it. Done in the first session, that was about half
of the Python time between the browser's connect and the card (the theme module alone is a
few hundred dataclasses). ``run.py`` calls ``warm_up`` in a thread while the browser fetches
and compiles the client, when the process has nothing else to do.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import flet as ft

from ..i18n import LANGUAGES, fmt_date, fmt_datetime, fmt_money, fmt_number

UI_PACKAGE = __name__.rpartition(".")[0]


def flet_names(modules: list[types.ModuleType]) -> set[str]:
    """The names read from ``flet`` anywhere in ``modules``' code (``ft.Text`` → ``Text``) that
    Flet loads lazily."""
    lazy = getattr(ft, "_LAZY", {})
    names: set[str] = set()
    todo = [code for module in modules for code in _code_of(vars(module), module.__name__)]
    seen: set[types.CodeType] = set()
    while todo:
        code = todo.pop()
        if code in seen:
            continue
        seen.add(code)
        names.update(name for name in code.co_names if name in lazy)
        todo.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return names


def _code_of(namespace: dict, module: str) -> list[types.CodeType]:
    """The code of the functions (decorated ones included) and classes' methods defined in
    ``module`` among ``namespace``'s values."""
    codes = []
    for value in namespace.values():
        if isinstance(value, type) and value.__module__ == module:
            codes += _code_of(vars(value), module)
            continue
        function = getattr(value, "__wrapped__", value)
        function = getattr(function, "__func__", function)  # static and class methods
        if isinstance(function, types.FunctionType) and function.__module__ == module:
            codes.append(function.__code__)
        elif isinstance(value, property):
            codes += [f.__code__ for f in (value.fget, value.fset) if f is not None]
    return codes


def ui_modules() -> list[types.ModuleType]:
    """Every module of the app's UI package imported so far."""
    return [
        module
        for name, module in list(sys.modules.items())
        if module is not None and (name == UI_PACKAGE or name.startswith(UI_PACKAGE + "."))
    ]


def warm_up() -> Iterator[str]:
    """Imports the member app, every Flet control module its screens name, and each
    language's formatting data, one step at a time: it yields what it just loaded, so the
    caller can let other work run between steps."""
    from . import app  # noqa: F401 - the screens, layout and state, and their imports

    yield UI_PACKAGE
    for name in sorted(flet_names(ui_modules())):
        getattr(ft, name)
        yield f"flet.{name}"
    now = datetime.now().astimezone()
    for lang in LANGUAGES:
        fmt_datetime(lang, now)
        fmt_date(lang, now)
        fmt_number(lang, 1234)
        fmt_money(lang, Decimal("4.50"), "USD")
        yield f"babel {lang}"
