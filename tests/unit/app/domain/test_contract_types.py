"""The client's wire types and the committed contract cannot drift apart unnoticed.

For every schema of `src/loyalty_core/openapi.json` the app reads, an instance is built from
the schema alone — once with every property filled, once with only the required ones and
every nullable one null — and parsed by the client type that names it in `SCHEMA`. A client
type that reads a key the contract does not have, expects another JSON type, or needs a value
the contract lets the server leave out fails here, before it fails on a member's phone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from loyalty_app.domain import models

OPENAPI = json.loads(
    (Path(__file__).resolve().parents[4] / "src/loyalty_core/openapi.json").read_text()
)
SCHEMAS: dict[str, Any] = OPENAPI["components"]["schemas"]

# Strings whose form the client checks (the card credential is validated on construction).
_STRING_VALUES = {
    "card_id": "c0123456789ab",
    "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "prefix": "HARBOR",
    "algorithm": "sha1",
}
# Decimal strings on the wire (multipliers, earn rates, amounts).
_DECIMAL_KEYS = {
    "multiplier",
    "earn_points_per_unit",
    "max_purchase_amount",
    "purchase_amount",
    "min_spend",
}
_TEXTS = {"en": "Flat white", "zh-Hans": "馥芮白", "zh-Hant": "馥芮白"}

# Response schemas the app reads without a public type of its own, and why.
_NOT_EXPOSED = {
    "Tokens": "read inside the API client's token refresh; never leaves it",
    "HTTPValidationError": "FastAPI's default, replaced by problem+json",
    "ValidationError": "part of FastAPI's default 422 body",
}

CLIENT_TYPES = sorted(
    {
        cls
        for name in models.__all__
        if isinstance(cls := getattr(models, name), type) and hasattr(cls, "SCHEMA")
    },
    key=lambda cls: cls.__name__,
)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return SCHEMAS[ref.rsplit("/", 1)[-1]] if ref else schema


def instance(schema: dict[str, Any], *, full: bool, key: str = "") -> Any:
    """A value that satisfies `schema` (full: every optional part present and non-null)."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        if not full and len(options) < len(schema["anyOf"]):
            return None
        return instance(options[0], full=full, key=key)
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        required = set(schema.get("required", ()))
        return {
            name: instance(sub, full=full, key=name)
            for name, sub in schema["properties"].items()
            if full or name in required
        }
    if kind == "object":
        values = schema.get("additionalProperties")
        is_texts = isinstance(values, dict) and values.get("type") == "string"
        return dict(_TEXTS) if is_texts else {}
    if kind == "array":
        return [instance(schema.get("items", {}), full=full, key=key)]
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2026-11-30T09:15:00Z"
        if schema.get("format") == "date":
            return "2026-11-30"
        if key in _DECIMAL_KEYS:
            return "1.25"
        return _STRING_VALUES.get(key, "Harbor Coffee Pier 7")
    if kind == "integer":
        return 8
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    raise AssertionError(f"no sample for schema {schema!r}")


def test_every_client_type_names_a_schema_of_the_contract():
    assert len(CLIENT_TYPES) >= 25
    for cls in CLIENT_TYPES:
        assert cls.SCHEMA in SCHEMAS, f"{cls.__name__}.SCHEMA = {cls.SCHEMA!r} is not a schema"


@pytest.mark.parametrize("full", [True, False], ids=["every-property", "required-only"])
@pytest.mark.parametrize("cls", CLIENT_TYPES, ids=lambda cls: cls.__name__)
def test_client_type_parses_what_the_contract_allows(cls, full):
    sample = instance(SCHEMAS[cls.SCHEMA], full=full)
    parsed = cls.from_json(sample)
    assert isinstance(parsed, cls)


def test_a_key_the_contract_lacks_is_caught():
    # The check itself can fail: a required key removed from the sample is refused.
    sample = instance(SCHEMAS["Me"], full=True)
    del sample["balance"]
    with pytest.raises(models.PayloadError, match="balance"):
        models.Member.from_json(sample)


def test_every_json_answer_of_the_contract_has_a_client_type():
    typed = {cls.SCHEMA for cls in CLIENT_TYPES}
    answered = set()
    for operations in OPENAPI["paths"].values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                ref = content.get("schema", {}).get("$ref")
                if status.startswith("2") and ref:
                    answered.add(ref.rsplit("/", 1)[-1])
    assert answered, "no JSON answers found: the walk over the document is broken"
    assert answered - typed - set(_NOT_EXPOSED) == set()
