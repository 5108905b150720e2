"""OCR of scanned PDF pages: ruled grids, word placement, deskew, Tesseract on real scans.

The geometry tests run on drawn images and need no Tesseract. Tests that run
Tesseract (``vie``) skip with a reason when it is not installed and OCR at most
two pages (~2.5 s a page), so they stay in the default ``make test`` run.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from tests.conftest import shared_path
from vanban.extractors import ocr
from vanban.extractors.ocr import Grid, OcrWord, build_page, find_grids, parse_tsv, skew_angle

A4 = (2480, 3508)  # A4 at 300 dpi

needs_tesseract = pytest.mark.skipif(
    ocr.unavailable_reason() is not None,
    reason="needs the tesseract binary with Vietnamese data (apt-get install tesseract-ocr tesseract-ocr-vie)",
)


def _scan(stem: str) -> Path:
    return next(shared_path("fixtures", "scan").glob(f"{stem}_*.pdf"))


def _table_image(*, grey: int = 120, broken: bool = True) -> Image.Image:
    """A4 page with a 4-column ruled table: header, a merged month row, two data rows."""
    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    xs = [300, 450, 1400, 1900, 2200]
    ys = [1000, 1150, 1210, 1400, 1600]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=grey, width=3)
    for x in xs:
        for y0, y1 in itertools.pairwise(ys):
            inner = x in (xs[0], xs[-1])
            if y0 == ys[1] and not inner:
                continue  # the month row is one merged cell
            draw.line([(x, y0), (x, y1)], fill=grey, width=3)
    if broken:  # scanned rules have gaps
        for x in range(320, 2200, 97):
            draw.line([(x, 1000 - 3), (x + 3, 1000 + 3)], fill=255, width=1)
    return image


def test_find_grids_recovers_cells_and_merged_row() -> None:
    grids, rules = find_grids(np.asarray(_table_image()))
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.xs) == 5 and len(grid.ys) == 5
    assert all(abs(a - b) <= 4 for a, b in zip(grid.xs, [300, 450, 1400, 1900, 2200], strict=True))
    # Row 2 (the month row) is crossed by the frame only; the others by every rule.
    assert len(grid.crossings[1]) == 2
    assert [len(c) for i, c in enumerate(grid.crossings) if i != 1] == [5, 5, 5]
    assert rules[1000, 1000] and rules[1300, 1400] and not rules[500, 1000]


def test_short_rules_and_plain_text_lines_make_no_table() -> None:
    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    draw.line([(900, 400), (1500, 400)], fill=0, width=3)  # a heading underline, no verticals
    draw.line([(300, 800), (400, 800)], fill=0, width=3)  # shorter than 25 mm: not a rule at all
    grids, rules = find_grids(np.asarray(image))
    assert grids == []
    assert rules[400, 1200] and not rules[800, 350]


def test_skew_angle_straightens_a_rotated_scan() -> None:
    straight = _table_image(broken=False)
    tilted = straight.rotate(0.7, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert skew_angle(tilted) == pytest.approx(-0.7, abs=0.11)
    assert abs(skew_angle(straight)) <= 0.05


def _word(text: str, left: int, top: int, line: int, conf: float = 90.0, width: int = 80) -> OcrWord:
    return OcrWord(text, left, top, left + width, top + 40, conf, (1, 1, line))


def test_build_page_puts_words_in_cells_and_keeps_columns_apart() -> None:
    grid = Grid(
        ys=[1000, 1150, 1210, 1400],
        xs=[300, 450, 1400, 1900, 2200],
        crossings=[[300, 450, 1400, 1900, 2200], [300, 2200], [300, 450, 1400, 1900, 2200]],
    )
    words = [
        _word("Ủy", 400, 500, 1),
        _word("ban", 500, 500, 1),
        _word("TT", 340, 1050, 2),
        _word("Chủ", 1500, 1050, 2),
        _word("trì", 1600, 1050, 2),
        _word("Tháng", 320, 1165, 3),
        _word("01/2026", 420, 1165, 3),
        _word("1", 360, 1220, 4, conf=60.0),
        # Tesseract's one line runs across the cells: the boxes decide.
        _word("Kế", 470, 1220, 4),
        _word("hoạch", 560, 1220, 4),
        _word("BCH", 1420, 1220, 4),
        _word("Quân", 1510, 1220, 4),
        _word("sự", 1600, 1220, 4),
        _word("15/01/2026", 1920, 1220, 4, width=200),
        _word("năm", 470, 1280, 5),
        _word("2026", 560, 1280, 5),
    ]
    page = build_page(words, [grid], scale=72 / 300)
    assert [ln.text for ln in page.lines] == ["Ủy ban"]
    assert page.lines[0].top == pytest.approx(120.0)
    (table,) = page.tables
    assert [r.cells for r in table.rows] == [
        ["TT", "", "Chủ trì", ""],
        ["Tháng 01/2026", "", "", ""],
        ["1", "Kế hoạch năm 2026", "BCH Quân sự", "15/01/2026"],
    ]
    assert [r.spanning for r in table.rows] == [False, True, False]
    assert table.rows[2].confidence == pytest.approx((60 + 90 * 8) / 9, abs=0.1)


def test_parse_tsv_keeps_words_and_drops_border_remnants() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        "4\t1\t1\t1\t1\t0\t100\t200\t300\t40\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t200\t120\t40\t96.5\tPhòng",
        "5\t1\t1\t1\t1\t2\t240\t200\t20\t58\t40.1\t|",
        "5\t1\t1\t1\t1\t3\t280\t200\t20\t5\t30.0\t__",
        "5\t1\t1\t1\t1\t4\t300\t200\t10\t30\t91.0\t-",
        "5\t1\t1\t1\t1\t5\t320\t200\t10\t30\t-1\t ",
    ]
    words = parse_tsv("\n".join([header, *rows]))
    assert [(w.text, w.left, w.right, w.conf, w.line) for w in words] == [
        ("Phòng", 100, 220, 96.5, (1, 1, 1)),
        ("-", 300, 310, 91.0, (1, 1, 1)),
    ]


def test_unavailable_reason_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    ocr.unavailable_reason.cache_clear()
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    try:
        assert ocr.unavailable_reason() == "OCR unavailable: install tesseract-ocr and tesseract-ocr-vie"
    finally:
        ocr.unavailable_reason.cache_clear()


def _first_pages(source: Path, count: int, folder: Path) -> Path:
    """A copy of the first ``count`` pages of a PDF (OCR tests stay at one or two pages)."""
    src = pdfium.PdfDocument(source)
    out = pdfium.PdfDocument.new()
    try:
        out.import_pages(src, list(range(count)))
        path = folder / f"{source.stem}.pdf"
        out.save(path)
    finally:
        out.close()
        src.close()
    return path


def test_scanned_pdf_without_tesseract_is_partial(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from vanban.pipeline.extract import extract_file

    monkeypatch.setattr(ocr, "unavailable_reason", lambda: ocr.OCR_UNAVAILABLE)
    path = _first_pages(_scan("002"), 1, tmp_path)
    result = extract_file(path)
    assert result.document.status == "partial"
    assert result.document.error is not None
    assert result.document.error.startswith("OCR unavailable: install tesseract-ocr and tesseract-ocr-vie")
    assert result.tasks == []


@needs_tesseract
def test_ocr_page_reads_the_ruled_month_tables() -> None:
    """Page 4 of seed 002's scan: the end of January's table and the March table."""
    doc = pdfium.PdfDocument(_scan("002"))
    try:
        page = ocr.ocr_page(doc[3])
    finally:
        doc.close()
    assert len(page.tables) == 2
    rows = [r for t in page.tables for r in t.rows]
    assert all(len(r.cells) == 4 for r in rows)
    assert all(r.confidence is None or 0 <= r.confidence <= 100 for r in rows)
    by_number = {r.cells[0]: r.cells for r in page.tables[1].rows}
    # The Chủ trì and deadline columns stay apart.
    assert by_number["1"][2:] == ["BCH Quân sự", "01/3/2026"]
    assert by_number["5"][2:] == ["Phòng Văn hóa - Xã hội", "10-20/3/2026"]
    assert page.tables[1].rows[1].spanning
    assert "3/2026" in page.tables[1].rows[1].cells[0]


@needs_tesseract
def test_two_scanned_pages_end_to_end(tmp_path: Path) -> None:
    """Blocks carry OCR confidence; the row split by the page break is stitched back."""
    from vanban.pipeline.extract import analyse_file

    analysis = analyse_file(_first_pages(_scan("002"), 2, tmp_path))
    raw, result = analysis.raw, analysis.result
    assert raw.warnings == []
    assert raw.blocks and all(b.confidence is not None for b in raw.blocks)
    assert raw.blocks[0].text == "CHƯƠNG TRÌNH"

    assert result.document.status == "ok"
    assert result.document.issuer is None or "phường" in result.document.issuer.lower()
    first = next(t for t in result.tasks if t.month == 1)
    assert first.text.startswith("Kế hoạch cải cách hành chính nhà nước")
    assert first.text.endswith("năm 2026")  # its last line is on page 2
    assert first.deadline == dt.date(2026, 1, 15)
    assert first.lead_units == ["Phòng Văn hóa - Xã hội"]
    assert len([t for t in result.tasks if t.month == 1]) >= 8
    assert {"57-NQ/TW", "66-NQ/TW"} <= {r.symbol for r in result.references}
