"""Numbered items in order: gaps (VB102) and duplicates (VB103), for task lists and table number columns.

A pure checker over a sequence of labels; the callers say what a label is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

LabelKind = Literal["number", "unknown", "restart", "neutral"]


@dataclass(frozen=True)
class Label:
    """One row or item: its number ("10.1"), an unreadable number (OCR), a group that restarts, or nothing."""

    kind: LabelKind
    number: str = ""
    line: int | None = None  # one item split into several rows on one line is no duplicate


@dataclass(frozen=True)
class Problem:
    """A gap or a duplicate at ``position`` of the sequence."""

    position: int
    code: Literal["VB102", "VB103"]
    item: str
    previous: str = ""
    missing: str = ""


def numbering_problems(labels: Sequence[Label]) -> list[Problem]:
    """Gaps and duplicates of consecutive numbering; sub-items (10.1, 10.2) are checked within their parent.

    Rules that keep misreadings quiet:

    * a number 1 after others starts a new list (a sub-heading between them),
      unless the number after it carries on the old list (OCR read 7 as 1);
    * an unreadable number (OCR "Ự" for 7) fills one missing place;
    * a number that breaks the order while the next one carries on as if it
      had been right ("6, 3, 8") is a misreading of the one missing, not a gap.
    """
    found: list[Problem] = []
    levels: dict[str, tuple[int, int | None]] = {}  # parent -> (last number, its line)
    seen: dict[tuple[str, int], int | None] = {}
    unknown = 0
    for pos, label in enumerate(labels):
        if label.kind == "restart":
            levels, seen, unknown = {}, {}, 0
            continue
        if label.kind == "unknown":
            unknown += 1
            continue
        if label.kind != "number":
            continue
        parent, _, last = label.number.rpartition(".")
        number = int(last)
        previous = levels.get(parent)
        following = _next_number(labels, pos, parent)
        if previous is not None and number != previous[0] + 1 and following == previous[0] + 2:
            levels[parent] = (previous[0] + 1, label.line)  # a misreading of the missing number
            unknown = 0
            continue
        if number == 1 and previous is not None and previous[1] != label.line:
            seen = {key: value for key, value in seen.items() if key[0] != parent}
            previous = None
        if (parent, number) in seen:
            if seen[(parent, number)] != label.line:
                found.append(Problem(pos, "VB103", label.number))
            continue
        seen[(parent, number)] = label.line
        if previous is not None and number > previous[0] + 1 + unknown:
            prefix = f"{parent}." if parent else ""
            missing = ", ".join(f"{prefix}{n}" for n in range(previous[0] + 1, number))
            found.append(Problem(pos, "VB102", label.number, f"{prefix}{previous[0]}", missing))
        levels[parent] = (number, label.line)
        unknown = 0
    return found


def _next_number(labels: Sequence[Label], pos: int, parent: str) -> int | None:
    """The next readable number of the same parent after ``pos`` (before a restart)."""
    for label in labels[pos + 1 :]:
        if label.kind == "restart":
            return None
        if label.kind == "number":
            other_parent, _, last = label.number.rpartition(".")
            if other_parent == parent:
                return int(last)
    return None
