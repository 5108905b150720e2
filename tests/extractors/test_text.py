"""Text extractor: encodings, NFC, table rows, provenance, sniffing."""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tests.conftest import shared_path
from vanban.errors import ExtractionError, UnsupportedFormatError
from vanban.extractors import extract, sniff
from vanban.extractors.text import decode_bytes, table_cells

LINE = "Kế hoạch chuyển đổi số toàn diện năm 2026 (phòng Văn hóa - Xã hội chuẩn bị)."
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Word wrote it: base letters precomposed, tone as a combining mark."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (LINE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + LINE.encode("utf-8"), "utf-8-sig"),
        (LINE.encode("utf-16"), "utf-16"),
        (LINE.encode("utf-16-le"), "utf-16-le"),
        (_cp1258(LINE), "cp1258"),
    ],
)
def test_decodes_every_supported_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert found == encoding
    assert unicodedata.normalize("NFC", text) == LINE


def test_decomposed_text_comes_out_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", LINE), encoding="utf-8")
    doc = extract(path)
    assert doc.blocks[0].text == LINE


def test_lines_keep_file_line_numbers_and_spans(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Tiêu đề\n\n- Mục một\nTT\tNội dung\tChủ trì\n", encoding="utf-8")
    doc = extract(path)
    assert [b.prov.line for b in doc.blocks] == [1, 3, 4]
    for block in doc.blocks:
        assert doc.text[block.prov.start : block.prov.end] == block.text
    assert doc.blocks[2].kind == "table_row"
    assert doc.blocks[2].cells == ["TT", "Nội dung", "Chủ trì"]


def test_seed_tables_are_rows() -> None:
    doc = extract(shared_path("seeds", "002_06c2cd78a0f32ca2.txt"))
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) > 150
    assert rows[0].cells[:2] == ["TT", "Nội dung"]


def test_sniffing_ignores_the_extension(tmp_path: Path) -> None:
    pdf_named_txt = tmp_path / "really_a_pdf.txt"
    pdf_named_txt.write_bytes(shared_path("fixtures", "pdf", "004_92049e2a4f22e81b.pdf").read_bytes())
    assert sniff(pdf_named_txt) == "pdf"
    docx_named_pdf = tmp_path / "really_a_docx.pdf"
    docx_named_pdf.write_bytes(shared_path("fixtures", "docx", "004_92049e2a4f22e81b.docx").read_bytes())
    assert sniff(docx_named_pdf) == "docx"


def test_empty_file_is_a_specific_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty file"):
        extract(path)


def test_zip_that_is_not_docx_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(UnsupportedFormatError, match=r"word/document\.xml"):
        extract(path)


def test_legacy_doc_is_rejected_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    # Not Word inside the OLE2 container: refused before LibreOffice is asked.
    with pytest.raises(UnsupportedFormatError, match=r"not a Word \.doc"):
        extract(path)


def test_binary_garbage_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(b"abc\x00\x00\x00def" * 100)
    with pytest.raises(ExtractionError, match="binary"):
        extract(path)


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("TT\tNội dung\tChủ trì", ["TT", "Nội dung", "Chủ trì"]),
        ("Thứ Hai, 09/3 | Giao ban | Chủ tịch UBND xã", ["Thứ Hai, 09/3", "Giao ban", "Chủ tịch UBND xã"]),
        (" | Chiều: Họp Ban Chỉ đạo | Phó Chủ tịch", ["", "Chiều: Họp Ban Chỉ đạo", "Phó Chủ tịch"]),
        ("| STT | Nội dung | Thời gian |", ["STT", "Nội dung", "Thời gian"]),  # Markdown
        ("|---|:---:|---|", []),  # a Markdown rule row
        ("- Phòng Kinh tế | Công an xã", None),  # one pipe: text
        ("Xem https://a.vn/x|y|z", None),
        ("Tổ chức hội nghị tổng kết năm 2026", None),
    ],
)
def test_table_rows_written_as_text(line: str, cells: list[str] | None) -> None:
    assert table_cells(line) == cells
