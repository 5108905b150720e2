"""Build the sample DOCX and PDF files in ``data/raw/samples/`` from two seed texts.

Why this exists: ``make run`` should exercise the DOCX and PDF extractors, not
only the text one, but the real Word/PDF fixtures live outside the repository
(``../shared``, read only). This script rebuilds small equivalents from the
project's own seed texts so that the samples can be regenerated at any time.
``data/raw`` holds each seed once (so queries count each document once): seed
002 only as ``sample_002.docx``, seed 000 only as ``sample_000.pdf`` (its DOCX is
an intermediate step, written to a temporary folder), the others as text.

* ``sample_000.docx``: seed 000 (a hard-wrapped text) unwrapped into
  paragraphs; ``- `` lines become real Word bullets (the dash lives in
  ``numbering.xml``, not in the text), ``I.``/``1. Tháng`` lines headings;
* ``sample_002.docx``: seed 002, whose TAB-separated ``TT\\tNội dung...`` lines
  become real Word tables (repeated header row, the ``Tháng N/2026`` row merged
  across the grid);
* ``sample_000.pdf``: ``sample_000.docx`` converted by LibreOffice headless when
  ``soffice``/``libreoffice`` is on PATH; otherwise a fallback drawn with
  pypdfium2's raw PDFium API and an embedded DejaVu TrueType font, which gives a
  real, Vietnamese-correct text layer (PDFium writes the ToUnicode map).

Usage: ``python scripts/make_samples.py [--seeds DIR] [--out DIR] [--no-soffice]``.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_OUT = ROOT / "data" / "raw" / "samples"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
# Regular and bold faces with Vietnamese coverage, best first.
FONT_FACES = (
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)

_MARKER = re.compile(r"^(?:[-+•]|\d+(?:\.\d+)*\.|[IVXLC]+\.|[a-zđ]\)|\(\d+\))\s")
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\.\s")
_MONTH_HEADING = re.compile(r"^\d+\.\s+Tháng\s+\d{1,2}/\d{4}\s*$")
_ENDS_CLAUSE = re.compile(r"[.;:!?)]$")
_HTML_TAG = re.compile(r"</?[a-z]+>")  # the seed's table has a stray <u>1</u>
_ITALIC = re.compile(r"\*([^*\s](?:[^*]*?[^*\s])?)\*")


# -- document model ----------------------------------------------------------


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    """One paragraph; ``style`` is a Word style name, ``bullet`` a real Word bullet."""

    runs: list[Run]
    style: str = "Normal"
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


Item = Para | Table


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs.

    A line starts a new paragraph when it opens with a list marker or a capital
    letter and the text so far ends a clause, or when the previous line was a
    short heading-like line; wrapped continuations such as ``- Xã hội chuẩn
    bị)`` (a line that merely begins with a hyphen) stay joined.
    """
    paragraphs: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not paragraphs:
            paragraphs.append(line)
            continue
        prev = paragraphs[-1]
        heading_like = len(prev) < 60 and not prev.startswith("-")
        ends_clause = bool(_ENDS_CLAUSE.search(prev))
        opens = bool(_MARKER.match(line)) or line[:1].isupper()
        if opens and (ends_clause or heading_like):
            paragraphs.append(line)
        else:
            paragraphs[-1] = f"{prev} {line}"
    return paragraphs


def _runs(text: str, bold: bool) -> tuple[list[Run], bool]:
    """Markdown-ish emphasis (``**bold**``, ``*italic*``) to runs; bold may span lines."""
    runs: list[Run] = []
    for index, piece in enumerate(text.split("**")):
        if index:
            bold = not bold
        pos = 0
        for match in _ITALIC.finditer(piece):
            runs.append(Run(piece[pos : match.start()], bold))
            runs.append(Run(match.group(1), bold, italic=True))
            pos = match.end()
        runs.append(Run(piece[pos:], bold))
    return [run for run in runs if run.text], bold


def _para(text: str, bold: bool = False) -> tuple[Para, bool]:
    """Classify one paragraph of seed text into a styled Para."""
    runs, bold = _runs(text, bold)
    plain = "".join(run.text for run in runs)
    if plain.startswith("- "):
        return _strip_bullet(Para(runs, bullet=True)), bold
    if _ROMAN_HEADING.match(plain) and plain.upper() == plain:
        return Para(runs, style="Heading 1"), bold
    if _MONTH_HEADING.match(plain):
        return Para(runs, style="Heading 2"), bold
    return Para(runs), bold


def _strip_bullet(para: Para) -> Para:
    """Drop the typed ``- `` that a Word bullet replaces."""
    if para.bullet and para.runs and para.runs[0].text.startswith("- "):
        para.runs[0].text = para.runs[0].text[2:]
    return para


def parse_seed(text: str, *, hard_wrapped: bool) -> list[Item]:
    """Seed text to paragraphs and tables (runs of TAB lines, split by blank lines)."""
    lines = text.replace("\r\n", "\n").split("\n")
    items: list[Item] = []
    bold = False
    if hard_wrapped:
        for paragraph in unwrap(lines):
            para, bold = _para(paragraph, bold)
            items.append(para)
        return items
    table: Table | None = None
    for line in lines:
        if "\t" in line:
            if table is None:
                table = Table()
                items.append(table)
            table.rows.append([_HTML_TAG.sub("", cell).strip() for cell in line.split("\t")])
        elif line.strip():
            table = None
            para, bold = _para(line.strip(), bold)
            items.append(para)
        else:
            table = None  # a blank line ends a table: the seed has one table per month
    _style_title(items)
    return items


def _style_title(items: list[Item]) -> None:
    """The all-caps document kind and the line under it become Title and Subtitle."""
    for index, item in enumerate(items[:5]):
        if isinstance(item, Para) and item.text.isupper() and item.style == "Normal":
            item.style = "Title"
            following = items[index + 1] if index + 1 < len(items) else None
            if isinstance(following, Para) and following.style == "Normal" and not following.bullet:
                following.style = "Subtitle"
            return


# -- DOCX ---------------------------------------------------------------------


def write_docx(items: list[Item], path: Path) -> None:
    """Write paragraphs (with real bullets) and tables (merged month rows) with python-docx."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    bullet_num_id = _add_dash_numbering(document)
    for item in items:
        if isinstance(item, Table):
            _write_table(document, item)
            continue
        paragraph = document.add_paragraph(style=item.style)
        for run in item.runs:
            out = paragraph.add_run(run.text)
            out.bold = run.bold or None
            out.italic = run.italic or None
        if item.bullet:
            num_pr = parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{bullet_num_id}"/></w:numPr>'
            )
            paragraph._p.get_or_add_pPr().append(num_pr)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def _add_dash_numbering(document: Any) -> int:
    """Add a bullet list whose glyph is ``-`` (what Vietnamese documents print) and return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract_id = num_id = 90
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    # abstractNum elements must precede every w:num in numbering.xml.
    first_num = numbering.find(abstract.tag.replace("abstractNum", "num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def _write_table(document: Any, table: Table) -> None:
    """A bordered grid with a repeated header row; a row with a single filled cell is merged across it."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    width = max(len(row) for row in table.rows)
    out = document.add_table(rows=0, cols=width)
    out.style = "Table Grid"
    for index, cells in enumerate(table.rows):
        row = out.add_row()
        cells = cells + [""] * (width - len(cells))
        if index == 0 and cells[0] == "TT":
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        filled = [text for text in cells if text]
        if len(filled) == 1 and not cells[0].isdigit():  # "Tháng 5/2026" rows, in whichever column
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = filled[0]
            continue
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text


# -- PDF ----------------------------------------------------------------------


def write_pdf(docx_path: Path, items: list[Item], pdf_path: Path, *, use_soffice: bool = True) -> str:
    """Convert with LibreOffice when available, else draw the text with PDFium; return the method used."""
    office = (shutil.which("soffice") or shutil.which("libreoffice")) if use_soffice else None
    if office:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [office, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                check=True,
                capture_output=True,
                timeout=180,
            )
            shutil.move(str(Path(tmp) / (docx_path.stem + ".pdf")), pdf_path)
        return f"LibreOffice ({office})"
    regular, bold = find_fonts()
    draw_pdf(items, pdf_path, regular, bold)
    return f"pypdfium2 fallback with {regular.name}"


def find_fonts() -> tuple[Path, Path]:
    """A regular/bold TrueType pair that covers Vietnamese, or SystemExit with the reason."""
    for regular_name, bold_name in FONT_FACES:
        for root in FONT_DIRS:
            if not root.is_dir():
                continue
            regular = next(root.rglob(regular_name), None)
            if regular is not None:
                bold = next(root.rglob(bold_name), None) or regular
                return regular, bold
    raise SystemExit(
        "no LibreOffice and no DejaVu/Liberation TrueType font found: cannot build sample_000.pdf "
        "(install fonts-dejavu-core or libreoffice)"
    )


@dataclass(frozen=True)
class _Page:
    width: float = 595.28  # A4 in points
    height: float = 841.89
    left: float = 85.0
    right: float = 57.0
    top: float = 57.0
    bottom: float = 57.0
    size: float = 12.0
    leading: float = 16.0

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right


class _PdfWriter:
    """Minimal text layout on PDFium: greedy word wrap, one text object per line."""

    def __init__(self, regular: Path, bold: Path, page: _Page) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self.raw = raw
        self.layout = page
        self.pdf = pdfium.PdfDocument.new()
        self._font_data = [regular.read_bytes(), bold.read_bytes()]  # PDFium reads them while saving
        self._buffers = [(ctypes.c_uint8 * len(d)).from_buffer_copy(d) for d in self._font_data]
        self.fonts = [
            raw.FPDFText_LoadFont(self.pdf, buf, len(buf), raw.FPDF_FONT_TRUETYPE, True)
            for buf in self._buffers
        ]
        self._widths: dict[tuple[str, bool], float] = {}
        self.page = None
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        if self.page is not None:
            self.raw.FPDFPage_GenerateContent(self.page.raw)
        self.page = self.pdf.new_page(self.layout.width, self.layout.height)
        self.y = self.layout.height - self.layout.top - self.layout.size

    def _text_object(self, text: str, bold: bool) -> Any:
        obj = self.raw.FPDFPageObj_CreateTextObj(self.pdf, self.fonts[bold], self.layout.size)
        utf16 = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
        self.raw.FPDFText_SetText(obj, ctypes.cast(utf16, ctypes.POINTER(ctypes.c_ushort)))
        return obj

    def width(self, text: str, bold: bool) -> float:
        key = (text, bold)
        if key not in self._widths:
            obj = self._text_object(text, bold)
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            self.raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
            self.raw.FPDFPageObj_Destroy(obj)
            self._widths[key] = right.value - left.value
        return self._widths[key]

    def paragraph(self, text: str, *, bold: bool = False, indent: float = 0.0, center: bool = False) -> None:
        for line in self._wrap(text, bold, indent):
            if self.y < self.layout.bottom:
                self._new_page()
            x = self.layout.left + indent
            if center:
                x = self.layout.left + (self.layout.text_width - self.width(line, bold)) / 2
            obj = self._text_object(line, bold)
            self.raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, self.y)
            self.raw.FPDFPage_InsertObject(self.page.raw, obj)
            self.y -= self.layout.leading
            indent = 0.0
        self.y -= self.layout.leading * 0.4

    def _wrap(self, text: str, bold: bool, indent: float) -> Iterator[str]:
        line = ""
        limit = self.layout.text_width - indent
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if line and self.width(candidate, bold) > limit:
                yield line
                line, limit = word, self.layout.text_width
            else:
                line = candidate
        if line:
            yield line

    def save(self, path: Path) -> None:
        self.raw.FPDFPage_GenerateContent(self.page.raw)
        self.pdf.save(str(path))


def draw_pdf(items: list[Item], path: Path, regular: Path, bold: Path) -> None:
    """Render paragraphs as a Word reader would print them (bullets as ``-``, headings bold)."""
    writer = _PdfWriter(regular, bold, _Page())
    for item in items:
        if isinstance(item, Table):  # not needed for seed 000; rows printed as plain lines
            for row in item.rows:
                writer.paragraph("    ".join(cell for cell in row if cell))
            continue
        text = f"- {item.text}" if item.bullet else item.text
        heading = item.style != "Normal"
        writer.paragraph(
            text,
            bold=heading or all(run.bold for run in item.runs),
            indent=0.0 if heading else 36.0,
            center=item.style in ("Title", "Subtitle"),
        )
    writer.save(path)


def check_pdf(path: Path) -> int:
    """Pages of the PDF whose text layer reads back non-empty (PDFium's own text extraction)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    return sum(1 for page in pdf if page.get_textpage().get_text_range().strip())


# -- main ----------------------------------------------------------------------


def _seed(seeds: Path, prefix: str) -> Path:
    found = sorted(seeds.glob(f"{prefix}_*.txt"))
    if not found:
        raise SystemExit(f"no seed {prefix}_*.txt in {seeds}")
    return found[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder with 000_*.txt and 002_*.txt"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-soffice", action="store_true", help="use the pure-Python PDF fallback")
    args = parser.parse_args(argv)

    items_000 = parse_seed(_seed(args.seeds, "000").read_text(encoding="utf-8"), hard_wrapped=True)
    items_002 = parse_seed(_seed(args.seeds, "002").read_text(encoding="utf-8"), hard_wrapped=False)
    docx_002 = args.out / "sample_002.docx"
    write_docx(items_002, docx_002)
    pdf_000 = args.out / "sample_000.pdf"
    with tempfile.TemporaryDirectory(prefix="vanban-samples-") as scratch:
        # Seed 000 is in data/raw as a PDF only; its DOCX is what LibreOffice prints.
        docx_000 = Path(scratch) / "sample_000.docx"
        write_docx(items_000, docx_000)
        method = write_pdf(docx_000, items_000, pdf_000, use_soffice=not args.no_soffice)
    print(f"wrote {docx_002} ({sum(isinstance(i, Table) for i in items_002)} tables)")
    print(f"wrote {pdf_000} via {method}; {check_pdf(pdf_000)} pages with a text layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
