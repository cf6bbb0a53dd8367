"""Readers for one JSON object of the contract: each names the key that was wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class PayloadError(ValueError):
    """A JSON body does not match the API contract (missing key, wrong type, bad value)."""


def _get(d: Mapping[str, Any], key: str) -> Any:
    if not isinstance(d, Mapping):
        raise PayloadError(f"expected a JSON object, got {type(d).__name__}")
    try:
        return d[key]
    except KeyError:
        raise PayloadError(f"missing key {key!r}") from None


def _str(d: Mapping[str, Any], key: str) -> str:
    value = _get(d, key)
    if not isinstance(value, str):
        raise PayloadError(f"{key!r} must be a string")
    return value


def _int(d: Mapping[str, Any], key: str) -> int:
    value = _get(d, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{key!r} must be an integer")
    return value


def _float(d: Mapping[str, Any], key: str) -> float:
    value = _get(d, key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PayloadError(f"{key!r} must be a number")
    return float(value)


def _bool(d: Mapping[str, Any], key: str) -> bool:
    value = _get(d, key)
    if not isinstance(value, bool):
        raise PayloadError(f"{key!r} must be true or false")
    return value


def _decimal(d: Mapping[str, Any], key: str) -> Decimal:
    value = _get(d, key)
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


def _datetime(d: Mapping[str, Any], key: str) -> datetime:
    value = _get(d, key)
    try:
        return parse_datetime(value)
    except PayloadError as exc:
        raise PayloadError(f"{key!r}: {exc}") from None


def _date(value: Any, key: str) -> date:
    if not isinstance(value, str):
        raise PayloadError(f"{key!r} must be a date string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PayloadError(f"{key!r} is not an ISO 8601 date: {value!r}") from None


def _texts_value(value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise PayloadError(f"{key!r} must be an object of language → text")
    return dict(value)
