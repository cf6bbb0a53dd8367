"""Converters for one JSON value of the contract: each takes the value and its key, and names
the key when the value is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class PayloadError(ValueError):
    """A JSON body does not match the API contract (missing key, wrong type, bad value)."""


def required(d: Mapping[str, Any], key: str) -> Any:
    """The value under `key`; PayloadError when the key is missing."""
    try:
        return d[key]
    except KeyError:
        raise PayloadError(f"missing key {key!r}") from None


def string(value: Any, key: str) -> str:
    if type(value) is not str:  # the hot path: most fields are strings
        raise PayloadError(f"{key!r} must be a string")
    return value


def integer(value: Any, key: str) -> int:
    if type(value) is not int:  # bool is a subclass of int: it is refused here
        raise PayloadError(f"{key!r} must be an integer")
    return value


def number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(f"{key!r} must be a number")
    return float(value)


def boolean(value: Any, key: str) -> bool:
    if type(value) is not bool:
        raise PayloadError(f"{key!r} must be true or false")
    return value


def decimal(value: Any, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PayloadError(f"{key!r} must be a decimal string")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise PayloadError(f"{key!r} is not a decimal number: {value!r}") from None
    if not result.is_finite():
        raise PayloadError(f"{key!r} must be finite")
    return result


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 timestamp with a UTC offset (``Z`` or ``+hh:mm``) as an aware datetime."""
    if not isinstance(value, str):
        raise PayloadError("a timestamp must be a string")
    try:
        result = datetime.fromisoformat(value)
    except ValueError:
        raise PayloadError(f"not an ISO 8601 timestamp: {value!r}") from None
    if result.tzinfo is None or result.utcoffset() is None:
        raise PayloadError(f"timestamp without a UTC offset: {value!r}")
    return result


def timestamp(value: Any, key: str) -> datetime:
    try:
        return parse_datetime(value)
    except PayloadError as exc:
        raise PayloadError(f"{key!r}: {exc}") from None


def day(value: Any, key: str) -> date:
    if not isinstance(value, str):
        raise PayloadError(f"{key!r} must be a date string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PayloadError(f"{key!r} is not an ISO 8601 date: {value!r}") from None


def texts(value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise PayloadError(f"{key!r} must be an object of language → text")
    return dict(value)


def json_object(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise PayloadError(f"{key!r} must be an object")
    return dict(value)
