"""Domain data files (TOML) and their one cached loader.

Tables such as the unit gazetteer, document type and issuer codes, and the
period vocabulary live here as data, not code, so a reviewer can extend them
without touching a parser.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from vanban.errors import DataFileError


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Load ``vanban/resources/<name>.toml`` once per process."""
    try:
        raw = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
        return tomllib.loads(raw)
    except (FileNotFoundError, tomllib.TOMLDecodeError) as err:
        raise DataFileError(f"resource {name}.toml: {err}") from err
