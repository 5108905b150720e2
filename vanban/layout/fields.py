"""Field lines: ``label: value`` under an item or a group, whatever glyph opens them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vanban.normalizers.text import fold
from vanban.resources import load_toml

_GLYPHS = re.compile(r"^[-–+•*\s]*")


@dataclass(frozen=True)
class FieldMatch:
    """A field line: its label as written, its key and where its value starts."""

    label: str
    key: str
    value_start: int


@cache
def _labels() -> tuple[tuple[str, str], ...]:
    pairs = [
        (fold(label), key) for key, labels in load_toml("field_lines")["labels"].items() for label in labels
    ]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def parse_field(text: str) -> FieldMatch | None:
    """The field a line is (``Cơ quan chủ trì: Phòng Kinh tế`` -> lead), or None."""
    glyphs = _GLYPHS.match(text)
    start = glyphs.end() if glyphs else 0
    colon = text.find(":", start)
    if colon < 0 or colon - start > 45:
        return None
    label = fold(text[start:colon]).strip(" .")
    for written, key in _labels():
        if label == written:
            value_start = colon + 1
            while value_start < len(text) and text[value_start] == " ":
                value_start += 1
            return FieldMatch(text[start:colon].strip(), key, value_start)
    return None
