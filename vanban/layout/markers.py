"""One marker grammar for every outline: ``I.``, ``A.``, ``1.``, ``1.1.``, ``(1)``, ``a)``, ``-``, ``+``, ``•``, ``*``.

A marker's *kind* is what it is written with; its depth is not fixed here but
comes from the order in which a document nests its kinds (:mod:`vanban.layout.outline`), so
``1.`` under ``I.`` and ``1.`` at the top level are both read right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vanban.layout.model import Marker, MarkerKind

_PATTERNS: tuple[tuple[MarkerKind, re.Pattern[str]], ...] = (
    ("roman", re.compile(r"^(?P<label>[IVX]{1,5})\s*[.\-–]\s*(?P<title>\S.*)$")),
    ("upper", re.compile(r"^(?P<label>[A-G])[.)]\s+(?P<title>\S.*)$")),
    ("number", re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>\S.*)$")),
    ("number", re.compile(r"^(?P<label>\d{1,2})[.)]\s*(?P<title>[^\d\s/].*)$")),
    ("paren", re.compile(r"^\((?P<label>\d{1,2})\)\s*(?P<title>\S.*)$")),
    ("letter", re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<title>\S.*)$")),
    ("dash", re.compile(r"^[-–—]\s*(?P<title>\S.*)$")),
    ("plus", re.compile(r"^\+\s*(?P<title>\S.*)$")),
    ("bullet", re.compile(r"^[•●○▪■◦·]\s*(?P<title>\S.*)$")),
    ("star", re.compile(r"^\*+\s*(?P<title>\S.*)$")),
)


# The characters a marker can open with (and any decimal digit, which ``\d`` matches in
# every script): a line opening with another is tried against no pattern.
_FIRST = frozenset("IVXABCDEFG(abcdefghijklmnopqrstuvwxyzđ-–—+•●○▪■◦·*")


@dataclass(frozen=True)
class Parsed:
    """A line split into its marker and the rest; ``offset`` is where the rest starts in the line."""

    marker: Marker | None
    offset: int

    @property
    def key(self) -> str | None:
        """The outline key: the kind, with the level of a dotted number (``1.1`` -> ``number2``)."""
        if self.marker is None:
            return None
        if self.marker.kind == "number":
            return f"number{self.marker.label.count('.') + 1}"
        return self.marker.kind


def parse(text: str, word_marker: str | None = None) -> Parsed:
    """The marker a line opens with (a Word list's rendered marker when given), or none."""
    if word_marker:
        found = parse(word_marker.strip() + " x")
        kind: MarkerKind = found.marker.kind if found.marker else "bullet"
        label = found.marker.label if found.marker else ""
        return Parsed(Marker(kind=kind, label=label, auto=True), 0)
    if text[:1] not in _FIRST and not text[:1].isdecimal():
        return Parsed(None, 0)
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            label = match.groupdict().get("label") or ""
            return Parsed(_marker(kind, label), match.start("title"))
    return Parsed(None, 0)


@lru_cache(maxsize=1024)
def _marker(kind: MarkerKind, label: str) -> Marker:
    """A marker model; few distinct ones (``1.``, ``a)``, ``-``), so each is built once (it is frozen)."""
    return Marker(kind=kind, label=label)
