"""PDF extractor: lines, ruled tables across pages, furniture, footnotes, failures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import shared_path
from vanban.errors import ExtractionError, ResourceLimitError
from vanban.extractors import doc
from vanban.extractors.pdf import extract
from vanban.pipeline.extract import extract_file
from vanban.schemas.blocks import RawDocument

STEMS = [
    "000_a9e4cef1ba2e8708",
    "001_182bd45e65ae1aa9",
    "002_06c2cd78a0f32ca2",
    "003_c8064ae758f1624a",
    "004_92049e2a4f22e81b",
]
PAGES = dict(zip(STEMS, [6, 10, 11, 7, 4], strict=True))
HEADER = ["TT", "Nội dung", "Chủ trì", "Thời gian xong trước ngày"]
BARE_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,4}(?:\s*-)?$|^Trang \d+$")


@cache
def _doc(stem: str) -> RawDocument:
    return extract(shared_path("fixtures", "pdf", f"{stem}.pdf"))


def _rows(doc: RawDocument) -> list:
    return [b for b in doc.blocks if b.kind == "table_row"]


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


def _encrypted_pdf() -> bytes:
    """A minimal PDF whose standard security handler rejects the empty password."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R " % (len(objs) + 1)
    out += b"/ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# ------------------------------------------------------------------ whole documents


@pytest.mark.parametrize("stem", STEMS)
def test_document_shape_and_spans(stem: str) -> None:
    doc = _doc(stem)
    assert doc.format == "pdf"
    assert doc.hard_wrapped is True
    assert doc.pages == PAGES[stem]
    assert doc.source.endswith(f"{stem}.pdf")
    assert doc.warnings == []
    for block in doc.blocks:
        assert doc.text[block.prov.start : block.prov.end] == block.text
        assert block.prov.page is not None and 1 <= block.prov.page <= doc.pages
        assert block.prov.line is not None and block.prov.line >= 1
    assert doc.text == "\n".join(b.text for b in doc.blocks)


@pytest.mark.parametrize("stem", STEMS)
def test_text_matches_canonical_source(stem: str) -> None:
    """Word-level recall against the text placed in the source DOCX.

    The residue is hard-wrapped "66-" / "NQ/TW" splits left for the text normalizer.
    """
    canonical = shared_path("fixtures", "canonical", f"{stem}.txt").read_text(encoding="utf-8")
    want, got = _words(canonical), _words(_doc(stem).text)
    matcher = SequenceMatcher(None, want, got, autojunk=False)
    matched = sum(m.size for m in matcher.get_matching_blocks())
    assert matched / len(want) >= 0.995
    assert matched / len(got) >= 0.995


@pytest.mark.parametrize("stem", STEMS)
def test_no_page_number_or_empty_lines(stem: str) -> None:
    doc = _doc(stem)
    assert not [b.text for b in doc.blocks if b.kind == "paragraph" and BARE_PAGE_NUMBER.match(b.text)]
    assert all(b.text.strip() == b.text and b.text for b in doc.blocks if b.kind == "paragraph")
    assert all(c.strip() == c for b in doc.blocks for c in b.cells)


def test_page_starts_without_its_number() -> None:
    doc = _doc("000_a9e4cef1ba2e8708")
    first_on_page_2 = next(b for b in doc.blocks if b.prov.page == 2)
    assert first_on_page_2.text.startswith("- Kế hoạch Thực hiện phong trào")


# ------------------------------------------------------------------ tables (002)


def test_table_rows_have_four_cells_and_clean_content() -> None:
    rows = _rows(_doc("002_06c2cd78a0f32ca2"))
    assert len(rows) > 150
    assert all(len(r.cells) == 4 and r.text == "\t".join(r.cells) for r in rows)
    assert any(
        r.cells
        == [
            "10.1",
            "Kế hoạch tiếp nhận quà, tặng quà các gia đình người có công, CSXH",
            "Phòng VH-XH",
            "20/01/2026",
        ]
        for r in rows
    )
    # a hyphen at a cell's line end stays glued: "66-" + "NQ/TW"
    assert any("Nghị quyết số 66-NQ/TW về đổi mới" in r.cells[1] for r in rows)
    assert any("Kế hoạch số 34/KH-UBND ngày 19/9/2025" in r.cells[1] for r in rows)
    assert all(r.prov.table is not None and r.prov.row is not None for r in rows)


def test_row_split_by_page_break_is_joined() -> None:
    rows = _rows(_doc("002_06c2cd78a0f32ca2"))
    first = next(r for r in rows if r.prov.table == 1 and r.cells[0] == "1")
    assert first.cells == [
        "1",
        "Kế hoạch cải cách hành chính nhà nước; Kế hoạch khoa học và công nghệ trên địa bàn phường năm 2026",
        "Phòng Văn hóa - Xã hội",
        "15/01/2026",
    ]
    assert first.prov.page == 1
    row_10_6 = next(r for r in rows if r.cells[0] == "10.6")
    assert row_10_6.cells[1].endswith("Kế hoạch tổ chức Lễ phát động Tết trồng cây")
    assert row_10_6.cells[2] == "Phòng Kinh tế, Hạ tầng và Đô thị"
    # no orphan continuation rows survive
    assert not [r.cells for r in rows if not r.cells[0] and r.cells[1] and any(r.cells[2:])]
    assert not any(r.cells[1] == "bàn phường năm 2026" for r in rows)


def test_repeated_header_rows_are_dropped() -> None:
    rows = _rows(_doc("002_06c2cd78a0f32ca2"))
    headers = [r for r in rows if r.cells == HEADER]
    tables = {r.prov.table for r in rows}
    # one Word table per month, each keeps its own first header row; page-break repeats are gone
    assert len(tables) == 12
    assert len(headers) == 12
    assert all(h.prov.row == 1 for h in headers)
    assert sorted(h.prov.table for h in headers) == sorted(tables)


def test_merged_month_rows_hold_their_text_once() -> None:
    rows = _rows(_doc("002_06c2cd78a0f32ca2"))
    months = [r for r in rows if r.cells[0].startswith("Tháng ")]
    assert [m.cells[0] for m in months][:3] == ["Tháng 01/2026", "Tháng 02/2026", "Tháng 3/2026"]
    assert len(months) == 12
    assert all(m.cells[1:] == ["", "", ""] and m.prov.row == 2 for m in months)
    # "Tháng 10/2026" starts a table at the very top of page 9 and is still its own table
    october = next(m for m in months if m.cells[0] == "Tháng 10/2026")
    assert october.prov.page == 9


def test_table_text_not_repeated_as_paragraphs_and_order_kept() -> None:
    doc = _doc("002_06c2cd78a0f32ca2")
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert not any(p.startswith("TT Nội dung") or p.startswith("10.1 ") for p in paragraphs)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    intro = kinds.index(("paragraph", "* Nhiệm vụ cụ thể"))
    assert kinds[intro + 1] == ("table_row", "\t".join(HEADER))
    closing = kinds.index(("paragraph", "II. TỔ CHỨC THỰC HIỆN"))
    assert all(k == "table_row" for k, _ in kinds[intro + 1 : closing])
    assert all(k == "paragraph" for k, _ in kinds[closing:])


# ------------------------------------------------------------------ footnotes


def test_footnote_is_moved_after_the_body() -> None:
    doc = _doc("001_182bd45e65ae1aa9")
    notes = [b for b in doc.blocks if b.role == "footnote"]
    assert [n.text[:30] for n in notes] == [
        "1 như: Tuyến đường, rãnh thoát",
        "đường Hữu Nghị, đường Việt Xô ",
    ]
    assert all(n.prov.page == 6 for n in notes)
    assert doc.blocks[-len(notes) :] == notes
    body = [b.text for b in doc.blocks if b.role == "body"]
    # the superscript mark stays on its line instead of splitting it
    assert "cấp các tuyến đường giao thông có tính kết nối1; chỉnh trang, nâng cấp các tuyến phố" in body
    assert not any("rãnh thoát nước khu Thanh Sơn 9" in t for t in body)


@pytest.mark.parametrize("stem", ["000_a9e4cef1ba2e8708", "003_c8064ae758f1624a", "004_92049e2a4f22e81b"])
def test_small_font_recipient_lists_are_not_footnotes(stem: str) -> None:
    doc = _doc(stem)
    assert not [b.text for b in doc.blocks if b.role == "footnote"]
    assert any(b.text.startswith("- Lưu") for b in doc.blocks)


# ------------------------------------------------------------------ options and failures


def test_source_label_is_used_in_provenance() -> None:
    path = shared_path("fixtures", "pdf", "004_92049e2a4f22e81b.pdf")
    doc = extract(path, source="upload://kh-004")
    assert doc.source == "upload://kh-004"
    assert {b.prov.source for b in doc.blocks} == {"upload://kh-004"}


def test_too_many_pages_is_a_resource_limit() -> None:
    path = shared_path("fixtures", "pdf", "002_06c2cd78a0f32ca2.pdf")
    with pytest.raises(ResourceLimitError, match="11 pages"):
        extract(path, max_pages=10)


def test_scanned_pdf_without_ocr_warns_and_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    # OCR itself is tested in tests/extractors/test_ocr.py; here Tesseract is "not installed".
    from vanban.extractors import ocr

    monkeypatch.setattr(ocr, "unavailable_reason", lambda: ocr.OCR_UNAVAILABLE)
    path = next(shared_path("fixtures", "scan").glob("000_*.pdf"))
    doc = extract(path)
    assert doc.blocks == [] and doc.text == ""
    assert doc.pages == 6
    assert doc.warnings == [
        "OCR unavailable: install tesseract-ocr and tesseract-ocr-vie (no text layer on pages 1-6)"
    ]


def test_random_bytes_raise_extraction_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(ExtractionError, match="not a PDF") as info:
        extract(path)
    assert info.value.source == str(path)


def test_garbage_after_pdf_header_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    with pytest.raises(ExtractionError, match="corrupt") as info:
        extract(path)
    assert info.value.__cause__ is not None


def test_encrypted_pdf_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(ExtractionError, match="encrypted"):
        extract(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="file not found"):
        extract(tmp_path / "nope.pdf")


@pytest.mark.skipif(doc.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_side_by_side_header_of_a_word_plan_printed_to_pdf(tmp_path: Path) -> None:
    """The two-column header (issuer and "Số:" | motto, place and date) of a real plan.

    LibreOffice writes the header frame after the page's text, and the date wraps
    in its narrow column; the PDF must still read header first and give the same
    metadata as the DOCX.
    """
    docx = next(shared_path("corpus", "luongminh").glob("luongminh_KH_Kiem_tra_giam_sat_*.docx"))
    staged = tmp_path / "plan.docx"
    shutil.copyfile(docx, staged)
    subprocess.run(
        [
            str(doc.find_soffice()),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(staged),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    raw = extract(tmp_path / "plan.pdf")
    first = [b.text for b in raw.blocks[:4]]
    assert first[0] == "ỦY BAN MTTQ VIỆT NAM" and "Số: /KH-MTTQ-BTT" in first
    from_pdf = extract_file(tmp_path / "plan.pdf").document
    from_docx = extract_file(docx).document
    fields = ("symbol", "draft", "issued_on", "issuer", "locality", "province", "year", "doc_type")
    assert from_pdf.model_dump(include=set(fields)) == from_docx.model_dump(include=set(fields))
    assert str(from_pdf.issued_on) == "2025-12-10"
