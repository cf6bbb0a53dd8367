"""The loyalty programme: what members earn, which tiers exist, what rewards cost.

A programme is described by a TOML file (see ``programmes/harbor_coffee.toml`` for the
commented example).  :func:`load_programme` reads and validates it into frozen dataclasses;
any problem is reported as a :class:`ProgrammeError` naming the file and the offending key,
e.g. ``harbor.toml: tiers[2].multiplier must be a number >= 1``.  Array indices in these
key paths are 0-based, as in the TOML array itself.

Every customer-facing text is a table with exactly the keys ``en``, ``zh-Hans`` and
``zh-Hant``; it is stored as a plain ``dict`` (typed :data:`Texts`).

``models`` holds the dataclasses, whose field types (from ``constraints``) are the rules
pydantic checks; ``errors`` words pydantic's findings; ``load`` reads the file.
"""

from .challenges import GOALS, Challenge
from .constraints import LANGUAGES, Texts
from .errors import ProgrammeError
from .load import demo_programme_path, load_programme
from .models import (
    ROUNDING_MODES,
    Birthday,
    Brand,
    Programme,
    PunchCard,
    Referral,
    Reward,
    Tier,
)
from .offers import WEEKDAYS, Offer

__all__ = [
    "LANGUAGES",
    "ROUNDING_MODES",
    "GOALS",
    "WEEKDAYS",
    "Birthday",
    "Brand",
    "Challenge",
    "Programme",
    "Offer",
    "ProgrammeError",
    "PunchCard",
    "Referral",
    "Reward",
    "Texts",
    "Tier",
    "demo_programme_path",
    "load_programme",
]
