"""Plain-text extractor: UTF-8 (with or without BOM), UTF-16, cp1258, TCVN3, VNI, VIQR; NFC.

Each non-empty line becomes a block whose ``line`` is the file's own line
number. A line with two or more TABs is a table row (cells TAB-separated), the
way the shared canonical fixtures and tab-exported tables look.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from vanban import budgets
from vanban.budgets import budget_message
from vanban.errors import BudgetError, ExtractionError
from vanban.extractors.legacy import detect_bytes, detect_text
from vanban.schemas.blocks import Block, Provenance, RawDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes, returning ``(text, encoding)``.

    BOMs win; then strict UTF-8; then UTF-16 without BOM (many NUL bytes);
    then the single-byte encodings (cp1258, TCVN3, VNI), told apart by which
    decoding reads as Vietnamese. Unicode text is relabelled ``nfd``/``tohop``
    when decomposed, or converted when it holds TCVN3/VNI/VIQR (see
    :mod:`vanban.extractors.legacy`). The text comes back NFC.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A BOM then broken or truncated data: keep the damage visible as U+FFFD (partial), not a crash.
            return _unicode(data.decode(encoding, errors="replace"), encoding)
    try:
        return _unicode(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        # A UTF-8 file with a few broken bytes: keep it UTF-8 and let the damage show as U+FFFD
        # (counted, and the document made partial) rather than misread the whole file as cp1258.
        return _unicode(data.decode("utf-8", errors="replace"), "utf-8")
    sample = data[:4000]
    if sample and sample.count(0) > len(sample) // 4:
        # NULs in odd positions mean little-endian ASCII-range text.
        le = sample[1::2].count(0) > sample[0::2].count(0)
        encoding = "utf-16-le" if le else "utf-16-be"
        try:
            return _unicode(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            pass
    return detect_bytes(data)


def _mostly_utf8(data: bytes) -> bool:
    """Whether well-formed multi-byte UTF-8 sequences outnumber the invalid bytes several times over.

    Legacy single-byte text (cp1258, TCVN3, VNI) almost never forms valid
    multi-byte sequences, so a file full of them is UTF-8 with some damage.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    multibyte = sum(1 for c in decoded if c > "\x7f") - bad
    return multibyte >= 4 * bad


def _unicode(text: str, encoding: str) -> tuple[str, str]:
    """Decoded Unicode text, relabelled when it is decomposed or holds a legacy encoding."""
    text, found = detect_text(text)
    return text, encoding if found == "utf-8" else found


# Columns of a header typed side by side are set apart by a run of spaces.
_COLUMNS = re.compile(r"\s{4,}")
_HEADER_LINES = 8
_COLUMN_MIN = 10
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row written as text: TAB-separated, or with pipes (``a | b | c``, Markdown).

    None when the line is no table row; an empty list for a Markdown rule row.
    """
    if line.count("\t") >= 2:
        return [cell.strip() for cell in line.split("\t")]
    if _PIPE_RULE.match(line):
        return []
    if line.count("|") >= 2 and "://" not in line:
        inner = line.strip()
        if inner.startswith("|") and inner.endswith("|"):
            inner = inner[1:-1]  # Markdown's outer pipes; a lone leading pipe is an empty first cell
        return [cell.strip() for cell in inner.split("|")]
    return None


def extract(path: Path, *, source: str | None = None) -> RawDocument:
    """Read a text file into line blocks with provenance."""
    source = source or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ExtractionError(source, f"cannot read file: {err.strerror or err}") from err
    # Counted on the bytes, before decoding: encoding detection is the slow part of a huge file.
    limit = budgets.active().max_paragraphs
    lines = data.count(b"\n") + 1
    if lines > limit:
        raise BudgetError(source, budget_message("max_paragraphs", f"{lines:,} lines", f"{limit:,}"))
    text, encoding = decode_bytes(data)
    if "\x00" in text:
        raise ExtractionError(source, "binary content (NUL bytes) in what looked like a text file")
    text = unicodedata.normalize("NFC", text)
    blocks: list[Block] = []
    offset = 0
    page = 1  # pages are separated by form feeds (pdftotext output)
    paged = "\x0c" in text
    blank = False  # a blank line before this one: a paragraph break
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n\x0c")
        start = offset
        offset += len(line)
        this_page = page
        page += line.count("\x0c")
        if not body.strip():
            blank = True
            continue
        cells = table_cells(body)
        if cells is not None:
            prov = Provenance(
                source=source,
                page=this_page if paged else None,
                line=number,
                start=start,
                end=start + len(body),
            )
            if any(cells):  # a Markdown rule row ("|---|---|") has no cells
                blocks.append(Block(kind="table_row", text=body, cells=cells, prov=prov, break_before=blank))
            blank = False
            continue
        # The issuer and motto columns of a header typed side by side: one block per column
        # (a gap inside a short field is a blank to fill in: "Số:      /KH-UBND").
        columns = _COLUMNS.split(body) if len(blocks) < _HEADER_LINES else [body]
        if any(0 < len(part.strip()) < _COLUMN_MIN for part in columns):
            columns = [body]
        at = 0
        for part in columns:
            if not part.strip():
                at += len(part)
                continue
            at = body.index(part, at)
            lead = len(part) - len(part.lstrip())
            prov = Provenance(
                source=source,
                page=this_page if paged else None,
                line=number,
                start=start + at + lead,
                end=start + at + len(part.rstrip()),
            )
            blocks.append(Block(kind="paragraph", text=part.strip(), prov=prov, break_before=blank))
            at += len(part)
        blank = False
    return RawDocument(source=source, format="text", blocks=blocks, text=text, encoding=encoding)
