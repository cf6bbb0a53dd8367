"""The loyalty programme: what members earn, which tiers exist, what rewards cost.

A programme is described by a TOML file (see ``programmes/harbor_coffee.toml`` for the
commented example).  :func:`load_programme` reads and validates it into frozen dataclasses;
any problem is reported as a :class:`ProgrammeError` naming the file and the offending key,
e.g. ``harbor.toml: tiers[2].multiplier must be a number >= 1``.  Array indices in these
key paths are 0-based, as in the TOML array itself.

Every customer-facing text is a table with exactly the keys ``en``, ``zh-Hans`` and
``zh-Hant``; it is stored as a plain ``dict`` (typed :data:`Texts`).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

__all__ = [
    "LANGUAGES",
    "ROUNDING_MODES",
    "Birthday",
    "Brand",
    "Programme",
    "ProgrammeError",
    "PunchCard",
    "Referral",
    "Reward",
    "Texts",
    "Tier",
    "demo_programme_path",
    "load_programme",
]

Texts = Mapping[str, str]

#: The languages every text must be given in.
LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant")
#: Accepted values of ``rounding``.
ROUNDING_MODES: tuple[str, ...] = ("floor", "half_up", "ceil")

_MAX_POINTS = 1_000_000_000
_MAX_MONTHS = 120
_MAX_DAYS = 3650

_IDENT_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_COLOUR_RE = re.compile(r"#[0-9A-Fa-f]{6}")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_CARD_PREFIX_RE = re.compile(r"[A-Z0-9]{2,8}")
_IDENT_RULE = "must be 1-40 lowercase letters, digits, '-' or '_' (starting with a letter or digit)"


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


@dataclass(frozen=True)
class Tier:
    code: str
    name: Texts
    qualifying_points: int
    multiplier: Decimal
    benefits: tuple[Texts, ...]
    colour: str


@dataclass(frozen=True)
class Reward:
    id: str
    name: Texts
    description: Texts
    terms: Texts
    category: str
    cost: int
    stock: int | None  # None: unlimited
    valid_until: date | None  # last day the reward can be redeemed (inclusive)
    image: str | None
    min_tier: str | None
    voucher_valid_days: int


@dataclass(frozen=True)
class PunchCard:
    visits: int
    reward_id: str
    name: Texts


@dataclass(frozen=True)
class Birthday:
    points: int


@dataclass(frozen=True)
class Referral:
    referrer_points: int
    referee_points: int


@dataclass(frozen=True)
class Brand:
    name: Texts
    primary_colour: str
    logo: str | None
    link_base: str  # "" means: the server uses its own URL for referral links


@dataclass(frozen=True)
class Programme:
    id: str
    brand: Brand
    currency: str
    earn_points_per_unit: Decimal
    rounding: str
    tiers: tuple[Tier, ...]
    qualifying_window_months: int
    expiry_months: int | None
    expiry_warning_days: int
    pending_hold_days: int
    referral: Referral
    rewards: tuple[Reward, ...]
    categories: Mapping[str, Texts]
    punch_card: PunchCard | None
    birthday: Birthday | None
    card_prefix: str
    max_purchase_amount: Decimal
    currency_decimals: int

    def tier(self, code: str) -> Tier:
        """The tier with this code; ``KeyError`` if there is none."""
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise KeyError(code)

    def reward(self, id: str) -> Reward | None:
        """The reward with this id, or ``None``."""
        by_id = self.__dict__.get("_rewards_by_id")
        if by_id is None:  # frozen dataclass: cache the index beside the fields
            by_id = {r.id: r for r in self.rewards}
            object.__setattr__(self, "_rewards_by_id", by_id)
        return by_id.get(id)


def demo_programme_path() -> Path:
    """Path of the packaged Harbor Coffee demo programme."""
    return Path(__file__).resolve().parent / "programmes" / "harbor_coffee.toml"


def load_programme(path: str | Path) -> Programme:
    """Read, validate and return the programme in the TOML file at ``path``."""
    path = Path(path)
    reader = _Reader(path.name)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        reader.fail(None, f"cannot read the file: {exc.strerror or exc}")
    except tomllib.TOMLDecodeError as exc:
        reader.fail(None, f"not valid TOML: {exc}")
    return reader.programme(data)


# --------------------------------------------------------------------------- validation


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _describe_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


class _Reader:
    """Walks the parsed TOML document, raising ProgrammeError on the first problem."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str | None, problem: str) -> NoReturn:
        raise ProgrammeError(self.file, key, problem)

    # -- primitives ----------------------------------------------------------------

    def table(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"must be a table, not {_describe_type(value)}")
        return value

    def known_keys(self, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.fail(
                    _join(prefix, key),
                    f"is not a known key (expected one of: {', '.join(allowed)})",
                )

    def required(self, table: dict[str, Any], prefix: str, key: str) -> Any:
        if key not in table:
            self.fail(_join(prefix, key), "is required")
        return table[key]

    def integer(self, value: object, key: str, minimum: int, maximum: int) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (minimum <= value <= maximum)
        ):
            if maximum >= _MAX_POINTS:
                self.fail(key, f"must be a whole number >= {minimum}")
            self.fail(key, f"must be a whole number between {minimum} and {maximum}")
        return value

    def number(self, value: object, key: str, *, minimum: Decimal, inclusive: bool) -> Decimal:
        rule = f"must be a number {'>=' if inclusive else '>'} {minimum}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, rule)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, rule)
        # str() of a float is its shortest repr, so 1.25 becomes Decimal("1.25") exactly.
        number = Decimal(str(value))
        if number < minimum or (not inclusive and number == minimum):
            self.fail(key, rule)
        if number > _MAX_POINTS:
            self.fail(key, f"must be a number <= {_MAX_POINTS}")
        return number

    def string(self, value: object, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        return value

    def matching(self, value: object, key: str, pattern: re.Pattern[str], rule: str) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.fail(key, rule)
        return value

    def ident(self, value: object, key: str) -> str:
        return self.matching(value, key, _IDENT_RE, _IDENT_RULE)

    def colour(self, value: object, key: str) -> str:
        return self.matching(value, key, _COLOUR_RE, 'must be a colour like "#1E7B5A"')

    def texts(self, value: object, key: str) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail(
                key,
                "must be a table of texts with keys " + ", ".join(LANGUAGES),
            )
        self.known_keys(value, key, LANGUAGES)
        return {
            lang: self.string(self.required(value, key, lang), f"{key}.{lang}")
            for lang in LANGUAGES
        }

    def array_of_tables(self, value: object, key: str) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.fail(key, f"must be an array of tables, not {_describe_type(value)}")
        for index, item in enumerate(value):
            self.table(item, f"{key}[{index}]")
        return value

    # -- sections ------------------------------------------------------------------

    def programme(self, data: dict[str, Any]) -> Programme:
        allowed = (
            "id",
            "currency",
            "currency_decimals",
            "earn_points_per_unit",
            "rounding",
            "max_purchase_amount",
            "card_prefix",
            "qualifying_window_months",
            "expiry_months",
            "expiry_warning_days",
            "pending_hold_days",
            "brand",
            "referral",
            "birthday",
            "punch_card",
            "categories",
            "tiers",
            "rewards",
        )
        self.known_keys(data, "", allowed)

        def req(key: str) -> Any:
            return self.required(data, "", key)

        programme_id = self.ident(req("id"), "id")
        currency = self.matching(
            req("currency"), "currency", _CURRENCY_RE, 'must be 3 uppercase letters, e.g. "USD"'
        )
        currency_decimals = self.integer(req("currency_decimals"), "currency_decimals", 0, 4)
        earn_rate = self.number(
            req("earn_points_per_unit"),
            "earn_points_per_unit",
            minimum=Decimal(0),
            inclusive=False,
        )
        rounding = req("rounding")
        if rounding not in ROUNDING_MODES:
            self.fail("rounding", 'must be one of "floor", "half_up", "ceil"')
        max_purchase = self.number(
            req("max_purchase_amount"),
            "max_purchase_amount",
            minimum=Decimal(0),
            inclusive=False,
        )
        if max_purchase.as_tuple().exponent < -currency_decimals:  # type: ignore[operator]
            self.fail(
                "max_purchase_amount",
                f"must have at most {currency_decimals} decimal places",
            )
        card_prefix = self.matching(
            req("card_prefix"),
            "card_prefix",
            _CARD_PREFIX_RE,
            "must be 2-8 uppercase letters or digits",
        )
        window = self.integer(
            req("qualifying_window_months"), "qualifying_window_months", 1, _MAX_MONTHS
        )
        expiry_months = None
        if "expiry_months" in data:
            expiry_months = self.integer(data["expiry_months"], "expiry_months", 1, _MAX_MONTHS)
        warning_days = self.integer(req("expiry_warning_days"), "expiry_warning_days", 0, 365)
        hold_days = self.integer(req("pending_hold_days"), "pending_hold_days", 0, 365)

        brand = self.brand(self.table(req("brand"), "brand"))
        referral = self.referral(self.table(req("referral"), "referral"))
        birthday = None
        if "birthday" in data:
            birthday = self.birthday(self.table(data["birthday"], "birthday"))
        categories = self.categories(self.table(req("categories"), "categories"))
        tiers = self.tiers(req("tiers"))
        rewards = self.rewards(data.get("rewards", []), categories, tiers)
        punch_card = None
        if "punch_card" in data:
            punch_card = self.punch_card(self.table(data["punch_card"], "punch_card"), rewards)

        return Programme(
            id=programme_id,
            brand=brand,
            currency=currency,
            earn_points_per_unit=earn_rate,
            rounding=rounding,
            tiers=tiers,
            qualifying_window_months=window,
            expiry_months=expiry_months,
            expiry_warning_days=warning_days,
            pending_hold_days=hold_days,
            referral=referral,
            rewards=rewards,
            categories=categories,
            punch_card=punch_card,
            birthday=birthday,
            card_prefix=card_prefix,
            max_purchase_amount=max_purchase,
            currency_decimals=currency_decimals,
        )

    def brand(self, table: dict[str, Any]) -> Brand:
        self.known_keys(table, "brand", ("name", "primary_colour", "logo", "link_base"))
        name = self.texts(self.required(table, "brand", "name"), "brand.name")
        colour = self.colour(
            self.required(table, "brand", "primary_colour"), "brand.primary_colour"
        )
        logo = None
        if "logo" in table:
            logo = self.string(table["logo"], "brand.logo")
        link_base = table.get("link_base", "")
        if not isinstance(link_base, str) or (
            link_base and not re.fullmatch(r"https?://\S+", link_base)
        ):
            self.fail("brand.link_base", 'must be "" or a URL starting with http:// or https://')
        return Brand(name=name, primary_colour=colour, logo=logo, link_base=link_base)

    def referral(self, table: dict[str, Any]) -> Referral:
        self.known_keys(table, "referral", ("referrer_points", "referee_points"))
        return Referral(
            referrer_points=self.integer(
                self.required(table, "referral", "referrer_points"),
                "referral.referrer_points",
                0,
                _MAX_POINTS,
            ),
            referee_points=self.integer(
                self.required(table, "referral", "referee_points"),
                "referral.referee_points",
                0,
                _MAX_POINTS,
            ),
        )

    def birthday(self, table: dict[str, Any]) -> Birthday:
        self.known_keys(table, "birthday", ("points",))
        points = self.integer(
            self.required(table, "birthday", "points"), "birthday.points", 1, _MAX_POINTS
        )
        return Birthday(points=points)

    def categories(self, table: dict[str, Any]) -> dict[str, dict[str, str]]:
        categories: dict[str, dict[str, str]] = {}
        for code, value in table.items():
            key = f"categories.{code}"
            self.ident(code, key)
            categories[code] = self.texts(value, key)
        return categories

    def tiers(self, value: object) -> tuple[Tier, ...]:
        items = self.array_of_tables(value, "tiers")
        if not items:
            self.fail("tiers", "must list at least one tier")
        allowed = ("code", "name", "qualifying_points", "multiplier", "benefits", "colour")
        tiers: list[Tier] = []
        for index, table in enumerate(items):
            prefix = f"tiers[{index}]"
            self.known_keys(table, prefix, allowed)

            def req(key: str, table: dict[str, Any] = table, prefix: str = prefix) -> Any:
                return self.required(table, prefix, key)

            code = self.ident(req("code"), f"{prefix}.code")
            if any(t.code == code for t in tiers):
                self.fail(f"{prefix}.code", f'"{code}" is already used by another tier')
            qualifying = self.integer(
                req("qualifying_points"), f"{prefix}.qualifying_points", 0, _MAX_POINTS
            )
            if index == 0 and qualifying != 0:
                self.fail(f"{prefix}.qualifying_points", "must be 0 for the first tier")
            if tiers and qualifying <= tiers[-1].qualifying_points:
                self.fail(
                    f"{prefix}.qualifying_points",
                    f"must be greater than the previous tier's "
                    f"({tiers[-1].qualifying_points}); list tiers from lowest to highest",
                )
            multiplier = self.number(
                req("multiplier"), f"{prefix}.multiplier", minimum=Decimal(1), inclusive=True
            )
            benefits_value = req("benefits")
            if not isinstance(benefits_value, list):
                self.fail(f"{prefix}.benefits", "must be an array of texts")
            benefits = tuple(
                self.texts(item, f"{prefix}.benefits[{i}]") for i, item in enumerate(benefits_value)
            )
            tiers.append(
                Tier(
                    code=code,
                    name=self.texts(req("name"), f"{prefix}.name"),
                    qualifying_points=qualifying,
                    multiplier=multiplier,
                    benefits=benefits,
                    colour=self.colour(req("colour"), f"{prefix}.colour"),
                )
            )
        return tuple(tiers)

    def rewards(
        self,
        value: object,
        categories: Mapping[str, Texts],
        tiers: tuple[Tier, ...],
    ) -> tuple[Reward, ...]:
        items = self.array_of_tables(value, "rewards")
        allowed = (
            "id",
            "name",
            "description",
            "terms",
            "category",
            "cost",
            "stock",
            "valid_until",
            "image",
            "min_tier",
            "voucher_valid_days",
        )
        tier_codes = [t.code for t in tiers]
        rewards: list[Reward] = []
        for index, table in enumerate(items):
            prefix = f"rewards[{index}]"
            self.known_keys(table, prefix, allowed)

            def req(key: str, table: dict[str, Any] = table, prefix: str = prefix) -> Any:
                return self.required(table, prefix, key)

            reward_id = self.ident(req("id"), f"{prefix}.id")
            if any(r.id == reward_id for r in rewards):
                self.fail(f"{prefix}.id", f'"{reward_id}" is already used by another reward')
            category = req("category")
            if not isinstance(category, str) or category not in categories:
                self.fail(
                    f"{prefix}.category",
                    "must be one of the [categories]: " + ", ".join(categories),
                )
            stock = None
            if "stock" in table:
                stock = self.integer(table["stock"], f"{prefix}.stock", 0, _MAX_POINTS)
            valid_until = None
            if "valid_until" in table:
                valid_until = table["valid_until"]
                if isinstance(valid_until, datetime) or not isinstance(valid_until, date):
                    self.fail(f"{prefix}.valid_until", "must be a date like 2027-06-30")
            image = None
            if "image" in table:
                image = self.string(table["image"], f"{prefix}.image")
            min_tier = None
            if "min_tier" in table:
                min_tier = table["min_tier"]
                if not isinstance(min_tier, str) or min_tier not in tier_codes:
                    self.fail(
                        f"{prefix}.min_tier",
                        "must be one of the tier codes: " + ", ".join(tier_codes),
                    )
            rewards.append(
                Reward(
                    id=reward_id,
                    name=self.texts(req("name"), f"{prefix}.name"),
                    description=self.texts(req("description"), f"{prefix}.description"),
                    terms=self.texts(req("terms"), f"{prefix}.terms"),
                    category=category,
                    cost=self.integer(req("cost"), f"{prefix}.cost", 1, _MAX_POINTS),
                    stock=stock,
                    valid_until=valid_until,
                    image=image,
                    min_tier=min_tier,
                    voucher_valid_days=self.integer(
                        req("voucher_valid_days"), f"{prefix}.voucher_valid_days", 1, _MAX_DAYS
                    ),
                )
            )
        return tuple(rewards)

    def punch_card(self, table: dict[str, Any], rewards: tuple[Reward, ...]) -> PunchCard:
        self.known_keys(table, "punch_card", ("visits", "reward_id", "name"))
        visits = self.integer(
            self.required(table, "punch_card", "visits"), "punch_card.visits", 1, 100
        )
        reward_id = self.required(table, "punch_card", "reward_id")
        if not isinstance(reward_id, str) or not any(r.id == reward_id for r in rewards):
            self.fail("punch_card.reward_id", "must be the id of one of the [[rewards]]")
        name = self.texts(self.required(table, "punch_card", "name"), "punch_card.name")
        return PunchCard(visits=visits, reward_id=reward_id, name=name)
