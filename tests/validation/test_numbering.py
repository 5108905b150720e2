"""The numbering checker behind VB102/VB103, on label sequences written as strings.

"I", "A" and words are group rows, "?" an unreadable number (OCR), "" an empty cell.
"""

from __future__ import annotations

import pytest

from vanban.validation.mentions import group_label, number_label
from vanban.validation.rules.numbering import Label, numbering_problems


def _labels(cells: list[str]) -> list[Label]:
    out = []
    for line, cell in enumerate(cells):
        number = number_label(cell)
        if number is not None:
            out.append(Label("number", number, line))
        elif not cell.strip():
            out.append(Label("neutral"))
        elif group_label(cell):
            out.append(Label("restart"))
        else:
            out.append(Label("unknown"))
    return out


def _problems(cells: list[str]) -> list[tuple[str, str, str]]:
    return [(p.code, p.item, p.missing) for p in numbering_problems(_labels(cells))]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1", "2", "3", "5"], [("VB102", "5", "4")]),
        (["1", "2", "2", "3"], [("VB103", "2", "")]),
        (["1", "2", "5", "6"], [("VB102", "5", "3, 4")]),
        (["10", "10.1", "10.3", "11"], [("VB102", "10.3", "10.2")]),
        (["1", "2", "3", "1", "2"], []),  # a new list
        (["I", "1", "2", "II", "1", "2"], []),  # group rows restart
        (["1", "2", "Tháng 02/2026", "1", "2"], []),
        (["5", "6", "Ự", "8"], []),  # OCR: an unreadable 7
        (["5", "6", "?", "?", "9"], []),
        (["5", "6", "?", "9"], [("VB102", "9", "7, 8")]),  # one unreadable fills one place only
        (["4", "5.", "6"], []),  # "5." is 5
        (["21", "22 `"], []),
        (["5", "6", "1", "8"], []),  # OCR read 7 as 1
        (["5", "6", "3", "8"], []),  # a misreading of 7, the next one carrying on
        (["1", "", "2", "", "3"], []),  # continuation rows
    ],
)
def test_numbering_problems(cells: list[str], expected: list[tuple[str, str, str]]) -> None:
    assert _problems(cells) == expected


def test_one_item_split_on_one_line_is_no_duplicate() -> None:
    labels = [
        Label("number", "1", 10),
        Label("number", "2", 11),
        Label("number", "2", 11),
        Label("number", "3", 12),
    ]
    assert numbering_problems(labels) == []
