"""Table rules on Word tables, whose merged cells the extractor marks as carried."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.validation import ValidateConfig, validate_file

docx = pytest.importorskip("docx")

ROWS = [
    ("1", "Ra quân huấn luyện dự bị động viên", "Ban Chỉ huy Quân sự", "05/11/2026"),
    ("2", "Giao quân năm 2027", "Ban Chỉ huy Quân sự", "10/11/2026"),
    ("3", "Khám sức khỏe nghĩa vụ quân sự", "", "15/11/2026"),
    ("4", "Đánh giá nhiệm vụ thu ngân sách", "Phòng Kinh tế, Hạ tầng và Đô thị", "20/11/2026"),
    ("5", "Tổ chức cho Nhân dân đón Tết theo kế hoạch", "", "25/11/2026"),
    ("6", "Sơ kết kế hoạch phòng, chống ma túy", "Công an phường", "30/11/2026"),
]


def _program(tmp_path: Path) -> Path:
    """A ward's program whose task table merges the lead cell of rows 2-3 (row 3 carries it) and leaves row 5 empty."""
    document = docx.Document()
    for line in (
        "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG GAI",
        "Số: 125/CTr-UBND",
        "Hồng Gai, ngày 25 tháng 9 năm 2026",
        "CHƯƠNG TRÌNH CÔNG TÁC QUÝ IV NĂM 2026",
        "I. CHƯƠNG TRÌNH CÔNG TÁC",
    ):
        document.add_paragraph(line)
    table = document.add_table(rows=len(ROWS) + 1, cols=4)
    for c, header in enumerate(("TT", "Nội dung", "Chủ trì", "Thời gian xong trước ngày")):
        table.cell(0, c).text = header
    for r, row in enumerate(ROWS, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 2).merge(table.cell(3, 2)).text = "Ban Chỉ huy Quân sự"
    path = tmp_path / "program.docx"
    document.save(str(path))
    return path


def test_a_carried_lead_cell_is_not_empty_and_the_empty_one_is_located(tmp_path: Path) -> None:
    found = validate_file(_program(tmp_path), ValidateConfig(select=["VB104"]))
    assert [f.code for f in found] == ["VB104"]
    assert "Tổ chức cho Nhân dân đón Tết" in found[0].excerpt
    assert "Khám sức khỏe" not in found[0].excerpt
    # A DOCX finding is located by the page Word shows and its paragraph, not a line.
    assert found[0].page == 1 and found[0].paragraph is not None and found[0].line is None
