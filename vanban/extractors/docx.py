"""DOCX extractor: the Word body in reading order, tables interleaved, as blocks.

python-docx opens the package, but the body is walked at the XML level because
python-docx's high-level API loses exactly what this project needs:

* automatic numbering and bullets: the ``-`` or ``1.`` a reader sees is not in
  the paragraph text but in ``numbering.xml``; it is rebuilt into
  :attr:`Block.marker` (bullets always become ``"-"``, whatever the glyph);
* merged cells: ``row.cells`` repeats a merged cell once per grid column, so
  rows are read from their ``w:tc`` elements and laid out on the table grid
  (a ``gridSpan`` cell fills its first column, the columns it covers are ``""``,
  a ``vMerge`` continuation is ``""``);
* layout tables: the borderless two-column header (issuer and ``Số:`` left,
  motto, place and date right) and the closing signature table are not data;
  their cell paragraphs become paragraph blocks, the header's with
  ``role="header_table"``;
* footnotes: the reference mark is dropped from the body and each footnote is
  emitted after the body with ``role="footnote"`` and its number as marker;
* legacy fonts: a run typed in a TCVN3 (``.VnTime``, ``.VnTimeH``) or VNI
  (``VNI-Times``) font holds cp1252 characters that only that font draws as
  Vietnamese; it is converted run by run from its ``w:rFonts`` (else its
  paragraph style's, else the document default), see
  :mod:`vanban.extractors.legacy`.

``Provenance.line`` is the 1-based index of the paragraph among all ``w:p`` of
the body in document order (table cell paragraphs included); ``page`` counts
rendered and explicit page breaks seen so far (1 when the file records none).
Word writes a ``w:lastRenderedPageBreak`` at the top of every page it laid
out, also of a page that an explicit break (``w:br w:type="page"``,
``w:pageBreakBefore``, a section break) started: such a marker, before any text
of the new page, is the same page boundary and is not counted twice.
A soft line break inside a paragraph stays a ``"\\n"`` inside the block text.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vanban import budgets
from vanban.budgets import budget_message
from vanban.errors import BudgetError, ExtractionError, ResourceLimitError
from vanban.extractors.legacy import convert_run
from vanban.schemas.blocks import Block, BlockKind, BlockRole, Provenance, RawDocument

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_VAL = _w("val")
# Tags of the run-level walk, built once (the walk visits every node of every paragraph).
_T, _RPR, _TYPE = _w("t"), _w("rPr"), _w("type")
_TABS = frozenset({_w("tab"), _w("ptab")})
_BREAKS = frozenset({_w("br"), _w("cr")})
_RENDERED_BREAK, _NB_HYPHEN = _w("lastRenderedPageBreak"), _w("noBreakHyphen")
_NOTE_REFS = frozenset({_w("footnoteReference"), _w("endnoteReference")})
_RFONTS, _ASCII, _HANSI = _w("rFonts"), _w("ascii"), _w("hAnsi")
_PSTYLE_PATH = f"{_w('pPr')}/{_w('pStyle')}"
# Subtrees whose text a reader does not see (deleted runs, property blocks,
# field instructions) or sees elsewhere (text boxes, the mc:Fallback copy).
_SKIP = frozenset(
    {
        _w("del"),
        _w("moveFrom"),
        _w("pPr"),
        _w("rPr"),
        _w("instrText"),
        _w("delText"),
        _w("txbxContent"),
        f"{{{_MC}}}Fallback",
    }
)
_NO_BORDER = frozenset({"nil", "none"})
# Words that only the national-motto / issuer header table carries.
_HEADER_MARKERS = re.compile(
    r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA|ĐẢNG CỘNG SẢN VIỆT NAM|^Số\b", re.M
)
_HEADING_STYLE = re.compile(r"^(heading \d|title|subtitle)$", re.I)
_HEADING_LEVEL = re.compile(r"(\d)$")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
_ROMAN += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def extract(path: Path, *, source: str | None = None) -> RawDocument:
    """Read a DOCX file into ordered blocks (paragraphs, list items, table rows, footnotes)."""
    source = source or str(path)
    _check_zip(path, source)
    document = _open(path, source)
    try:
        walker = _Walker(
            source=source,
            styles=_StyleSheet(_related_xml(document.part, "styles")),
            numbering=_Numbering(_related_xml(document.part, "numbering")),
        )
        body = document.element.body
        _check_paragraphs(body, source)
        walker.walk_body(body)
        notes = _notes(document.part, walker.note_refs)
    except ExtractionError:
        raise
    except Exception as err:  # malformed XML inside an otherwise valid package
        raise ExtractionError(source, f"malformed DOCX content: {err}") from err
    pending = walker.blocks + [_note_block(number, text, walker.page) for number, text in notes]
    encoding = "+".join(sorted(walker.legacy)) or None
    raw = _assemble(source, pending, pages=walker.page if walker.saw_page_break else None, encoding=encoding)
    raw.warnings.extend(walker.warnings)
    return raw


def _check_paragraphs(body: Any, source: str) -> None:
    """Refuse a body with more paragraphs than the budget before walking it (the walk is the slow part)."""
    limit = budgets.active().max_paragraphs
    count = sum(1 for _ in body.iter(_P))
    if count > limit:
        raise BudgetError(source, budget_message("max_paragraphs", f"{count:,} paragraphs", f"{limit:,}"))


# -- package ---------------------------------------------------------------


def _check_zip(path: Path, source: str) -> None:
    """Refuse non-ZIP files and zip bombs before python-docx inflates anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ExtractionError(source, f"not a DOCX (ZIP) file or damaged container: {err}") from err
    # XML is what python-docx parses into memory (about 10x its size): its own budget.
    xml = sum(info.file_size for info in infos if info.filename.lower().endswith((".xml", ".rels")))
    limit = budgets.active().max_xml_mb
    if xml > limit * 2**20:
        raise BudgetError(
            source, budget_message("max_xml_mb", f"XML inflating to {xml / 2**20:.1f} MB", f"{limit} MB")
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ResourceLimitError(
            source,
            f"DOCX inflates to {total / 2**20:.1f} MiB, over the {MAX_UNCOMPRESSED_BYTES / 2**20:.0f} MiB limit",
        )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ExtractionError(source, "ZIP file without word/document.xml (not a Word document)")


def _open(path: Path, source: str) -> Any:
    """Open the package with python-docx, turning its errors into ExtractionError."""
    import docx  # deferred: python-docx pulls in lxml at import time

    try:
        return docx.Document(str(path))
    except Exception as err:
        raise ExtractionError(source, f"cannot open DOCX: {type(err).__name__}: {err}") from err


def _related_xml(part: Any, kind: str) -> Any | None:
    """The parsed XML of the part related to ``part`` by a relationship ending in ``/kind``."""
    from docx.oxml import parse_xml

    for rel in part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/" + kind):
            continue
        target = rel.target_part
        element = getattr(target, "element", None)
        return element if element is not None else parse_xml(target.blob)
    return None


# -- styles and numbering --------------------------------------------------


class _StyleSheet:
    """Paragraph/table style lookups that follow ``basedOn`` chains."""

    def __init__(self, root: Any | None) -> None:
        self._by_id: dict[str, Any] = {}
        self._default_para: str | None = None
        self._default_font: str | None = None
        if root is None:
            return
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self._default_font = _font_of(defaults)
        for style in root.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            if style_id:
                self._by_id[style_id] = style
                if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true"):
                    self._default_para = style_id

    def chain(self, style_id: str | None) -> Iterator[Any]:
        """The style and its ancestors, nearest first (cycle-safe)."""
        seen: set[str] = set()
        current = style_id or self._default_para
        while current and current not in seen and current in self._by_id:
            seen.add(current)
            style = self._by_id[current]
            yield style
            based = style.find(_w("basedOn"))
            current = based.get(_VAL) if based is not None else None

    def heading_level(self, style_id: str | None) -> int | None:
        """Heading level (Title/Subtitle 0, Heading N -> N) or None for body styles."""
        for style in self.chain(style_id):
            name = style.find(_w("name"))
            text = name.get(_VAL, "") if name is not None else ""
            if _HEADING_STYLE.match(text):
                digit = _HEADING_LEVEL.search(text)
                return int(digit.group(1)) if digit else 0
        return None

    def font(self, style_id: str | None) -> str | None:
        """The Latin font a paragraph style chain sets, else the document default."""
        for style in self.chain(style_id):
            font = _font_of(style.find(_w("rPr")))
            if font:
                return font
        return self._default_font

    def num_pr(self, style_id: str | None) -> Any | None:
        """The nearest ``w:numPr`` defined by the style chain."""
        for style in self.chain(style_id):
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is not None:
                return num_pr
        return None

    def table_borders(self, style_id: str | None) -> Any | None:
        """The nearest ``w:tblBorders`` defined by a table style chain."""
        for style in self.chain(style_id):
            borders = style.find(f"{_w('tblPr')}/{_w('tblBorders')}")
            if borders is not None:
                return borders
        return None


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


class _Numbering:
    """numbering.xml: numId -> abstractNum levels, with start overrides."""

    def __init__(self, root: Any | None) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iter(_w("abstractNum")):
            abstract[node.get(_w("abstractNumId"), "")] = {
                int(lvl.get(_w("ilvl"), "0")): _parse_level(lvl) for lvl in node.iter(_w("lvl"))
            }
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            levels = dict(abstract.get(ref.get(_VAL, "") if ref is not None else "", {}))
            for override in num.iter(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _parse_level(lvl)
                start = override.find(_w("startOverride"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(old.fmt, old.text, int(start.get(_VAL, "1")))
            self._levels[num.get(_w("numId"), "")] = levels

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        return self._levels.get(num_id, {}).get(ilvl)

    def levels(self, num_id: str) -> dict[int, _Level]:
        return self._levels.get(num_id, {})


def _parse_level(lvl: Any) -> _Level:
    fmt = lvl.find(_w("numFmt"))
    text = lvl.find(_w("lvlText"))
    start = lvl.find(_w("start"))
    return _Level(
        fmt=fmt.get(_VAL, "decimal") if fmt is not None else "decimal",
        text=text.get(_VAL, "") if text is not None else "",
        start=int(start.get(_VAL, "1")) if start is not None else 1,
    )


def _format_number(value: int, fmt: str) -> str:
    """Render a list counter in a Word numFmt (unknown formats fall back to decimal)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", value
        for amount, numeral in _ROMAN:
            while rest >= amount:
                out, rest = out + numeral, rest - amount
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


# -- body walk -------------------------------------------------------------


@dataclass
class _Pending:
    """A block before its span in the document text is known."""

    kind: BlockKind
    text: str
    page: int
    line: int | None
    marker: str | None = None
    level: int = 0
    role: BlockRole = "body"
    cells: list[str] = field(default_factory=list)
    carried: list[bool] = field(default_factory=list)
    table: int | None = None
    row: int | None = None

    @property
    def display(self) -> str:
        return f"{self.marker} {self.text}" if self.marker else self.text


@dataclass
class _Walker:
    """Walks ``w:body`` once, keeping list counters, page and paragraph counts."""

    source: str
    styles: _StyleSheet
    numbering: _Numbering
    blocks: list[_Pending] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    page: int = 1
    saw_page_break: bool = False
    explicit_break: bool = False  # an explicit page break with no text after it yet
    para_index: int = 0
    table_index: int = 0
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    legacy: set[str] = field(default_factory=set)  # legacy encodings of converted runs
    warnings: list[str] = field(default_factory=list)  # budget hits: the document is partial

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def walk_body(self, body: Any) -> None:
        for child in _content_children(body):
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                self._table(child)

    # paragraphs

    def _paragraph(self, p: Any, role: BlockRole = "body") -> None:
        self.para_index += 1
        text, page_breaks_before, page_breaks_after = self._text(p)
        self._add_breaks(page_breaks_before)
        text = _clean(text)
        style_id = _style_id(p)
        marker, ilvl = self._marker(p, style_id)
        if text:
            heading = self.styles.heading_level(style_id)
            if role == "header_table":
                kind: BlockKind = "paragraph"
            elif heading is not None:
                kind = "heading"
            else:
                kind = "list_item" if ilvl is not None else "paragraph"
            level = heading if kind == "heading" and heading is not None else (ilvl or 0)
            self.blocks.append(
                _Pending(kind, text, self.page, self.para_index, marker=marker, level=level, role=role)
            )
        self._add_breaks(page_breaks_after)
        if p.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
            self._add_breaks(1)  # a section break inside a paragraph starts a new page (usually)
            self.explicit_break = True

    def _add_breaks(self, count: int) -> None:
        if count:
            self.page += count
            self.saw_page_break = True

    def _text(self, p: Any) -> tuple[str, int, int]:
        """Visible text of a paragraph plus page breaks before and after its first character."""
        parts: list[str] = []
        breaks = [0, 0]
        para_font: list[str | None] = []  # resolved on the first run without its own font
        page_break_before = p.find(f"{_w('pPr')}/{_w('pageBreakBefore')}")
        if page_break_before is not None and page_break_before.get(_VAL, "1") not in ("0", "false"):
            breaks[0] += 1
            self.explicit_break = True
        for node in _visible_nodes(p):
            tag = node.tag
            if tag == _T:
                parts.append(self._run_text(node, p, para_font))
                if self.explicit_break and parts[-1].strip():
                    self.explicit_break = False  # text of the new page: a later marker is a new page
            elif tag in _TABS:
                parts.append("\t")
            elif tag in _BREAKS:
                if node.get(_TYPE) == "page":
                    breaks[bool("".join(parts).strip())] += 1
                    self.explicit_break = True
                elif node.get(_TYPE) != "column":
                    parts.append("\n")
            elif tag == _RENDERED_BREAK:
                if self.explicit_break:
                    self.explicit_break = False  # Word marks the page the explicit break started
                else:
                    breaks[bool("".join(parts).strip())] += 1
            elif tag == _NB_HYPHEN:
                parts.append("-")
            elif tag in _NOTE_REFS:
                self.note_refs.append(f"{tag.split('}')[1][:-9]}:{node.get(_w('id'))}")
        return "".join(parts), breaks[0], breaks[1]

    def _run_text(self, t: Any, p: Any, para_font: list[str | None]) -> str:
        """A ``w:t``'s text, converted to Unicode when its run uses a legacy font."""
        text = t.text or ""
        run = t.getparent()
        font = _font_of(run.find(_RPR)) if run is not None else None
        if font is None:
            if not para_font:
                para_font.append(self.styles.font(_style_id(p)))
            font = para_font[0]
        converted, encoding = convert_run(text, font)
        if encoding:
            self.legacy.add(encoding)
        return converted

    def _marker(self, p: Any, style_id: str | None) -> tuple[str | None, int | None]:
        """Rebuild the automatic list marker; ``(marker, ilvl)`` or ``(None, None)``."""
        direct = p.find(f"{_w('pPr')}/{_w('numPr')}")
        from_style = self.styles.num_pr(style_id)
        num_id = _child_val(direct, "numId") or _child_val(from_style, "numId")
        if not num_id or num_id == "0":
            return None, None
        ilvl = int(_child_val(direct, "ilvl") or _child_val(from_style, "ilvl") or "0")
        level = self.numbering.level(num_id, ilvl)
        if level is None:
            return None, None
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a higher level restarts the levels below it
        if level.fmt == "bullet":
            return "-", ilvl
        levels = self.numbering.levels(num_id)

        def substitute(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k)
            value = counters.get(k, lvl.start if lvl else 1)
            limit = budgets.active().max_numbering
            if abs(value) > limit:
                # Roman numerals or letters of 2,000,000,000 run to millions of characters.
                if not any("numbering budget" in w for w in self.warnings):  # once per document
                    self.warn(
                        budget_message("max_numbering", f"list number {value:,}", f"{limit:,}")
                        + "; list numbers written in digits"
                    )
                return str(value)
            return _format_number(value, "decimal" if lvl is None else lvl.fmt)

        marker = re.sub(r"%([1-9])", substitute, level.text).strip()
        return marker or None, ilvl

    # tables

    def _table(self, tbl: Any) -> None:
        self.table_index += 1
        if self._is_header_table(tbl):
            self._layout_table(tbl, "header_table")
        elif not self._has_borders(tbl) and _grid_columns(tbl) <= 2:
            self._layout_table(tbl, "body")
        else:
            self._data_table(tbl)

    def _is_header_table(self, tbl: Any) -> bool:
        """The issuer/motto header: an early table, borderless with 2 columns or carrying motto words."""
        if self.table_index != 1 or sum(1 for b in self.blocks if b.text.strip()) > 3:
            return False
        if _grid_columns(tbl) == 2 and not self._has_borders(tbl):
            return True
        text = "\n".join(_clean(self._quiet_text(p)) for p in tbl.iter(_P))
        return bool(_HEADER_MARKERS.search(text))

    def _has_borders(self, tbl: Any) -> bool:
        """Whether any table or cell border is drawn (direct formatting, else the table style)."""
        tbl_pr = tbl.find(_w("tblPr"))
        borders = tbl_pr.find(_w("tblBorders")) if tbl_pr is not None else None
        if borders is None:
            style = tbl_pr.find(_w("tblStyle")) if tbl_pr is not None else None
            borders = self.styles.table_borders(style.get(_VAL) if style is not None else None)
        candidates = list(borders) if borders is not None else []
        for cell_borders in tbl.iter(_w("tcBorders")):
            candidates.extend(cell_borders)
        return any(edge.get(_VAL, "nil") not in _NO_BORDER for edge in candidates)

    def _layout_table(self, tbl: Any, role: BlockRole) -> None:
        """Emit each cell paragraph of a layout table as its own block, row by row, left to right."""
        for tr in _rows(tbl):
            for tc in _cells(tr):
                for child in _content_children(tc):
                    if child.tag == _P:
                        self._paragraph(child, role)
                    elif child.tag == _TBL:
                        self._layout_table(child, role)

    def _data_table(self, tbl: Any) -> None:
        limit = budgets.active().max_table_cells
        seen = 0
        for row_number, tr in enumerate(_rows(tbl), start=1):
            seen += sum(1 for _ in _cells(tr))
            if seen > limit:
                self.warn(
                    f"table {self.table_index}: "
                    + budget_message("max_table_cells", f"over {limit:,} cells", f"{limit:,}")
                    + f"; rows from {row_number} on skipped"
                )
                return
            first_line = self.para_index + 1
            page_before = self.page
            cells: list[str] = []
            carried: list[bool] = []
            for tc in _cells(tr):
                tc_pr = tc.find(_w("tcPr"))
                # A forged gridSpan of 2,000,000,000 must not become as many empty cells.
                span = max(1, min(int(_child_val(tc_pr, "gridSpan") or "1"), limit))
                v_merge = tc_pr.find(_w("vMerge")) if tc_pr is not None else None
                text = self._cell_text(tc)
                continued = v_merge is not None and v_merge.get(_VAL, "continue") == "continue"
                if continued:
                    text = ""  # the text belongs to the cell above
                cells.append(text)
                carried.append(continued)
                cells.extend([""] * (span - 1))
                carried.extend([continued] * (span - 1))
            if any(cells):
                self.blocks.append(
                    _Pending(
                        "table_row",
                        "\t".join(cells),
                        page_before,
                        first_line,
                        cells=cells,
                        carried=carried,
                        table=self.table_index,
                        row=row_number,
                    )
                )

    def _cell_text(self, tc: Any) -> str:
        """A cell's paragraphs (with their list markers) joined by newlines; TABs become spaces."""
        lines: list[str] = []
        for child in _content_children(tc):
            if child.tag == _P:
                self.para_index += 1
                text, before, after = self._text(child)
                self._add_breaks(before + after)
                marker, _ = self._marker(child, _style_id(child))
                text = _clean(text).replace("\t", " ")
                if text:
                    lines.append(f"{marker} {text}" if marker else text)
            elif child.tag == _TBL:  # nested table: flatten its rows into the cell
                for tr in _rows(child):
                    inner = [self._cell_text(inner_tc) for inner_tc in _cells(tr)]
                    lines.append(" ".join(t for t in inner if t))
        return "\n".join(line for line in lines if line)

    def _quiet_text(self, p: Any) -> str:
        """Paragraph text without side effects (for detection only)."""
        return "".join(n.text or "" for n in _visible_nodes(p) if n.tag == _w("t"))


def _content_children(parent: Any) -> Iterator[Any]:
    """Block-level children, looking through content controls and customXml wrappers."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _content_children(content)
        elif child.tag == _w("customXml"):
            yield from _content_children(child)


def _rows(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        if child.tag == _TR:
            yield child
        elif child.tag in (_SDT, _w("customXml")):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from (tr for tr in content if tr.tag == _TR)


def _cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in (_SDT, _w("customXml")):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from (tc for tc in content if tc.tag == _TC)


def _visible_nodes(element: Any) -> Iterator[Any]:
    """Descendants in document order, skipping subtrees a reader does not see."""
    # An explicit stack rather than nested generators: every node of the body passes here.
    stack = [iter(element)]
    while stack:
        for child in stack[-1]:
            if child.tag in _SKIP or not isinstance(child.tag, str):
                continue
            yield child
            stack.append(iter(child))
            break
        else:
            stack.pop()


def _grid_columns(tbl: Any) -> int:
    grid = tbl.find(_w("tblGrid"))
    return len(grid.findall(_w("gridCol"))) if grid is not None else 0


def _font_of(r_pr: Any | None) -> str | None:
    """The Latin font named by an ``rPr``'s ``w:rFonts`` (ascii, else hAnsi), if any."""
    fonts = r_pr.find(_RFONTS) if r_pr is not None else None
    if fonts is None:
        return None
    return fonts.get(_ASCII) or fonts.get(_HANSI)


def _style_id(p: Any) -> str | None:
    style = p.find(_PSTYLE_PATH)
    return style.get(_VAL) if style is not None else None


def _child_val(parent: Any | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(_w(tag))
    return child.get(_VAL) if child is not None else None


def _clean(text: str) -> str:
    """NFC, no stray spaces at the ends of the paragraph or of its soft-broken lines."""
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


# -- footnotes -------------------------------------------------------------


def _notes(part: Any, refs: list[str]) -> list[tuple[int, str]]:
    """Footnotes then endnotes in order of first reference, numbered 1, 2, ... per kind."""
    out: list[tuple[int, str]] = []
    for kind in ("footnote", "endnote"):
        root = _related_xml(part, kind + "s")
        if root is None:
            continue
        by_id = {
            note.get(_w("id")): note
            for note in root.iter(_w(kind))
            if note.get(_w("type")) in (None, "normal")
        }
        ids = list(dict.fromkeys(r.split(":", 1)[1] for r in refs if r.startswith(kind + ":")))
        for number, note_id in enumerate(ids, start=1):
            note = by_id.get(note_id)
            if note is None:
                continue
            texts = (
                "".join(n.text or "" for n in _visible_nodes(p) if n.tag == _w("t")) for p in note.iter(_P)
            )
            text = _clean("\n".join(texts))
            if text:
                out.append((number, text))
    return out


def _note_block(number: int, text: str, page: int) -> _Pending:
    return _Pending("paragraph", text, page, None, marker=str(number), role="footnote")


# -- assembly --------------------------------------------------------------


def _assemble(
    source: str, pending: list[_Pending], *, pages: int | None, encoding: str | None = None
) -> RawDocument:
    """Join display texts with newlines and give each block its span."""
    blocks: list[Block] = []
    offset = 0
    for item in pending:
        display = item.display
        start = offset + len(display) - len(item.text)  # the span covers the text, not the marker
        prov = Provenance(
            source=source,
            page=item.page,
            line=item.line,
            table=item.table,
            row=item.row,
            start=start,
            end=start + len(item.text),
        )
        blocks.append(
            Block(
                kind=item.kind,
                text=item.text,
                cells=item.cells,
                carried=item.carried,
                marker=item.marker,
                level=item.level,
                role=item.role,
                prov=prov,
            )
        )
        offset += len(display) + 1
    text = "\n".join(item.display for item in pending)
    return RawDocument(
        source=source,
        format="docx",
        blocks=blocks,
        text=text,
        pages=pages,
        hard_wrapped=False,
        encoding=encoding,
    )
