"""Extractors: a file in, a :class:`~vanban.schemas.RawDocument` out.

Content sniffing, not the file extension, picks the extractor: ``%PDF`` is a
PDF, a ZIP holding ``word/document.xml`` is DOCX, an OLE2 compound file is a
legacy Word ``.doc`` (converted by LibreOffice, then read as DOCX), anything
that decodes as text is text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from vanban.errors import ExtractionError, ResourceLimitError, UnsupportedFormatError
from vanban.schemas.blocks import RawDocument

Format = Literal["pdf", "docx", "doc", "rtf", "text"]

MAX_FILE_BYTES = 200 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, *, source: str | None = None) -> Format:
    """Tell a file's format from its first bytes."""
    source = source or str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as err:
        raise ExtractionError(source, f"cannot read file: {err.strerror or err}") from err
    if not head:
        raise ExtractionError(source, "empty file")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as err:
            raise ExtractionError(source, f"damaged ZIP container: {err}") from err
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedFormatError(source, "ZIP file without word/document.xml (not a DOCX document)")
    if head.startswith(_OLE2):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_like_html(path):
        raise UnsupportedFormatError(
            source,
            "an HTML page, not a Word or PDF document (often a web page saved as .doc); save it as .docx or PDF",
        )
    return "text"


def _looks_like_html(path: Path) -> bool:
    """An HTML page (``<!DOCTYPE html``, ``<html``, or XHTML after an XML declaration)."""
    with path.open("rb") as handle:
        head = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<?xml") and b"<html" in head)


# Names that promise a binary format; when the content is not that format the
# error should say so rather than blame the text decoder.
_BINARY_SUFFIXES = {
    ".pdf": "PDF (no %PDF header)",
    ".docx": "DOCX (not a ZIP container)",
    ".doc": "Word document",
}


def extract(path: Path, *, source: str | None = None) -> RawDocument:
    """Extract any supported file into ordered blocks with provenance."""
    source = source or str(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ExtractionError(source, f"cannot read file: {err.strerror or err}") from err
    if size > MAX_FILE_BYTES:
        raise ResourceLimitError(
            source, f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit"
        )
    fmt = sniff(path, source=source)
    if fmt == "pdf":
        from vanban.extractors import pdf

        return pdf.extract(path, source=source)
    if fmt == "docx":
        from vanban.extractors import docx

        return docx.extract(path, source=source)
    if fmt in ("doc", "rtf"):
        # LibreOffice reads RTF too (often saved with a .doc name); provenance keeps the file's name.
        from vanban.extractors import doc

        return doc.extract(path, source=source)
    promised = _BINARY_SUFFIXES.get(path.suffix.lower())
    if promised:
        with path.open("rb") as handle:
            head = handle.read(4096)
        if b"\x00" in head or not head.strip():
            raise UnsupportedFormatError(source, f"named {path.suffix} but the content is not a {promised}")
    from vanban.extractors import text

    return text.extract(path, source=source)
