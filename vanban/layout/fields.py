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
    value_end: int | None = None  # where the next field of the same line starts


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


def parse_fields(text: str) -> list[FieldMatch]:
    """Every field of a line, in order: ``Thời gian: Quý III. Chủ trì: Ban Nữ công. Phối hợp: ...``.

    A line may hold several labelled fields, each ended by ``.`` or ``;`` before
    the next known label; one field, or none, for most lines.
    """
    first = parse_field(text)
    if first is None:
        return []
    out = [first]
    while True:
        current = out[-1]
        nxt = _next_field(text, current.value_start)
        if nxt is None:
            return out
        out[-1] = FieldMatch(current.label, current.key, current.value_start, nxt[0])
        out.append(nxt[1])


_FIELD_BREAK = re.compile(r"[.;]\s+")


def _next_field(text: str, start: int) -> tuple[int, FieldMatch] | None:
    """The next labelled field after ``start``: (where the current value ends, the field)."""
    for brk in _FIELD_BREAK.finditer(text, start):
        found = parse_field(text[brk.end() :])
        if found is not None:
            offset = brk.end()
            return brk.start(), FieldMatch(found.label, found.key, offset + found.value_start)
    return None
