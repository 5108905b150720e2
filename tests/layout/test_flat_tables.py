"""Tables a PDF text layer flattened to one cell fragment per line, rebuilt as rows."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_path
from vanban import extractors
from vanban.layout.flat_tables import rebuild_flat_tables
from vanban.schemas.blocks import Block

APPENDIX = ("corpus", "conghai", "conghai_23-CTr-DU_2025_chuong_trinh_hanh_dong_NQDH.txt")


def _rows(path: Path) -> list[Block]:
    raw = extractors.extract(path)
    return [b for b in rebuild_flat_tables(raw.blocks, ref_year=2025) if b.kind == "table_row"]


def _row(rows: list[Block], start: str) -> list[str]:
    found = [r.cells for r in rows if r.cells[1].startswith(start)]
    assert found, f"no row starting {start!r}"
    return found[0]


def test_header_labels_and_sub_columns() -> None:
    header = _rows(shared_path(*APPENDIX))[0]
    # "Cơ quan" / "chủ trì" / "thực hiện" is one label; "BTV", "BCH" split the time column.
    assert header.cells == [
        "Stt",
        "Nội dung",
        "Thời gian trình BTV",
        "Thời gian trình BCH",
        "Cơ quan chủ trì thực hiện",
        "Nguồn lực thực hiện",
    ]


def test_rows_keep_content_time_and_unit_apart() -> None:
    rows = _rows(shared_path(*APPENDIX))
    agriculture = _row(rows, "Nghị quyết vềcơ cấu lại ngành nông nghiệp")
    # "2026 – 2030." ends the content cell; it is not the time cell.
    assert agriculture[1].endswith("giai đoạn 2026 – 2030.")
    assert agriculture[2:5] == ["Quý I/2026", "Quý I/2026", "Đảng uỷ UBND xã"]
    # A wrapped time cell ("Quý IV hàng" / "năm") and a wrapped unit cell with roles.
    defence = _row(rows, "Nghị quyết về lãnh đạo nhiệm vụquân sự")
    assert defence[2] == "Quý IV hàng năm"
    assert defence[4] == "Đảng uỷ UBND xã chủ trì, phối hợp Quân sự xã"
    # "... Nghị quyết số 02-NQ/ĐU / ngày / 31/8/2025 / của ..." is a date inside the content.
    review = _row(rows, "Rà soát, bổsung nhiệm vụ")
    assert "ngày 31/8/2025 của Ban Thường vụ" in review[1]
    assert review[2] == "Hàng quý" and review[4] == "Ban Chỉ đạo 57 xã"
    # A content cell cut by a page break goes on after the row's unit cell.
    guidance = _row(rows, "Hướng dẫn thực hiện Đề án đổi mới, nâng cao")
    assert guidance[1].endswith("đảng viên trong tình hình mới.")
    assert guidance[2] == "Thực hiện theo chỉ đạo của Tỉnh uỷ" and guidance[4] == "Ban Xây dựng Đảng"
    # A bare span of years is a time cell.
    digital = _row(rows, "Kế hoạch thực hiện chuyển đổi")
    assert digital[2] == "2025 - 2026" and digital[4] == "Văn phòng Đảng uỷ phối hợp UBKT Đảng uỷ"


def test_rows_point_at_their_lines() -> None:
    path = shared_path(*APPENDIX)
    text = path.read_text(encoding="utf-8")
    rows = _rows(path)
    for row in rows:
        span = text[row.prov.start : row.prov.end]
        assert row.prov.table == 1 and row.prov.line is not None
        # Every cell's first words are in the lines the row points at.
        for cell in row.cells:
            if cell:
                assert cell.split()[0] in span


def test_section_rows_become_headings() -> None:
    raw = extractors.extract(shared_path(*APPENDIX))
    headings = [
        b.text for b in rebuild_flat_tables(raw.blocks) if b.text.startswith(("I.", "II.", "III.", "IV."))
    ]
    assert "I. Lĩnh vực kinh tế" in headings
    assert "IV. Công tác xây dựng Đảng và hệ thống chính trị" in headings


def test_documents_without_a_flattened_table_pass_through() -> None:
    for path in sorted(shared_path("seeds").glob("*.txt")):
        raw = extractors.extract(path)
        assert rebuild_flat_tables(raw.blocks) == raw.blocks
