"""DOCX extractor on the shared Word fixtures and on small documents built here."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import shared_path
from vanban.errors import ExtractionError, ResourceLimitError
from vanban.extractors import docx as docx_extractor
from vanban.schemas.blocks import RawDocument

STEMS = [
    "000_a9e4cef1ba2e8708",
    "001_182bd45e65ae1aa9",
    "002_06c2cd78a0f32ca2",
    "003_c8064ae758f1624a",
    "004_92049e2a4f22e81b",
]


def _fixture(stem: str) -> RawDocument:
    return docx_extractor.extract(shared_path("fixtures", "docx", f"{stem}.docx"))


def _comparable(doc: RawDocument) -> list[str]:
    """Block texts as the canonical files write them (grid padding of merged rows dropped)."""
    return [b.display_text.rstrip("\t") if b.kind == "table_row" else b.display_text for b in doc.blocks]


@pytest.mark.parametrize("stem", STEMS)
def test_canonical_line_fidelity(stem: str) -> None:
    doc = _fixture(stem)
    canonical = shared_path("fixtures", "canonical", f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    got = set(_comparable(doc))
    reproduced = sum(line in got for line in canonical)
    assert reproduced / len(canonical) >= 0.98, f"{reproduced}/{len(canonical)}"


@pytest.mark.parametrize("stem", STEMS)
def test_spans_point_into_document_text(stem: str) -> None:
    doc = _fixture(stem)
    assert doc.format == "docx" and doc.hard_wrapped is False
    for block in doc.blocks:
        assert doc.text[block.prov.start : block.prov.end] == block.text
    assert doc.text.splitlines() == [line for b in doc.blocks for line in b.display_text.split("\n")]


@pytest.mark.parametrize("stem", ["000_a9e4cef1ba2e8708", "003_c8064ae758f1624a"])
def test_word_bullets_become_dash_markers(stem: str) -> None:
    doc = _fixture(stem)
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert len(items) > 50
    assert {b.marker for b in items} == {"-"}
    # The dash lives in numbering.xml, never in the paragraph text.
    assert not any(b.text.startswith("-") for b in items)


def test_headings_from_heading_styles() -> None:
    doc = _fixture("003_c8064ae758f1624a")
    headings = {b.text: b.level for b in doc.blocks if b.kind == "heading"}
    assert headings["A. CHƯƠNG TRÌNH CÔNG TÁC CỤ THỂ"] == 1
    assert headings["I. BAN CHẤP HÀNH ĐẢNG BỘ PHƯỜNG"] == 2
    assert headings["CHƯƠNG TRÌNH"] == 0  # Title style
    assert not any(b.kind == "heading" for b in doc.blocks if b.text.startswith("(1)"))


def test_table_rows_have_grid_cells_without_duplicated_merged_text() -> None:
    doc = _fixture("002_06c2cd78a0f32ca2")
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) > 100
    assert all(len(r.cells) == 4 for r in rows)
    month = next(r for r in rows if r.cells[0] == "Tháng 01/2026")
    assert [c for c in month.cells if c] == ["Tháng 01/2026"]
    assert month.prov.table == 1 and month.prov.row == 2
    header = rows[0]
    assert header.cells == ["TT", "Nội dung", "Chủ trì", "Thời gian xong trước ngày"]
    assert header.text == "\t".join(header.cells)
    assert {r.prov.table for r in rows} == set(range(1, 13))


def test_closing_signature_table_becomes_paragraphs() -> None:
    doc = _fixture("002_06c2cd78a0f32ca2")
    tail = [b.text for b in doc.blocks[-4:]]
    assert tail == ["Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Quang Vinh"] or tail[-3:] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Quang Vinh",
    ]
    assert all(b.kind != "table_row" and b.role == "body" for b in doc.blocks[-12:])


def test_header_table_paragraphs_have_header_role() -> None:
    doc = _fixture("003_c8064ae758f1624a")
    header = [b for b in doc.blocks if b.role == "header_table"]
    assert [b.text for b in header] == ["*", "Số -CTr/ĐU", "Đồ Sơn, ngày tháng 12 năm 2025"]
    assert all(b.kind == "paragraph" for b in header)
    assert doc.blocks[: len(header)] == header
    # The closing signature table is not a header.
    assert doc.blocks[-1].text == "Lê Quốc Tiến" and doc.blocks[-1].role == "body"


def test_footnote_after_body_and_reference_mark_dropped() -> None:
    doc = _fixture("001_182bd45e65ae1aa9")
    notes = [b for b in doc.blocks if b.role == "footnote"]
    assert len(notes) == 1 and doc.blocks[-1] is notes[0]
    assert notes[0].marker == "1"
    assert notes[0].text.startswith("như: Tuyến đường, rãnh thoát nước khu Thanh Sơn 9")
    body = "\n".join(b.text for b in doc.blocks if b.role == "body")
    assert "có tính kết nối; chỉnh trang" in body
    assert "kết nối1" not in body
    assert "Thanh Sơn 9" not in body


def test_pages_default_to_one_without_rendered_breaks() -> None:
    doc = _fixture("004_92049e2a4f22e81b")
    assert {b.prov.page for b in doc.blocks} == {1}
    assert [b.prov.line for b in doc.blocks if b.prov.line] == sorted(b.prov.line for b in doc.blocks)


def test_numbered_list_markers_and_page_breaks(tmp_path: Path) -> None:
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("Nhiệm vụ", style="Heading 1")
    document.add_paragraph("Kế hoạch A", style="List Number")
    document.add_paragraph("Kế hoạch B", style="List Number")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Gạch đầu dòng", style="List Bullet")
    path = tmp_path / "numbered.docx"
    document.save(str(path))

    doc = docx_extractor.extract(path)
    assert [(b.kind, b.display_text, b.prov.page) for b in doc.blocks] == [
        ("heading", "Nhiệm vụ", 1),
        ("list_item", "1. Kế hoạch A", 1),
        ("list_item", "2. Kế hoạch B", 1),
        ("list_item", "- Gạch đầu dòng", 2),
    ]
    assert doc.pages == 2
    assert [b.prov.line for b in doc.blocks] == [1, 2, 3, 5]


def test_vertical_and_horizontal_merges_do_not_repeat_text(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Tháng 02/2026"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "Phòng Kinh tế"
    path = tmp_path / "merged.docx"
    document.save(str(path))

    rows = [b for b in docx_extractor.extract(path).blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [
        ["Tháng 02/2026", "", ""],
        ["r1c0", "Phòng Kinh tế", "r1c2"],
        ["r2c0", "", "r2c2"],
    ]
    assert rows[0].text.count("Tháng 02/2026") == 1


def test_corrupt_file_raises_extraction_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(ExtractionError, match="ZIP") as info:
        docx_extractor.extract(path)
    assert info.value.source == str(path)
    assert isinstance(info.value.__cause__, zipfile.BadZipFile)


def test_zip_without_word_document_raises(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(ExtractionError, match=r"document\.xml"):
        docx_extractor.extract(path, source="other.docx")


def test_malformed_document_xml_raises(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    docx.Document().save(str(good))
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = b"<w:document" if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, data)
    with pytest.raises(ExtractionError):
        docx_extractor.extract(bad)


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.docx"
    docx.Document().save(str(path))
    monkeypatch.setattr(docx_extractor, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ResourceLimitError, match="MiB"):
        docx_extractor.extract(path)
