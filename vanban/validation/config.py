"""Settings of ``vanban validate``: which rules run, at which severity, when to fail.

Read, in order of precedence: command-line options, then ``--config FILE``, else
``vanban.toml`` (top-level table ``[validate]`` or ``[tool.vanban.validate]``) or
``pyproject.toml`` (``[tool.vanban.validate]``) in the current directory or the
nearest parent.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

from vanban.errors import VanbanError
from vanban.validation.findings import Severity, rule_catalogue


class ConfigError(VanbanError):
    """A validation configuration that cannot be used (unknown code, bad severity, unreadable file)."""


class ValidateConfig(BaseModel):
    """Rule selection and severities; codes may be prefixes (``VB2`` selects every date rule)."""

    select: list[str] = Field(default_factory=list, description="codes or prefixes to run; empty = all")
    ignore: list[str] = Field(default_factory=list, description="codes or prefixes to skip")
    fail_on: Severity = Severity.error
    severity: dict[str, Severity] = Field(default_factory=dict, description="code -> severity override")
    lang: str = "vi"

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

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
        for given in (*self.select, *self.ignore, *self.severity):
            if not any(code.startswith(given) for code in codes):
                raise ConfigError(f"unknown rule code {given!r} (known: {', '.join(sorted(codes))})")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read configuration: {err}") from err


def _section(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The validate table of a pyproject.toml or vanban.toml."""
    found = data.get("tool", {}).get("vanban", {}).get("validate")
    if found is None and path.name != "pyproject.toml":
        found = data.get("validate", {})
    return dict(found or {})


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
    ``lang``. Raises :class:`ConfigError` on an unreadable file, a bad value or an unknown code.
    """
    if path is None:
        path = find_config_file((start or Path.cwd()).resolve())
    settings: dict[str, Any] = {}
    if path is not None:
        if not Path(path).is_file():
            raise ConfigError(f"{path}: no such configuration file")
        settings = {
            key.replace("-", "_"): value
            for key, value in _section(_read_toml(Path(path)), Path(path)).items()
        }
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
