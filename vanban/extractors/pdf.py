"""PDF text layer -> :class:`RawDocument` of physical lines and ruled-table rows.

Text and geometry come from pypdfium2 (fast C text layer). pdfplumber's table
finder runs only on pages whose vector paths form a grid, on the ruling lines
pypdfium2 already found (:mod:`vanban.extractors.ruled`), so pdfplumber never
opens the file; cell text is read back through pypdfium2 as well.

Page furniture is removed (running headers/footers repeated at the same place
on most pages, bare page numbers at the top or bottom), footnotes (a smaller
font at the page bottom starting with a note number) are moved after the body,
and table rows split by a page break are stitched back together.

Scanned pages (an image, no usable text layer) go through OCR
(:mod:`vanban.extractors.ocr`), which returns lines and ruled-table rows in the
same page frame, so the same furniture removal and stitching apply to them.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from vanban import budgets
from vanban.budgets import budget_message
from vanban.errors import BudgetError, ExtractionError
from vanban.extractors import ocr, ruled
from vanban.schemas.blocks import Block, BlockRole, Provenance, RawDocument

# A line that is nothing but a page number: "2", "- 3 -", "Trang 3", "Trang 3/10", "Page 3".
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$|^(?:trang|page)\s+\d{1,4}(?:\s*/\s*\d{1,4})?$", re.I
)
# A footnote starts with its number, not followed by "." or "/" (that would be a numbered item or a date).
_FOOTNOTE_START = re.compile(r"^\d{1,3}(?![\d./,:])")
_DIGITS = re.compile(r"\d+")
# pdfium joins a line ending in "-" to the next and marks the hyphen U+FFFE: split there too.
_SOFT_HYPHEN = "\ufffe"
_SEGMENT = re.compile(r"[^\r\n\ufffe]+\ufffe?")
_SPACE = re.compile(r"\s+")
# Control characters pdfium may leave in a text layer (soft-hyphen marker \x02, BOM/noncharacters).
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffe\uffff]")

_MARGIN_BAND = 0.12  # top/bottom share of the page height where furniture lives
_MIN_RULE_LENGTH = 8.0  # pt; shorter paths are glyph decorations, not table borders
_THIN = 3.0  # pt; a path thinner than this is a rule, not a box
_MIN_TEXT_CHARS = 20  # fewer non-space characters on an image page: no usable text layer

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_FILE: "file cannot be opened or read",
    pdfium_c.FPDF_ERR_FORMAT: "corrupt or not a PDF file (PDFium: data format error)",
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF (a password is required)",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF (unsupported security handler)",
    pdfium_c.FPDF_ERR_PAGE: "corrupt PDF (page tree cannot be read)",
}


@dataclass(slots=True)
class _Line:
    """One physical text line; y values are measured from the page top."""

    text: str
    index: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    confidence: float | None = None  # OCR confidence; None for a text layer


@dataclass(slots=True)
class _Row:
    cells: list[str]
    top: float
    bottom: float
    spanning: bool = False  # one merged cell across the row ("Tháng 01/2026")
    line: int | None = None
    confidence: float | None = None
    carried: list[bool] = field(default_factory=list)  # per cell: covered by a merged cell above


@dataclass(slots=True)
class _Table:
    rows: list[_Row]
    top: float
    bottom: float
    x0: float
    x1: float

    @property
    def ncols(self) -> int:
        return len(self.rows[0].cells) if self.rows else 0


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    lines: list[_Line]
    tables: list[_Table] = field(default_factory=list)
    ocr: bool = False  # read by OCR: line heights are no font sizes, so no footnote split


@dataclass(slots=True)
class _Item:
    """A block in the making: a paragraph line or a table row (cells mutable for stitching)."""

    page: int
    line: int | None
    text: str = ""
    cells: list[str] | None = None
    table: int | None = None
    row: int | None = None
    role: BlockRole = "body"
    confidence: float | None = None
    carried: list[bool] = field(default_factory=list)


@dataclass(slots=True)
class _OpenTable:
    """Stitching state of the document table the current page may continue."""

    index: int
    ncols: int
    header: list[str]
    rows: int = 0
    last: _Item | None = None


def extract(path: Path, *, source: str | None = None, max_pages: int | None = None) -> RawDocument:
    """Extract a born-digital PDF into ordered line and table-row blocks.

    Raises :class:`ExtractionError` for unreadable, encrypted or non-PDF files
    and :class:`ResourceLimitError` when the file has more than ``max_pages``.
    Pages without a usable text layer (an image and almost no text) are OCRed
    with Tesseract (:mod:`vanban.extractors.ocr`); a PDF that already carries an
    OCR text layer is read as it is. When Tesseract or its Vietnamese data is
    missing, such pages yield no blocks and a warning naming the packages.
    """
    src = source if source is not None else str(path)
    doc = _open(Path(path), src)
    try:
        npages = len(doc)
        limit = max_pages if max_pages is not None else budgets.active().max_pages
        if npages > limit:
            raise BudgetError(src, budget_message("max_pages", f"{npages:,} pages", f"{limit:,}"))
        budgets.report_pages(npages)  # the sandbox's time limit grows with the pages
        warnings: list[str] = []
        pages: list[_Page] = []
        unread: list[int] = []  # scanned pages left unread: OCR is not installed
        for number in range(1, npages + 1):
            page_obj = doc[number - 1]
            # One text page serves the line reading and the table cells of the page.
            textpage = page_obj.get_textpage()
            try:
                page, needs_tables, edges, scanned = _read_page(page_obj, textpage, number)
                if scanned:
                    page = _ocr_page(page_obj, page, warnings, unread)
                elif needs_tables and _grid_too_large(edges, number, warnings):
                    pass  # kept as text lines
                elif needs_tables:
                    try:
                        page.tables = _find_tables(edges, page_obj, textpage)
                    except Exception as err:  # the finder's geometry asserts on degenerate grids
                        warnings.append(f"page {number}: table detection failed ({err}); kept as text lines")
            finally:
                textpage.close()
                page_obj.close()
            pages.append(page)
    except pdfium.PdfiumError as err:
        raise ExtractionError(src, f"corrupt PDF ({err})") from err
    finally:
        doc.close()
    if unread:
        warnings.append(f"{ocr.OCR_UNAVAILABLE} (no text layer on {_page_list(unread)})")
    return _assemble(src, pages, warnings)


def _page_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}-{numbers[-1]}"
    return "pages " + ", ".join(map(str, numbers))


def _open(path: Path, src: str) -> pdfium.PdfDocument:
    """Open with pdfium, turning its load errors into specific ExtractionErrors."""
    if not path.is_file():
        raise ExtractionError(src, "file not found")
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as err:
        raise ExtractionError(src, f"cannot read file ({err.strerror})") from err
    if b"%PDF" not in head:
        raise ExtractionError(src, "not a PDF file (no %PDF header)")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        reason = _LOAD_ERRORS.get(err.err_code, f"corrupt PDF ({err})")
        raise ExtractionError(src, reason) from err


# --------------------------------------------------------------------------- page reading


def _read_page(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int
) -> tuple[_Page, bool, list[dict], bool]:
    """Lines of one page, whether it holds a ruled grid, its ruling edges, and whether it is scanned.

    A page is scanned when it shows an image and its text layer has fewer than
    ``_MIN_TEXT_CHARS`` characters (nothing, or a stray page number).
    """
    top_y = page.get_bbox()[3]
    height = page.get_height()
    lines = _in_reading_order(_read_lines(textpage, top_y))
    kinds, edges = _page_objects(page, top_y)
    chars = sum(len(line.text.replace(" ", "")) for line in lines)
    scanned = chars < _MIN_TEXT_CHARS and bool(kinds.get(pdfium_c.FPDF_PAGEOBJ_IMAGE))
    horizontal = sum(1 for e in edges if e["orientation"] == "h")
    vertical = len(edges) - horizontal
    needs_tables = bool(lines) and horizontal >= 2 and vertical >= 2
    return _Page(number, height, lines), needs_tables, edges, scanned


def _ocr_page(page_obj: pdfium.PdfPage, page: _Page, warnings: list[str], unread: list[int]) -> _Page:
    """The page read by OCR, or left as it is (with the reason recorded) when OCR cannot run."""
    if ocr.unavailable_reason() is not None:
        unread.append(page.number)
        return page
    width, height = page_obj.get_size()
    limit = budgets.active().ocr_pixels
    dpi = ocr.dpi_within(width, height, limit)
    if dpi < ocr.DPI:
        full = width * height * (ocr.DPI / 72) ** 2
        warnings.append(
            f"page {page.number}: "
            + budget_message("ocr_pixels", f"{width / 72:.0f}×{height / 72:.0f} in page at {ocr.DPI} dpi "
                             f"({full / 1e6:,.0f} Mpx)", f"{limit / 1e6:g} Mpx")
            + f"; read at {dpi} dpi"
        )  # fmt: skip
    try:
        found = ocr.ocr_page(page_obj, dpi=dpi)
    except ocr.OcrError as err:
        warnings.append(f"page {page.number}: {err}")
        return page
    return _from_ocr(page.number, page.height, found)


def _from_ocr(number: int, height: float, found: ocr.OcrPage) -> _Page:
    """OCR lines and tables as a page; lines and rows numbered together from the top."""
    lines = [
        _Line(_clean(ln.text), 0, ln.top, ln.bottom, ln.x0, ln.x1, ln.bottom - ln.top, ln.confidence)
        for ln in found.lines
    ]
    tables = [
        _Table(
            [
                _Row([_clean(c) for c in r.cells], r.top, r.bottom, r.spanning, None, r.confidence)
                for r in t.rows
            ],
            t.top,
            t.bottom,
            t.x0,
            t.x1,
        )
        for t in found.tables
    ]
    ordered: list[_Line | _Row] = [*lines, *(row for table in tables for row in table.rows)]
    ordered.sort(key=lambda item: item.top)
    for index, item in enumerate(ordered, 1):
        if isinstance(item, _Line):
            item.index = index
        else:
            item.line = index
    return _Page(number, height, [ln for ln in lines if ln.text], tables, ocr=True)


def _read_lines(textpage: pdfium.PdfTextPage, top_y: float) -> list[_Line]:
    """Physical lines in content order: pdfium's line segments, re-joined when on one baseline.

    pdfium breaks a line where the baseline jumps (a superscript note mark),
    so segments that continue to the right at an overlapping height are merged.
    """
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # defensive: char indices must line up with string positions
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
    lines: list[_Line] = []
    for match in _SEGMENT.finditer(text):
        seg = match.group()
        stripped = seg.strip().replace(_SOFT_HYPHEN, "-")
        if not stripped:
            continue
        first = match.start() + (len(seg) - len(seg.lstrip()))
        last = match.start() + len(seg.rstrip()) - 1
        l0, b0, r0, t0 = textpage.get_charbox(first, loose=True)
        l1, b1, r1, t1 = textpage.get_charbox(last, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first)
        top, bottom = top_y - max(t0, t1), top_y - min(b0, b1)
        x0, x1 = min(l0, l1), max(r0, r1)
        prev = lines[-1] if lines else None
        if prev is not None and _same_line(prev, top, bottom, x0):
            gap = " " if x0 - prev.x1 > 0.25 * max(size, prev.size, 1.0) else ""
            prev.text = f"{prev.text}{gap}{stripped}"
            prev.top, prev.bottom = min(prev.top, top), max(prev.bottom, bottom)
            prev.x1 = max(prev.x1, x1)
            prev.size = max(prev.size, size)
        else:
            lines.append(_Line(stripped, len(lines) + 1, top, bottom, x0, x1, size))
    for line in lines:
        line.text = _clean(line.text)
    return [line for line in lines if line.text]


def _in_reading_order(lines: list[_Line]) -> list[_Line]:
    """Lines drawn after the body but placed above it come first.

    Word puts the two-column header (issuer and ``Số:`` | motto, place and date)
    in a floating frame that LibreOffice writes after the page's text, so the
    content stream reads the title and the first sections before the header
    (corpus luongminh plans converted to PDF). Lines that sit wholly above the
    first streamed line are moved in front of it, in their own order; the page's
    lines are numbered again in the new order.
    """
    if len(lines) < 2:
        return lines
    first_top = lines[0].top
    above = [line for line in lines[1:] if line.bottom <= first_top]
    if not above:
        return lines
    rest = [line for line in lines if line.bottom > first_top or line is lines[0]]
    ordered = above + rest
    for number, line in enumerate(ordered, start=1):
        line.index = number
    return ordered


def _same_line(prev: _Line, top: float, bottom: float, x0: float) -> bool:
    """True when a segment starting at ``x0`` continues ``prev`` on the same visual line."""
    if x0 < prev.x1 - 2.0:
        return False
    overlap = min(prev.bottom, bottom) - max(prev.top, top)
    smaller = min(prev.bottom - prev.top, bottom - top)
    return smaller > 0 and overlap >= 0.5 * smaller


def _clean(text: str) -> str:
    """NFC, no control characters, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", _JUNK.sub("", text))).strip()


def _page_objects(page: pdfium.PdfPage, top_y: float) -> tuple[Counter[int], list[dict]]:
    """Count top-level page object types and turn path objects into ruling edges.

    Edges use pdfplumber's dict shape and a top-down y, so they can be passed
    to its table finder as explicit lines.
    """
    kinds: Counter[int] = Counter()
    edges: list[dict] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        kinds[kind] += 1
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        edges.extend(_path_edges(left.value, top_y - top.value, right.value, top_y - bottom.value))
    return kinds, edges


def _path_edges(x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    """A thin path is one rule; a larger box contributes its four sides."""
    width, height = x1 - x0, bottom - top
    if height < _THIN and width >= _MIN_RULE_LENGTH:
        return [_edge("h", x0, x1, (top + bottom) / 2, (top + bottom) / 2)]
    if width < _THIN and height >= _MIN_RULE_LENGTH:
        return [_edge("v", (x0 + x1) / 2, (x0 + x1) / 2, top, bottom)]
    if width >= _MIN_RULE_LENGTH and height >= _MIN_RULE_LENGTH:
        return [
            _edge("h", x0, x1, top, top),
            _edge("h", x0, x1, bottom, bottom),
            _edge("v", x0, x0, top, bottom),
            _edge("v", x1, x1, top, bottom),
        ]
    return []


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {
        "object_type": "rect_edge",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


# --------------------------------------------------------------------------- tables


def _grid_too_large(edges: list[dict], number: int, warnings: list[str]) -> bool:
    """Whether the ruling lines form more cells than the budget (a page ruled 600×600 stalls the finder)."""
    rows = len({round(e["top"]) for e in edges if e["orientation"] == "h"})
    cols = len({round(e["x0"]) for e in edges if e["orientation"] == "v"})
    cells = max(0, rows - 1) * max(0, cols - 1)
    limit = budgets.active().max_table_cells
    if cells <= limit:
        return False
    warnings.append(
        f"page {number}: "
        + budget_message(
            "max_table_cells", f"a ruled grid of {rows}×{cols} lines ({cells:,} cells)", f"{limit:,}"
        )
        + "; kept as text lines"
    )
    return True


def _find_tables(edges: list[dict], page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[_Table]:
    """Ruled tables via pdfplumber's finder on our edges; cell text via pdfium."""
    found = ruled.find_tables(edges)
    top_y = page.get_bbox()[3]
    tables: list[_Table] = []
    for table in found:
        rows: list[_Row] = []
        bottoms: dict[int, float] = {}  # per column, the bottom of the last cell drawn in it
        for row in table.rows:
            cells = [_cell_text(textpage, top_y, cell) for cell in row.cells]
            carried = [
                cell is None and bottoms.get(i, 0.0) > row.bbox[1] + 1 for i, cell in enumerate(row.cells)
            ]
            for i, cell in enumerate(row.cells):
                if cell is not None:
                    bottoms[i] = cell[3]
            if any(cells):
                spanning = None in row.cells and sum(1 for c in cells if c) == 1
                rows.append(_Row(cells, row.bbox[1], row.bbox[3], spanning, carried=carried))
        # A single boxed cell is a frame around text, not a table.
        if rows and (len(rows) > 1 or len(rows[0].cells) > 1):
            x0, top, x1, bottom = table.bbox
            tables.append(_Table(rows, top, bottom, x0, x1))
    tables.sort(key=lambda t: t.top)
    return tables


def _cell_text(textpage: pdfium.PdfTextPage, top_y: float, cell: tuple | None) -> str:
    """Text inside a cell box, its lines joined by a space (or nothing after a hyphen)."""
    if cell is None:  # covered by a merged neighbour
        return ""
    x0, top, x1, bottom = cell
    raw = textpage.get_text_bounded(left=x0, bottom=top_y - bottom, right=x1, top=top_y - top)
    # The bounded-text API marks the same line-end hyphen as \x02 instead.
    raw = raw.replace("\x02", "-").replace(_SOFT_HYPHEN, "-\n")
    return join_wrapped([_clean(part) for part in raw.splitlines()])


_PART_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{1,3}$")


def join_wrapped(parts: list[str]) -> str:
    """Join wrapped lines: "66-" + "NQ/TW" -> "66-NQ/TW", otherwise with a space."""
    out = ""
    for part in parts:
        if not part:
            continue
        if (out.endswith("-") and len(out) > 1 and not out[-2].isspace()) or (
            part[0].isdigit() and _PART_DATE.search(out)
        ):
            out += part  # "66-" + "NQ/TW"; a year cut in a narrow cell: "25/12/202" + "6"
        else:
            out = f"{out} {part}" if out else part
    return out


def _assign_lines_to_tables(page: _Page) -> None:
    """Drop text lines inside table boxes; give each row the line number it starts at."""
    if not page.tables:
        return
    kept: list[_Line] = []
    for line in page.lines:
        mid = (line.top + line.bottom) / 2
        midx = (line.x0 + line.x1) / 2
        owner = next(
            (t for t in page.tables if t.top <= mid <= t.bottom and t.x0 - 2 <= midx <= t.x1 + 2), None
        )
        if owner is None:
            kept.append(line)
            continue
        for row in owner.rows:
            if row.top <= mid <= row.bottom and row.line is None:
                row.line = line.index
    page.lines = kept


# --------------------------------------------------------------------------- furniture & footnotes


def _furniture(pages: list[_Page]) -> set[tuple[int, int]]:
    """(page, line index) of running headers/footers and bare page numbers."""
    drop: set[tuple[int, int]] = set()
    counts: Counter[tuple[str, int]] = Counter()
    banded: list[tuple[int, _Line, tuple[str, int]]] = []
    for page in pages:
        band = _MARGIN_BAND * page.height
        seen: set[tuple[str, int]] = set()
        for line in page.lines:
            if line.top > band and line.bottom < page.height - band:
                continue
            key = (_DIGITS.sub("#", line.text), round(line.top / 4))
            banded.append((page.number, line, key))
            if key not in seen:
                seen.add(key)
                counts[key] += 1
        edge_lines = _edge_lines(page)
        for line in edge_lines:
            in_band = line.top <= band or line.bottom >= page.height - band
            if in_band and _PAGE_NUMBER.match(line.text):
                drop.add((page.number, line.index))
    # Repeated on most pages; a 2-page document cannot tell a header from content.
    needed = max(3, math.ceil(0.5 * len(pages)))
    for number, line, key in banded:
        if counts[key] >= needed:
            drop.add((number, line.index))
    return drop


def _edge_lines(page: _Page) -> list[_Line]:
    """The top-most and bottom-most text lines of a page (page numbers live there)."""
    if not page.lines:
        return []
    first = min(page.lines, key=lambda ln: ln.top)
    last = max(page.lines, key=lambda ln: ln.bottom)
    return [first, last] if first is not last else [first]


def _body_size(pages: list[_Page]) -> float:
    """The dominant font size, weighted by text length."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _split_footnotes(lines: list[_Line], body_size: float) -> tuple[list[_Line], list[_Line]]:
    """Split off the small-font run at the page bottom when it starts with a note number."""
    if not lines or body_size <= 0:
        return lines, []
    small = body_size * 0.92
    by_y = sorted(lines, key=lambda ln: ln.top)
    start = len(by_y)
    while start > 0 and by_y[start - 1].size < small:
        start -= 1
    zone = by_y[start:]
    # The zone's first line must be a note ("1 như: ..."), not e.g. a recipient list.
    while zone and not _FOOTNOTE_START.match(zone[0].text):
        zone = zone[1:]
    if not zone:
        return lines, []
    notes = {id(line) for line in zone}
    return [ln for ln in lines if id(ln) not in notes], zone


# --------------------------------------------------------------------------- assembly


def _page_items(page: _Page, drop: set[tuple[int, int]], body_size: float) -> tuple[list, list[_Line]]:
    """Body items of a page in reading order (lines and tables by y) plus its footnote lines."""
    lines = [ln for ln in page.lines if (page.number, ln.index) not in drop]
    body, notes = (lines, []) if page.ocr else _split_footnotes(lines, body_size)
    items: list[_Line | _Table] = list(body)
    for table in page.tables:
        at = next((i for i, it in enumerate(items) if isinstance(it, _Line) and it.top >= table.top), None)
        if at is None:
            items.append(table)
        else:
            items.insert(at, table)
    return items, notes


def _assemble(src: str, pages: list[_Page], warnings: list[str]) -> RawDocument:
    """Turn pages into blocks: furniture dropped, tables stitched, footnotes last."""
    for page in pages:
        _assign_lines_to_tables(page)
    drop = _furniture(pages)
    body_size = _body_size(pages)
    per_page = [_page_items(page, drop, body_size) for page in pages]
    top_tables = [items[0].top for items, _ in per_page if items and isinstance(items[0], _Table)]
    first_table_top = min(top_tables, default=0.0)
    tolerance = max(0.5 * body_size, 3.0)

    out: list[_Item] = []
    notes_out: list[_Item] = []
    table_count = 0
    open_table: _OpenTable | None = None  # the table the previous page ended with
    for page, (items, notes) in zip(pages, per_page, strict=True):
        for pos, item in enumerate(items):
            if isinstance(item, _Line):
                out.append(_Item(page.number, item.index, text=item.text, confidence=item.confidence))
                continue
            continues = (
                pos == 0
                and open_table is not None
                and open_table.ncols == item.ncols
                and item.top <= first_table_top + tolerance
                and not _starts_new_table(item, open_table.header)
            )
            if continues and open_table is not None:
                _continue_table(item, open_table, out, page.number)
            else:
                table_count += 1
                open_table = _OpenTable(table_count, item.ncols, item.rows[0].cells)
                _append_rows(item.rows, open_table, out, page.number)
        if not items or not isinstance(items[-1], _Table):
            open_table = None
        notes_out.extend(_Item(page.number, ln.index, text=ln.text, role="footnote") for ln in notes)
    return _to_document(src, out + notes_out, len(pages), warnings)


def _continue_table(table: _Table, state: _OpenTable, out: list[_Item], page_no: int) -> None:
    """Append a table continued from the previous page: no repeated header, split row joined."""
    rows = list(table.rows)
    if rows and _norm_cells(rows[0].cells) == _norm_cells(state.header):
        rows = rows[1:]
    if rows and _numbers_columns(rows[0].cells):
        rows = rows[1:]  # the "(1) (2) (3)" row repeated under the header
    last = state.last
    if rows and last is not None and last.cells and _is_split_row(rows[0].cells, last.cells):
        last.cells = [join_wrapped([a, b]) for a, b in zip(last.cells, rows[0].cells, strict=True)]
        if last.confidence is not None and rows[0].confidence is not None:
            last.confidence = round((last.confidence + rows[0].confidence) / 2, 1)
        last.text = "\t".join(last.cells)
        rows = rows[1:]
    _append_rows(rows, state, out, page_no)


def _starts_new_table(table: _Table, header: list[str]) -> bool:
    """A header row followed by a merged section row ("Tháng 10/2026") opens a new table.

    A header repeated by a page break is followed by data rows, so this is how a
    table that merely begins on a new page is told apart from a continuation.
    """
    rows = table.rows
    return len(rows) > 1 and _norm_cells(rows[0].cells) == _norm_cells(header) and rows[1].spanning


def _numbers_columns(cells: list[str]) -> bool:
    """A row that only numbers the columns: ``(1) | (2) | (3)``."""
    filled = [c.strip() for c in cells if c.strip()]
    return len(filled) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in filled)


def _is_split_row(cells: list[str], previous: list[str]) -> bool:
    """A row with an empty first (number) cell under a numbered row is its continuation."""
    return len(cells) > 1 and not cells[0] and bool(previous[0]) and any(cells[1:])


def _append_rows(rows: list[_Row], state: _OpenTable, out: list[_Item], page_no: int) -> None:
    for row in rows:
        state.rows += 1
        item = _Item(
            page_no,
            row.line,
            text="\t".join(row.cells),
            cells=list(row.cells),
            table=state.index,
            row=state.rows,
            confidence=row.confidence,
            carried=list(row.carried),
        )
        out.append(item)
        state.last = item


def _norm_cells(cells: list[str]) -> list[str]:
    return [_SPACE.sub("", c).casefold() for c in cells]


def _to_document(src: str, items: list[_Item], npages: int, warnings: list[str]) -> RawDocument:
    """Build blocks with character spans into the joined text."""
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    for item in items:
        start, end = offset, offset + len(item.text)
        prov = Provenance(
            source=src, page=item.page, line=item.line, table=item.table, row=item.row, start=start, end=end
        )
        if item.cells is not None:
            blocks.append(
                Block(
                    kind="table_row",
                    text=item.text,
                    cells=item.cells,
                    carried=item.carried,
                    prov=prov,
                    confidence=item.confidence,
                )
            )
        else:
            blocks.append(
                Block(kind="paragraph", text=item.text, role=item.role, prov=prov, confidence=item.confidence)
            )
        parts.append(item.text)
        offset = end + 1
    return RawDocument(
        source=src,
        format="pdf",
        blocks=blocks,
        text="\n".join(parts),
        pages=npages,
        hard_wrapped=True,
        warnings=warnings,
    )
