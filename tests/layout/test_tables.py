"""Table profiles: every header label gives its role; merged cells carried; group and numbering rows."""

from __future__ import annotations

import pytest

from vanban.layout.paragraphs import Paragraph
from vanban.layout.tables import build_table, column_role, header_columns, is_numbering_row
from vanban.resources import load_toml
from vanban.schemas.blocks import Provenance

PROFILES = load_toml("table_profiles")
LABELS = [(label, role) for role, labels in PROFILES["roles"].items() for label in labels]


@pytest.mark.parametrize(("label", "role"), LABELS)
def test_every_label_gives_its_role(label: str, role: str) -> None:
    assert column_role(label) == role
    assert column_role(label.upper()) == role  # headers are often upper case
    assert column_role(label.capitalize() + ":") == role


@pytest.mark.parametrize(
    ("label", "role"),
    [(w, role) for role, words in PROFILES["contains"].items() for w in words],
)
def test_every_contained_word_gives_its_role(label: str, role: str) -> None:
    assert column_role(f"Các đơn vị {label} khác") == role


@pytest.mark.parametrize("label", ["", "Ghi chú thêm về tiến độ", "Số liệu", "Đơn vị tính"])
def test_unknown_or_note_headers_are_not_task_roles(label: str) -> None:
    assert column_role(label) not in ("lead", "support", "content", "time", "day")


def test_a_header_needs_a_content_column_and_another_role() -> None:
    assert header_columns(["TT", "Nội dung", "Chủ trì", "Thời gian"]) is not None
    assert header_columns(["Họ và tên", "Chức vụ", "Đơn vị"]) is None  # a list of people
    assert header_columns(["Nội dung", "Ghi chú"]) is None
    # A data row that mentions "nhiệm vụ" is no header.
    assert (
        header_columns(
            [
                "1",
                "Nghị quyết về lãnh đạo nhiệm vụ quốc phòng, quân sự địa phương hằng năm",
                "Quý IV",
                "Đảng ủy",
            ]
        )
        is None
    )


def test_numbering_rows() -> None:
    assert is_numbering_row(["(1)", "(2)", "(3)", "(4)"])
    assert is_numbering_row(["1", "2", "3"])
    assert not is_numbering_row(["1", "Tổ chức hội nghị", "Phòng Kinh tế"])
    assert not is_numbering_row(["(1)", "", ""])


def _row(n: int, cells: list[str], carried: list[bool] | None = None) -> Paragraph:
    text = "\t".join(cells)
    prov = Provenance(source="t", line=n, table=1, row=n, start=n * 200, end=n * 200 + len(text))
    return Paragraph(text=text, kind="table_row", cells=cells, provs=[prov], carried=carried or [])


def test_merged_cells_apply_to_every_row_they_cover() -> None:
    rows = [
        _row(1, ["Thứ/ngày", "Nội dung", "Chủ trì"]),
        _row(2, ["Thứ Hai (12/10)", "Giao ban", "Chủ tịch UBND phường"]),
        _row(3, ["", "Làm việc với Công an", "Phó Chủ tịch UBND phường"], [True, False, False]),
        _row(4, ["", "Tiếp công dân", ""], [False, False, False]),  # empty, not merged
    ]
    extracted = "\n" * 1000
    table = build_table(rows, extracted)
    assert table is not None
    assert [c.role for c in table.columns] == ["day", "content", "lead"]
    second, third = table.rows[1], table.rows[2]
    assert second.cells[0].carried and second.text(0) == "Thứ Hai (12/10)"
    assert not third.cells[0].carried and third.text(0) == ""


def test_group_rows_and_repeated_headers() -> None:
    rows = [
        _row(1, ["TT", "Nội dung", "Chủ trì", "Thời gian"]),
        _row(2, ["A", "LĨNH VỰC KINH TẾ", "", ""]),
        _row(3, ["1", "Thu ngân sách", "Phòng Kinh tế", "Quý IV"]),
        _row(4, ["TT", "Nội dung", "Chủ trì", "Thời gian"]),  # the header again after a page break
        _row(5, ["", "Tháng 11/2026", "", ""]),
    ]
    table = build_table(rows, "\n" * 2000)
    assert table is not None
    assert [r.group.text if r.group else r.text(1) for r in table.rows] == [
        "LĨNH VỰC KINH TẾ",
        "Thu ngân sách",
        "Tháng 11/2026",
    ]


@pytest.mark.parametrize(
    ("read", "role"),
    [("Cơ quan chú trì", "lead"), ("Thòi gian hoàn thành", "time"), ("NỘI DUNG CÔNG VIẸC", "content")],
)
def test_header_cells_misread_by_ocr_keep_their_role(read: str, role: str) -> None:
    assert column_role(read) == role


def test_a_group_number_makes_a_group_row_in_any_case_and_an_item_number_does_not() -> None:
    rows = [
        _row(1, ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]),
        _row(2, ["II", "Phát triển hạ tầng số, dữ liệu số", "", ""]),
        _row(3, ["4", "Số hóa hồ sơ thủ tục hành chính", "Trung tâm Phục vụ hành chính công", "Quý III"]),
        _row(4, ["B.", "Ứng dụng khoa học, công nghệ", "", ""]),
        _row(5, ["5", "Tổ chức Ngày hội chuyển đổi số", "", ""]),  # an item with its lead left empty
    ]
    table = build_table(rows, "\n" * 2000)
    assert table is not None
    assert [bool(r.group) for r in table.rows] == [True, False, True, False]
