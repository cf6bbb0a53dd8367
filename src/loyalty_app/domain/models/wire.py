"""Reading the contract's JSON into frozen dataclasses, by their field types.

A type that derives from :class:`Wire` declares its fields and the OpenAPI schema it reads
(``SCHEMA``); ``from_json`` is then derived from the field types, once per class:

- ``str``, ``int``, ``float``, ``bool`` are strict (``True`` is not an integer);
- ``Decimal`` reads a decimal string, ``datetime`` an ISO 8601 timestamp with an offset,
  ``date`` an ISO 8601 date;
- ``tuple[X, ...]`` reads a list, ``Texts`` an object of language → text, ``Mapping[str, Any]``
  any object; another ``Wire`` type (or the card credential) reads a nested object;
- ``X | None`` accepts null or a missing key; a field with a default takes it when the key is
  missing; any other missing key is an error;
- a field's key is its name, or the path given with :func:`wire` (``wire("tier", "code")``).

Unknown keys are ignored, so a newer server can add fields. Every refusal is a
:class:`PayloadError` naming the key.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from loyalty_core.card.token import CardCredential

from ._json import (
    PayloadError,
    boolean,
    day,
    decimal,
    integer,
    json_object,
    number,
    required,
    string,
    texts,
    timestamp,
)

W = TypeVar("W", bound="Wire")
Convert = Callable[[Any, str], Any]

_MISSING = object()


class Wire:
    """Base of the contract's types: ``from_json`` reads one object by the field types."""

    SCHEMA: ClassVar[str]

    @classmethod
    def from_json(cls: type[W], d: Mapping[str, Any]) -> W:
        if not isinstance(d, Mapping):
            raise PayloadError(f"expected a JSON object, got {type(d).__name__}")
        return cls(**{name: read(d) for name, read in _readers(cls)})


def wire(*path: str, **kwargs: Any) -> Any:
    """A field read from ``path`` (nested keys) instead of the field's own name."""
    return dataclasses.field(metadata={"wire": path}, **kwargs)


def card_credential_from_json(d: Mapping[str, Any]) -> CardCredential:
    """A :class:`CardCredential` from ``CardCredentialOut`` (validated by its constructor)."""
    if not isinstance(d, Mapping):
        raise PayloadError("'card' must be an object")
    try:
        return CardCredential(
            card_id=string(required(d, "card_id"), "card_id"),
            secret=string(required(d, "secret"), "secret"),
            prefix=string(required(d, "prefix"), "prefix"),
            period=integer(required(d, "period"), "period"),
            digits=integer(required(d, "digits"), "digits"),
            algorithm=string(required(d, "algorithm"), "algorithm"),
        )
    except PayloadError:
        raise
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"unusable card credential: {exc}") from None


# --------------------------------------------------------------------------- converters


def _nested(parse: Callable[[Mapping[str, Any]], Any]) -> Convert:
    def convert(value: Any, key: str) -> Any:
        if not isinstance(value, Mapping):
            raise PayloadError(f"{key!r} must be an object")
        return parse(value)

    return convert


def _items(item: Convert) -> Convert:
    def convert(value: Any, key: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise PayloadError(f"{key!r} must be a list")
        return tuple(item(v, key) for v in value)

    return convert


_SCALARS: dict[Any, Convert] = {
    str: string,
    int: integer,
    float: number,
    bool: boolean,
    Decimal: decimal,
    datetime: timestamp,
    date: day,
    CardCredential: _nested(card_credential_from_json),
}


def _converter(tp: Any) -> tuple[Convert, bool]:
    """The converter for a field type, and whether null is allowed."""
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _converter(inner)[0], True
    if tp in _SCALARS:
        return _SCALARS[tp], False
    if origin is tuple:
        return _items(_converter(args[0])[0]), False
    if origin in (Mapping, dict):
        return (texts if args == (str, str) else json_object), False
    if isinstance(tp, type) and issubclass(tp, Wire):
        return _nested(tp.from_json), False
    raise TypeError(f"no JSON reader for the field type {tp!r}")


@functools.cache
def _readers(cls: type) -> tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...]:
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    readers = []
    for f in dataclasses.fields(cls):
        convert, nullable = _converter(hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else _MISSING
        path = f.metadata.get("wire", (f.name,))
        readers.append((f.name, _field_reader(path, convert, nullable, default)))
    return tuple(readers)


def _field_reader(
    path: tuple[str, ...], convert: Convert, nullable: bool, default: Any
) -> Callable[[Mapping[str, Any]], Any]:
    *parents, key = path

    def read(d: Mapping[str, Any]) -> Any:
        for parent in parents:
            if parent not in d:
                raise PayloadError(f"missing key {parent!r}")
            d = json_object(d[parent], parent)
        if key not in d:
            if default is not _MISSING:
                return default
            if nullable:
                return None
            raise PayloadError(f"missing key {key!r}")
        value = d[key]
        if value is None and nullable:
            return None
        return convert(value, key)

    return read
