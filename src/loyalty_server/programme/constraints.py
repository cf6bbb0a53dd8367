"""The kinds of value a programme file holds, as pydantic constraints.

Each kind states, in the words of the programme file's documentation, what it expects
(``must be a whole number between 1 and 120``); that sentence becomes the problem of the
:class:`~.errors.ProgrammeError` when a value breaks the kind's rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, NoReturn

from annotated_types import Ge, GroupedMetadata, Gt, Le
from pydantic import (
    BeforeValidator,
    Strict,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    with_config,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

# typing.TypedDict only works with pydantic from Python 3.12 on.
from typing_extensions import TypedDict

#: The pydantic error type of every problem worded here rather than by pydantic.
EXPECTED = "programme_rule"
MAX_POINTS = 1_000_000_000


def expect(problem: str) -> WrapValidator:
    """Report pydantic's own objections to a value as ``problem``.

    Problems inside the value (a key of a table, an item of an array) and problems already
    worded by an inner ``expect`` keep their own wording.
    """

    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError as exc:
            if any(error["loc"] or error["type"] == EXPECTED for error in exc.errors()):
                raise
            raise PydanticCustomError(EXPECTED, problem) from None

    return WrapValidator(validate)


def fail_at(loc: tuple[int | str, ...], problem: str, value: object) -> NoReturn:
    """Fail a rule about a whole table or array at one of its keys or items.

    ``loc`` is relative to the value being validated; pydantic prefixes the rest.
    """
    error = InitErrorDetails(type=PydanticCustomError(EXPECTED, problem), loc=loc, input=value)
    raise ValidationError.from_exception_data("programme", [error])


@dataclass(frozen=True)
class Whole(GroupedMetadata):
    """A TOML integer (not a float, not a boolean) from ``minimum`` to ``maximum``."""

    minimum: int
    maximum: int = MAX_POINTS

    def __iter__(self) -> Iterator[object]:
        yield Strict()
        yield Ge(self.minimum)
        yield Le(self.maximum)
        if self.maximum == MAX_POINTS:  # a ceiling against typing mistakes, not a rule to state
            yield expect(f"must be a whole number >= {self.minimum}")
        else:
            yield expect(f"must be a whole number between {self.minimum} and {self.maximum}")


def _exact_decimal(value: object) -> object:
    # str() of a float is its shortest repr, so 1.25 becomes Decimal("1.25") exactly.
    # Anything else is left for the strict Decimal check to refuse ("1", true, a date).
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


@dataclass(frozen=True)
class Number(GroupedMetadata):
    """A TOML integer or float, kept as the exact :class:`~decimal.Decimal` it was written as.

    Give either ``gt`` or ``ge`` as the lower bound.
    """

    gt: int | None = None
    ge: int | None = None

    def __iter__(self) -> Iterator[object]:
        yield BeforeValidator(_exact_decimal)
        yield Strict()  # and finite: pydantic refuses inf and nan unless told otherwise
        if self.gt is not None:
            yield Gt(self.gt)
            yield expect(f"must be a number > {self.gt}")
        else:
            yield Ge(self.ge)
            yield expect(f"must be a number >= {self.ge}")
        yield Le(MAX_POINTS)
        yield expect(f"must be a number <= {MAX_POINTS}")


@dataclass(frozen=True)
class Matching(GroupedMetadata):
    """A string that matches ``pattern`` from start to end."""

    pattern: str
    problem: str

    def __iter__(self) -> Iterator[object]:
        yield Strict()
        yield StringConstraints(pattern=f"^(?:{self.pattern})$")
        yield expect(self.problem)


Ident = Annotated[
    str,
    Matching(
        r"[a-z0-9][a-z0-9_-]{0,39}",
        "must be 1-40 lowercase letters, digits, '-' or '_' (starting with a letter or digit)",
    ),
]
# A code naming another part of the file: whether that part exists is checked with the whole
# file in view, where the message can list the codes that do.
Reference = Annotated[str, Strict(), expect("must be a string")]
Colour = Annotated[str, Matching(r"#[0-9A-Fa-f]{6}", 'must be a colour like "#1E7B5A"')]
NonEmpty = Annotated[str, Matching(r"(?s)\s*\S.*", "must be a non-empty string")]

_TextTable = with_config(extra="forbid")(
    TypedDict("_TextTable", {"en": NonEmpty, "zh-Hans": NonEmpty, "zh-Hant": NonEmpty})
)
#: The languages every text must be given in.
LANGUAGES: tuple[str, ...] = tuple(_TextTable.__annotations__)
#: A customer-facing text: a plain ``dict`` with exactly the keys of :data:`LANGUAGES`.
Texts = Annotated[_TextTable, expect("must be a table of texts with keys " + ", ".join(LANGUAGES))]
