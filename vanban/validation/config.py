"""Settings of ``vanban validate``: which rules run, at which severity, when to fail.

Read, in order of precedence: command-line options, then ``--config FILE``, else
``vanban.toml`` (top-level table ``[validate]`` or ``[tool.vanban.validate]``) or
``pyproject.toml`` (``[tool.vanban.validate]``) in the current directory or the
nearest parent. An unknown key is an error naming the closest valid one.

``per-file-ignores`` maps a glob to codes, like ruff::

    [tool.vanban.validate.per-file-ignores]
    "archive/2019/**" = ["VB2"]
    "*nhap*.docx" = ["VB503"]

A glob without ``/`` matches the file name in any folder; ``**`` spans folders.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vanban.errors import VanbanError
from vanban.validation.findings import Severity, rule_catalogue


class ConfigError(VanbanError):
    """A validation configuration that cannot be used (unknown code, bad severity, unreadable file)."""


class ValidateConfig(BaseModel):
    """Rule selection and severities; codes may be prefixes (``VB2`` selects every date rule)."""

    model_config = ConfigDict(extra="forbid")

    select: list[str] = Field(default_factory=list, description="codes or prefixes to run; empty = all")
    ignore: list[str] = Field(default_factory=list, description="codes or prefixes to skip")
    fail_on: Severity = Severity.error
    severity: dict[str, Severity] = Field(default_factory=dict, description="code -> severity override")
    lang: str = "vi"
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="glob -> codes or prefixes to skip in the files it matches"
    )

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("per_file_ignores", mode="before")
    @classmethod
    def _split_each(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {glob: cls._split(codes) for glob, codes in value.items()}
        return value

    def ignored_in(self, source: str, code: str) -> bool:
        """Whether a ``per-file-ignores`` glob matching ``source`` names ``code`` (or a prefix of it)."""
        return any(
            code.startswith(prefix)
            for glob, prefixes in self.per_file_ignores.items()
            if path_matches(source, glob)
            for prefix in prefixes
        )

    def enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs under this configuration."""
        if self.select and not any(code.startswith(prefix) for prefix in self.select):
            return False
        return not any(code.startswith(prefix) for prefix in self.ignore)

    def severity_of(self, code: str) -> Severity:
        """The configured severity of ``code`` (override, else the catalogue default)."""
        return self.severity.get(code) or rule_catalogue()[code].severity

    def check_codes(self) -> None:
        """Raise :class:`ConfigError` when a code or prefix names no rule."""
        codes = rule_catalogue()
        given_codes = [*self.select, *self.ignore, *self.severity]
        given_codes += [code for codes_ in self.per_file_ignores.values() for code in codes_]
        for given in given_codes:
            if not any(code.startswith(given) for code in codes):
                raise ConfigError(f"unknown rule code {given!r}{did_you_mean(given, codes)}")


def did_you_mean(given: str, known: Iterable[str], cutoff: float = 0.5) -> str:
    """``"; did you mean 'VB305'?"`` for the closest of ``known``, or ``""`` when none is close enough."""
    close = difflib.get_close_matches(given, list(known), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""


def path_matches(source: str, glob: str) -> bool:
    """Whether ``source`` (a path as given) matches ``glob``, ruff-style.

    A glob without ``/`` matches the file name in any folder; otherwise it
    matches the whole path or any tail of it (``docs/*.txt`` matches
    ``./archive/docs/a.txt``); ``**`` spans folders.
    """
    path = PurePosixPath(source.replace("\\", "/"))
    if "/" not in glob.rstrip("/"):
        return path.match(glob)
    pattern = glob.rstrip("/")
    parts = path.parts
    return any(_full_match(PurePosixPath(*parts[i:]), pattern) for i in range(len(parts)))


def _full_match(path: PurePosixPath, pattern: str) -> bool:
    """``PurePath.full_match`` for Python 3.11: the whole path matches, ``**`` spanning folders."""
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            regex += ".*"
            i += 2
        elif pattern[i] == "*":
            regex += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            regex += "[^/]"
            i += 1
        else:
            regex += re.escape(pattern[i])
            i += 1
    return re.fullmatch(regex, str(path)) is not None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read configuration: {err}") from err


def _section(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The validate table of a pyproject.toml or vanban.toml."""
    return _named_section(data, path)[1]


def _named_section(data: dict[str, Any], path: Path) -> tuple[str, dict[str, Any]]:
    """``(table name, table)``: ``[tool.vanban.validate]``, else a vanban.toml's ``[validate]``."""
    found = data.get("tool", {}).get("vanban", {}).get("validate")
    if found is not None or path.name == "pyproject.toml":
        return "[tool.vanban.validate]", dict(found or {})
    return "[validate]", dict(data.get("validate") or {})


def check_keys(table: dict[str, Any], name: str, path: Path) -> None:
    """Raise :class:`ConfigError` naming an unknown key of ``table`` and the closest valid one."""
    known = [key.replace("_", "-") for key in ValidateConfig.model_fields]
    for key in table:
        if key.replace("_", "-") not in known:
            raise ConfigError(f"unknown key {key!r} in {name} of {path.name}{did_you_mean(key, known)}")


def find_config_file(start: Path) -> Path | None:
    """``vanban.toml``, or a ``pyproject.toml`` with a ``[tool.vanban.validate]`` table, in ``start`` or a parent."""
    for folder in (start, *start.parents):
        candidate = folder / "vanban.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _section(_read_toml(candidate), candidate):
            return candidate
    return None


def load_config(
    path: Path | None = None, *, start: Path | None = None, overrides: dict[str, Any] | None = None
) -> ValidateConfig:
    """Settings from ``path`` (or the file found from ``start``), then ``overrides`` (non-empty values win).

    Keys: ``select``, ``ignore``, ``fail-on`` (or ``fail_on``), ``severity`` (a table of code = severity),
    ``lang``, ``per-file-ignores`` (a table of glob = codes). Raises :class:`ConfigError` on an unreadable file, a bad value or an unknown code.
    """
    if path is None:
        path = find_config_file((start or Path.cwd()).resolve())
    settings: dict[str, Any] = {}
    if path is not None:
        if not Path(path).is_file():
            raise ConfigError(f"{path}: no such configuration file")
        name, table = _named_section(_read_toml(Path(path)), Path(path))
        check_keys(table, name, Path(path))
        settings = {key.replace("-", "_"): value for key, value in table.items()}
    for key, value in (overrides or {}).items():
        if value not in (None, [], ""):
            settings[key] = value
    try:
        config = ValidateConfig.model_validate(settings)
    except ValueError as err:
        raise ConfigError(f"invalid validate configuration{f' in {path}' if path else ''}: {err}") from err
    config.check_codes()
    return config


def split_codes(values: Iterable[str] | None) -> list[str]:
    """``["VB101,VB2", "VB3"]`` -> ``["VB101", "VB2", "VB3"]`` (repeatable and comma-separated options)."""
    return [part.strip().upper() for value in values or () for part in value.split(",") if part.strip()]
