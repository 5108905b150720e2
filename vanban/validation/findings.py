"""What a validation rule reports: the finding model, severities and the rule catalogue.

The catalogue (codes, severities, Vietnamese and English messages, documentation
with an example) is data in ``vanban/resources/validation_rules.toml``; rules in
Python only say *where* and *with which values* a problem occurs (a :class:`Hit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel

from vanban.resources import load_toml


class Severity(StrEnum):
    """How bad a finding is; ordered ``info < warning < error``."""

    info = "info"
    warning = "warning"
    error = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error (for ``--fail-on`` comparisons)."""
        return _RANKS[self.value]


_RANKS = {"info": 0, "warning": 1, "error": 2}


class Finding(BaseModel):
    """One problem in one document, located to a page and line, with the text it is about."""

    source: str
    code: str
    severity: Severity
    message: str
    page: int | None = None
    line: int | None = None
    excerpt: str = ""
    rule: str = ""
    doc_id: str = ""


@dataclass(frozen=True)
class Hit:
    """A rule's raw report: the code, the message parameters and the location."""

    code: str
    excerpt: str
    line: int | None = None
    page: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleInfo:
    """A rule as documented in the catalogue."""

    code: str
    name: str
    family: str
    severity: Severity
    message_vi: str
    message_en: str
    doc: str
    example: str

    def message(self, lang: str, params: dict[str, Any]) -> str:
        """The short message in ``lang`` (``vi`` or ``en``) with ``params`` filled in."""
        template = self.message_en if lang == "en" else self.message_vi
        try:
            return template.format_map(_Default(params))
        except (ValueError, IndexError):
            return template


class _Default(dict[str, Any]):
    """``format_map`` mapping that leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def rule_catalogue() -> dict[str, RuleInfo]:
    """Every rule by code, from ``validation_rules.toml``."""
    data = load_toml("validation_rules")
    return {
        code: RuleInfo(
            code=code,
            name=raw["name"],
            family=raw["family"],
            severity=Severity(raw["severity"]),
            message_vi=raw["message_vi"],
            message_en=raw["message_en"],
            doc=raw["doc"],
            example=raw["example"],
        )
        for code, raw in data["rules"].items()
    }
