"""Problems with a programme file, worded for the person who edits it."""

from __future__ import annotations

from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .constraints import EXPECTED
from .models import Programme


class ProgrammeError(ValueError):
    """The programme file is missing, not valid TOML, or breaks a rule.

    ``file`` is the file name as shown in the message, ``key`` the dotted key path
    (``None`` when the problem concerns the whole file).
    """

    def __init__(self, file: str, key: str | None, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{key} " if key else ""
        super().__init__(f"{file}: {where}{problem}")


_UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")


def programme_error(file: str, exc: ValidationError) -> ProgrammeError:
    """One of pydantic's findings, as the key that is wrong and what it must be."""
    errors = exc.errors()
    # A misspelt key is also a missing one: naming the misspelling helps more.
    error = next((e for e in errors if e["type"] in _UNKNOWN_KEY), errors[0])
    # A bad [categories] code is reported at the code, as the file shows it.
    loc = tuple(part for part in error["loc"] if part != "[key]")
    key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return ProgrammeError(file, key.removeprefix("."), _problem(error, loc))


def _problem(error: ErrorDetails, loc: tuple[int | str, ...]) -> str:
    kind = error["type"]
    if kind == EXPECTED:
        return error["msg"]
    if kind == "missing":
        return "is required"
    if kind in _UNKNOWN_KEY:
        return f"is not a known key (expected one of: {', '.join(_keys_of(loc[:-1]))})"
    if kind in ("dataclass_type", "dict_type"):
        return f"must be a table, not {_describe(error['input'])}"
    if kind == "tuple_type":
        return f"must be an array of tables, not {_describe(error['input'])}"
    return error["msg"]


def _keys_of(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """The keys the table at ``loc`` allows, found by following the type hints."""
    shape: Any = Programme
    for part in loc:
        shape = _required(shape)
        if isinstance(part, int):  # an item of tuple[Item, ...]
            shape = get_args(shape)[0]
        elif get_origin(shape) is None:  # a table: a dataclass or the texts' TypedDict
            shape = get_type_hints(shape)[part]
        else:  # a [categories] entry: Mapping[str, Item]
            shape = get_args(shape)[1]
    return tuple(get_type_hints(_required(shape)))


def _required(shape: Any) -> Any:
    """``shape`` without the ``| None`` of an optional key."""
    if get_origin(shape) in (Union, UnionType):
        return next(arg for arg in get_args(shape) if arg is not NoneType)
    return shape


_KINDS = (
    (bool, "a boolean"),  # before int: a bool is an int to isinstance
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    (dict, "a table"),
    (list, "an array"),
)


def _describe(value: object) -> str:
    return next((name for kind, name in _KINDS if isinstance(value, kind)), type(value).__name__)
