"""Tables: header cells to column roles, merged cells carried down, group rows set apart.

Column roles come from ``resources/table_profiles.toml``. A vertically merged
cell (a day merged over a schedule's rows, a lead merged over an appendix's
rows) applies to every row it covers; a row merged across the table
(``A. LĨNH VỰC KINH TẾ``, ``Tuần 3 (từ 19/10 đến 23/10)``) is a group row,
not a data row; a header repeated after a page break is dropped.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from vanban.layout.model import Cell, Column, ColumnRole, Row, Table, Text
from vanban.layout.offsets import align
from vanban.layout.paragraphs import Paragraph
from vanban.normalizers import dates
from vanban.normalizers.text import fold, strip_marks
from vanban.resources import load_toml
from vanban.schemas.blocks import Provenance

# Header cells are labels: a longer cell is data that happens to hold a label's words.
_HEADER_CELL = 45


@cache
def _profiles() -> dict[str, Any]:
    return load_toml("table_profiles")


@cache
def _labels(bare: bool = False) -> tuple[tuple[str, ColumnRole], ...]:
    """Every header label with its role, longest first (so the most specific label wins)."""
    form = (lambda text: strip_marks(fold(text))) if bare else fold
    pairs = [(form(label), role) for role, labels in _profiles()["roles"].items() for label in labels]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def column_role(label: str) -> ColumnRole:
    """The role of a column from its header cell text.

    Labels are compared folded, then without tone marks, which a scan's OCR
    misreads far more often than letters (``Cơ quan chú trì``).
    """
    folded = fold(label).strip(" .:*()")
    if not folded:
        return "other"
    for key in (folded, strip_marks(folded)):
        for text, role in _labels(bare=key is not folded):
            if key == text or any(key.startswith(text + sep) for sep in (" ", ",", "/")):
                return role
    for role, words in _profiles()["contains"].items():
        if any(fold(word) in folded for word in words):
            return role  # type: ignore[no-any-return]
    return "other"


def header_columns(cells: list[str]) -> tuple[Column, ...] | None:
    """The columns a header row defines, or None when the row is no task-table header."""
    columns = tuple(Column(label=cell, role=column_role(cell)) for cell in cells)
    roles = [c.role for c in columns]
    # A task table has what to do and at least one of: its number, who, when.
    if "content" not in roles or not set(roles) & {"number", "lead", "support", "time", "day"}:
        return None
    if any(len(cell) > _HEADER_CELL or dates.find_dates(cell) for cell in cells):
        return None  # a data row that happens to mention "nội dung" or "thứ" (a day is data)
    return columns


def cell_texts(paragraph: Paragraph, extracted: str) -> list[Text]:
    """Each cell of a row as a :class:`Text` mapped into the extracted row text."""
    prov = paragraph.provs[0]
    if prov.start is None or prov.end is None:
        return [Text(text=cell, provs=(prov,)) for cell in paragraph.cells]
    region = extracted[prov.start : prov.end]
    texts: list[Text] = []
    at = 0
    for col, cell in enumerate(paragraph.cells):
        cell_prov = prov.model_copy(update={"col": col})
        found = region.find(cell[:8], at) if cell else -1
        if found < 0:
            texts.append(Text(text=cell, provs=(cell_prov,)))
            continue
        tab = region.find("\t", found)
        end = tab if tab >= 0 else len(region)
        span = cell_prov.model_copy(update={"start": prov.start + found, "end": prov.start + end})
        texts.append(Text(text=cell, offsets=align(cell, extracted, [span]), provs=(span,)))
        at = end
    return texts


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def is_numbering_row(cells: list[str]) -> bool:
    """The row under a header that numbers its columns: ``(1) | (2) | (3) ...``."""
    filled = [c.strip() for c in cells if c.strip()]
    return len(filled) >= 2 and all(_COLUMN_NUMBER.match(c) for c in filled)


def _is_header_again(cells: list[str], columns: tuple[Column, ...]) -> bool:
    return [fold(c) for c in cells] == [fold(c.label) for c in columns] or header_columns(cells) is not None


def _group_text(cells: list[Text], carried: list[bool], columns: tuple[Column, ...]) -> Text | None:
    """The text of a row merged across the table, or None for a data row.

    One distinct text in the row (``Tháng 10/2026``), or a number and a content
    with every other column empty, where the content is upper case
    (``A`` | ``LĨNH VỰC KINH TẾ``) or the number is a group's (``II`` | ``Phát
    triển hạ tầng số``: items are numbered 1, 2, 3, groups I, II or A, B).
    """
    own = [(i, c) for i, c in enumerate(cells) if c.text and not (i < len(carried) and carried[i])]
    distinct = {fold(c.text) for _, c in own}
    if len(distinct) == 1 and len(columns) > 2:
        return own[0][1]
    roles = {columns[i].role for i, _ in own if i < len(columns)}
    content = next((c for i, c in own if i < len(columns) and columns[i].role == "content"), None)
    if content is not None and roles <= {"number", "content"}:
        number = next((c.text for i, c in own if i < len(columns) and columns[i].role == "number"), "")
        if content.text.isupper() or _GROUP_NUMBER.fullmatch(number.strip(" .")):
            return content
    return None


# Roman numerals and capital letters number groups of a table's rows, never its items.
_GROUP_NUMBER = re.compile(r"[IVX]{1,5}|[A-ZĐ]")


def build_table(
    rows: list[Paragraph], extracted: str, columns: tuple[Column, ...] | None = None
) -> Table | None:
    """A table from consecutive row paragraphs; ``columns`` continue a table whose header came before.

    None when no header row with a content column is found (a layout table).
    """
    out: list[Row] = []
    above: list[Text] = []
    for paragraph in rows:
        header = header_columns(paragraph.cells) if not out else None
        if header is not None or columns is None:
            columns = header or columns  # rows before any header cannot be read
            continue
        if (
            _is_header_again(paragraph.cells, columns)
            or is_numbering_row(paragraph.cells)
            or len(paragraph.cells) != len(columns)
        ):
            continue
        cells = cell_texts(paragraph, extracted)
        carried = paragraph.carried or [False] * len(cells)
        group = _group_text(cells, carried, columns)
        if group is not None:
            out.append(Row(cells=tuple(Cell(text=c) for c in cells), group=group))
            above = []
            continue
        filled: list[Cell] = []
        for i, cell in enumerate(cells):
            if i < len(carried) and carried[i] and i < len(above) and not cell.text:
                filled.append(Cell(text=above[i], carried=True))
            else:
                filled.append(Cell(text=cell))
        above = [c.text for c in filled]
        out.append(Row(cells=tuple(filled)))
    if columns is None:
        return None
    return Table(columns=columns, rows=tuple(out))


def row_provenance(row: Row) -> Provenance:
    """Provenance of a row: its first cell's line, table and row."""
    for cell in row.cells:
        if cell.text.provs and not cell.carried:
            return cell.text.provs[0].model_copy(update={"col": None})
    return row.cells[0].text.provs[0] if row.cells and row.cells[0].text.provs else Provenance(source="")
