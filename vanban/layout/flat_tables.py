"""Rebuild tables that a PDF text layer flattened to one cell fragment per line.

Corpus conghai 23-CTr ends with an appendix table ("Stt | Nội dung | Thời gian
trình BTV, BCH | Cơ quan chủ trì thực hiện | Nguồn lực thực hiện") whose text
layer reads one wrapped cell line per line::

    Nghị quyết vềcơ cấu lại          <- content cell, wrapped
    ngành nông nghiệp giai đoạn
    2026 – 2030.
    Quý I/2026                       <- time cell (BTV)
    Quý I/2026                       <- time cell (BCH)
    Đảng uỷ                          <- lead cell, wrapped in a narrow column
    UBND xã

A row is read as content lines, then one period cell per time column (a cell
may wrap: ``Quý IV hàng`` / ``năm``), then the short lines of the narrow unit
column. Roman numerals alone on a line open section rows (``I`` / ``Lĩnh vực
kinh tế``). The rebuilt rows are ``table_row`` blocks whose provenance spans
the lines they came from, so the task reader treats them like a DOCX table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vanban.layout.paragraphs import join_wrapped
from vanban.normalizers import dates
from vanban.normalizers.text import clean_line, fold
from vanban.resources import load_toml
from vanban.schemas.blocks import Block, Provenance

# A cell fragment of the narrow unit column ("Đảng uỷ", "UBND xã", "chủ trì,").
_UNIT_LINE_MAX = 16
# A content cell longer than this without a period cell is not a flattened row.
_MAX_CONTENT_LINES = 30
_SECTION = re.compile(r"^(?:[IVX]{1,5}|[A-D])\.?$")
_NUMBER = re.compile(r"^\d{1,3}\.?$")
_ACRONYM = re.compile(r"^[A-ZĐ]{2,6}$")
# A wrapped period cell goes on after a word that needs its object ("của", "hàng").
_DANGLING = frozenset({"của", "theo", "và", "đến", "hàng", "hằng", "trước", "ngày", "tháng", "trong", "từ"})


@cache
def _header_words() -> tuple[str, ...]:
    columns = load_toml("table_profiles")["roles"]
    words = [w for role in columns.values() for w in role]
    return tuple(fold(w) for w in (*words, *load_toml("structure")["flat_tables"]["header_words"]))


def _role(label: str) -> str:
    """What a header label's column holds."""
    columns = load_toml("table_profiles")["roles"]
    folded = fold(label)

    def starts(words: list[str]) -> bool:
        return any(folded == fold(w) or folded.startswith(fold(w) + " ") for w in words)

    if starts(columns["number"]):
        return "number"
    if starts(columns["content"]):
        return "content"
    if starts(columns["time"]):
        return "time"
    if starts([*columns["lead"], *columns["support"], "cơ quan", "đơn vị"]):
        return "unit"
    return "other"


@dataclass
class _Header:
    labels: list[str]
    roles: list[str]  # per label: number, content, time, unit or other
    end: int  # index of the first line after the header

    @property
    def time_columns(self) -> int:
        return self.roles.count("time")

    @property
    def units_first(self) -> bool:
        """Whether the unit column comes before the time columns."""
        if "unit" not in self.roles or "time" not in self.roles:
            return False
        return self.roles.index("unit") < self.roles.index("time")


@dataclass
class _Row:
    lines: list[int] = field(default_factory=list)
    number: str = ""
    content: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)


def _is_number_label(line: str) -> bool:
    """A line that is only the number column's label ("Stt", "TT"): where a flattened header starts."""
    return fold(line.strip()) in load_toml("table_profiles")["roles"]["number"]


def _is_label_start(line: str) -> bool:
    folded = fold(line)
    return any(folded == w or folded.startswith(w + " ") for w in _header_words())


def _read_header(lines: list[str], start: int) -> _Header | None:
    """Column labels from ``start`` ("Stt", "Nội dung", "Cơ quan" / "chủ trì" ...), or None."""
    if start + 1 >= len(lines):
        return None
    if not _is_number_label(lines[start]) or not fold(lines[start + 1]).startswith("nội dung"):
        return None
    labels: list[str] = []
    acronyms: list[str] = []
    i = start
    while i < len(lines) and i - start < 16:
        line = lines[i]
        if _ACRONYM.match(line) and not _SECTION.match(line) and labels:
            acronyms.append(line)
        elif line[:1].islower() and labels and not acronyms:
            labels[-1] = f"{labels[-1]} {line}"  # "Cơ quan" / "chủ trì" / "thực hiện"
        elif _is_label_start(line) and not acronyms:
            labels.append(line)
        else:
            break
        i += 1
    if len(labels) < 3:
        return None
    # Sub-column labels ("BTV", "BCH") split the column whose label names them.
    expanded: list[str] = []
    for label in labels:
        named = [a for a in acronyms if a in label]
        if len(named) >= 2:
            stem = label.split(named[0])[0].strip()
            expanded.extend(f"{stem} {a}" for a in named)
        else:
            expanded.append(label)
    roles = [_role(label) for label in expanded]
    if "content" not in roles or ("time" not in roles and "unit" not in roles):
        return None
    return _Header(labels=expanded, roles=roles, end=i)


def _period_cell(lines: list[str], i: int, ref_year: int | None) -> int:
    """How many lines from ``i`` make one period cell (0: not a period cell)."""
    if lines[i].rstrip().endswith("."):
        return 0  # a sentence ending a content cell ("2026 – 2030."), not a time cell
    size = 0
    for k in range(1, 4):
        if i + k > len(lines):
            break
        if k > 1:
            nxt = lines[i + k - 1]
            last_word = lines[i + k - 2].split()[-1].lower() if lines[i + k - 2].split() else ""
            continues = nxt[:1].islower() or last_word in _DANGLING or size == 0
            if not continues or dates.parse_date_expression(nxt, ref_year=ref_year) is not None:
                break
        joined = " ".join(lines[i : i + k])
        if dates.parse_date_expression(joined, ref_year=ref_year) is not None:
            size = k
        elif size:
            break
    return size


def _dangling(line: str) -> bool:
    """Whether a line stops on a word that needs what follows ("... ngày" / "31/8/2025")."""
    words = line.split()
    return bool(words) and words[-1].lower() in _DANGLING


def _is_unit_line(line: str) -> bool:
    return len(line) <= _UNIT_LINE_MAX and not _SECTION.match(line) and not _NUMBER.match(line)


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        text = join_wrapped(text, part) if text else part
    return text


def _read_rows(lines: list[str], header: _Header, ref_year: int | None) -> tuple[list[_Row], int]:
    """Rows from ``header.end`` on, and the index of the first line after the table."""
    rows: list[_Row] = []
    i = header.end
    n = len(lines)
    while i < n:
        line = lines[i]
        if _ends_table(line):
            break
        if _SECTION.match(line):
            row = _Row(lines=[i], number=line)
            i += 1
            if i < n:
                row.content.append(lines[i])
                row.lines.append(i)
                i += 1
            while i < n and lines[i][:1].islower():
                row.content.append(lines[i])
                row.lines.append(i)
                i += 1
            rows.append(row)
            continue
        if line[:1].islower() and rows and rows[-1].times:
            # A content cell split by a page break goes on after its row's other cells.
            rows[-1].content.append(line)
            rows[-1].lines.append(i)
            i += 1
            continue
        row = _Row()
        if _NUMBER.match(line):
            row.number = line.rstrip(".")
            row.lines.append(i)
            i += 1
        while i < n and len(row.content) <= _MAX_CONTENT_LINES:
            size = _period_cell(lines, i, ref_year) if row.content and not _dangling(row.content[-1]) else 0
            if size or _ends_table(lines[i]):
                break
            row.content.append(lines[i])
            row.lines.append(i)
            i += 1
        if i >= n or len(row.content) > _MAX_CONTENT_LINES or _ends_table(lines[i]):
            return rows, (row.lines[0] if row.lines else i)
        for part in ("unit", "time") if header.units_first else ("time", "unit"):
            i = (
                _read_units(lines, i, row, ref_year)
                if part == "unit"
                else _read_times(lines, i, row, header, ref_year)
            )
        rows.append(row)
    return rows, i


def _read_times(lines: list[str], i: int, row: _Row, header: _Header, ref_year: int | None) -> int:
    """The row's period cells from ``i``, one per time column; the index after them."""
    while i < len(lines) and len(row.times) < header.time_columns:
        size = _period_cell(lines, i, ref_year)
        if not size:
            break
        row.times.append(" ".join(lines[i : i + size]))
        row.lines.extend(range(i, i + size))
        i += size
    return i


def _read_units(lines: list[str], i: int, row: _Row, ref_year: int | None) -> int:
    """The short lines of the narrow unit column from ``i``; the index after them."""
    while i < len(lines) and _is_unit_line(lines[i]) and not _period_cell(lines, i, ref_year):
        row.units.append(lines[i])
        row.lines.append(i)
        i += 1
    return i


def _ends_table(line: str) -> bool:
    folded = fold(line)
    letters = [c for c in line if c.isalpha()]
    upper = len(letters) > 6 and all(c.isupper() for c in letters)
    return upper or folded.startswith(("nơi nhận", "t/m", "tm.", "kt.", "phụ lục"))


def _cells(row: _Row, header: _Header) -> list[str]:
    """The row's cells in header order; a lone period goes to the first time column."""
    times = iter(row.times)
    units_done = False
    cells: list[str] = []
    for role in header.roles:
        if role == "number":
            cells.append(row.number)
        elif role == "content":
            cells.append(_join(row.content))
        elif role == "time":
            cells.append(next(times, ""))
        elif role == "unit" and not units_done:
            cells.append(_join(row.units))
            units_done = True
        else:
            cells.append("")
    return cells


def _block(indices: list[int], blocks: list[Block], cells: list[str], table: int, row: int) -> Block:
    first, last = blocks[min(indices)].prov, blocks[max(indices)].prov
    prov = Provenance(
        source=first.source,
        page=first.page,
        line=first.line,
        table=table,
        row=row,
        start=first.start,
        end=last.end,
    )
    return Block(
        kind="table_row", text="\t".join(cells), cells=cells, prov=prov, role=blocks[min(indices)].role
    )


def rebuild_flat_tables(blocks: list[Block], *, ref_year: int | None = None) -> list[Block]:
    """Blocks with each flattened table (one cell fragment per line) rebuilt as table rows.

    Blocks outside such tables pass through unchanged; a document without one
    comes back as the same list.
    """
    if not any(b.kind == "paragraph" and len(b.text) < 12 and _is_number_label(b.text) for b in blocks):
        return blocks  # no "Stt" line alone: nothing flattened (most documents, cheaply)
    lines = [clean_line(b.text) if b.kind == "paragraph" and not b.marker else "" for b in blocks]
    table = max((b.prov.table or 0 for b in blocks), default=0)
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        header = _read_header(lines, i) if lines[i] else None
        if header is None:
            out.append(blocks[i])
            i += 1
            continue
        rows, end = _read_rows(lines, header, ref_year)
        table += 1
        out.append(_block(list(range(i, header.end)), blocks, header.labels, table, 1))
        for number, row in enumerate(rows, start=2):
            if row.number and _SECTION.match(row.number) and not row.times and not row.units:
                # A section row reads as the heading it is ("I. Lĩnh vực kinh tế").
                first = blocks[row.lines[0]]
                prov = first.prov.model_copy(update={"end": blocks[row.lines[-1]].prov.end})
                text = f"{row.number.rstrip('.')}. {_join(row.content)}"
                out.append(Block(kind="paragraph", text=text, prov=prov, role=first.role))
                continue
            out.append(_block(row.lines, blocks, _cells(row, header), table, number))
        i = max(end, header.end)
    return out
