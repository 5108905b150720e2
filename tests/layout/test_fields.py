"""Field lines: every label of resources/field_lines.toml, whatever glyph opens the line."""

from __future__ import annotations

import pytest

from vanban.layout.fields import parse_field, parse_fields
from vanban.resources import load_toml

LABELS = [(label, key) for key, labels in load_toml("field_lines")["labels"].items() for label in labels]


@pytest.mark.parametrize(("label", "key"), LABELS)
@pytest.mark.parametrize("glyph", ["", "- ", "* ", "+ ", "• "])
def test_every_label_is_a_field_line(label: str, key: str, glyph: str) -> None:
    line = f"{glyph}{label[0].upper()}{label[1:]}: Phòng Văn hóa - Xã hội"
    found = parse_field(line)
    assert found is not None and found.key == key
    assert line[found.value_start :] == "Phòng Văn hóa - Xã hội"


@pytest.mark.parametrize(
    "line",
    [
        "Nội dung: Hiệp thương về cơ cấu",  # not a field of the vocabulary
        "- Tổ chức Hội nghị: tổng kết năm 2026",
        "Đối với khiếu nại về danh sách cử tri: trả lời trong 05 ngày",
        "Chủ trì",  # no colon
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị các cơ quan, đơn vị báo cáo về Văn phòng: ...",
    ],
)
def test_other_lines_are_not_field_lines(line: str) -> None:
    assert parse_field(line) is None


def test_empty_value_is_a_field_with_its_value_below() -> None:
    found = parse_field("* Thời gian thực hiện:")
    assert found is not None and found.key == "time" and found.value_start == len("* Thời gian thực hiện:")


def test_a_line_of_several_fields_is_split_at_each_label() -> None:
    line = "Thời gian: Trước 10/02/2026. Chủ trì: Ban Chấp hành Công đoàn. Phối hợp: Ban Nữ công."
    found = parse_fields(line)
    assert [(f.key, line[f.value_start : f.value_end]) for f in found] == [
        ("time", "Trước 10/02/2026"),
        ("lead", "Ban Chấp hành Công đoàn"),
        ("support", "Ban Nữ công."),
    ]


def test_a_value_with_a_colon_or_a_full_stop_is_one_field() -> None:
    # No known label after the stop: the sentence goes on ("Ghi chú" of a value is not a field of its own).
    line = "Thời gian: Quý III. Hoàn thành trước khi tổng kết: báo cáo Đảng ủy."
    assert [(f.key, f.value_end) for f in parse_fields(line)] == [("time", None)]
    assert parse_fields("Tổ chức hội nghị: tổng kết năm 2026") == []
