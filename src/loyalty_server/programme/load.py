"""Reading a programme file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .errors import ProgrammeError, programme_error
from .models import Programme, ProgrammeFile

_FILE = TypeAdapter(ProgrammeFile)


def demo_programme_path() -> Path:
    """Path of the packaged Harbor Coffee demo programme."""
    return Path(__file__).resolve().parent.parent / "programmes" / "harbor_coffee.toml"


def load_programme(path: str | Path) -> Programme:
    """Read, validate and return the programme in the TOML file at ``path``."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ProgrammeError(
            path.name, None, f"cannot read the file: {exc.strerror or exc}"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeError(path.name, None, f"not valid TOML: {exc}") from exc
    try:
        return _FILE.validate_python(data)
    except ValidationError as exc:
        raise programme_error(path.name, exc) from None
