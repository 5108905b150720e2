"""Targets: value, unit and comparator of numbered indicators."""

from __future__ import annotations

import pytest

from vanban.normalizers.targets import find_targets, parse_indicator, targets_region


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "comparator"),
    [
        ("Tốc độ tăng tổng thu ngân sách Nhà nước trên địa bàn đạt 4,0% trở lên.", 4.0, "%", ">="),
        ("Có trên 90% đảng viên được đánh giá, xếp loại từ hoàn thành tốt nhiệm vụ trở lên.", 90, "%", ">"),
        ("Phát triển được từ 80 doanh nghiệp mới trở lên.", 80, "doanh nghiệp", ">="),
        ("Giải quyết việc làm (việc làm mới) đạt 1.600 lượt lao động trở lên.", 1600, "lượt lao động", ">="),
        ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng còn từ 5% trở xuống.", 5, "%", "<="),
        ("Giữ vững 100% số trường học đạt chuẩn quốc gia.", 100, "%", "="),
        ("Trên địa bàn không có hộ nghèo, cận nghèo theo chuẩn nghèo đa chiều.", 0, "hộ nghèo", "="),
        ("Kết nạp 15 đoàn viên mới trở lên.", 15, "đoàn viên", ">="),
        ("Phát triển từ 40 hội viên mới trở lên.", 40, "hội viên", ">="),
    ],
)
def test_indicator(sentence: str, value: float, unit: str, comparator: str) -> None:
    target = parse_indicator("1", sentence)
    assert target is not None
    assert (target.value, target.unit, target.comparator) == (value, unit, comparator)


def test_sentences_without_a_quantity_are_not_targets() -> None:
    assert parse_indicator("1", "Tiếp tục nâng cao chất lượng rừng.") is None
    assert parse_indicator("1", "Thực hiện chuyển đổi số toàn diện năm 2026.") is None


def test_several_indicators_share_a_code() -> None:
    found = find_targets(
        "(13) Tỷ lệ thu gom chất thải rắn sinh hoạt đạt 100%; tỷ lệ chất thải rắn y tế được xử lý đạt "
        "tiêu chuẩn môi trường duy trì đạt 100%. (14) Tỷ lệ che phủ rừng đạt 14,7% trở lên."
    )
    assert [(t.code, t.value) for t in found] == [("13", 100), ("13", 100), ("14", 14.7)]


def test_targets_region_stops_at_the_next_part() -> None:
    paragraphs = [
        "I- MỤC TIÊU TỔNG QUÁT VÀ CÁC CHỈ TIÊU CHỦ YẾU",
        "2.2. Về kinh tế: (4) Tốc độ tăng đạt 4,0% trở lên.",
        "II- NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU",
        "(1) Hoàn thành 100% kế hoạch.",
    ]
    assert targets_region(paragraphs) == [1]


def test_numbered_items_of_a_targets_part_are_indicators() -> None:
    paragraphs = [
        "I. CHỈ TIÊU",
        "1. 100% đoàn viên được học tập, quán triệt nghị quyết của Công đoàn.",
        "2. Phấn đấu từ 90% trở lên tổ công đoàn đạt danh hiệu vững mạnh.",
        "II. NỘI DUNG CÔNG TÁC",
        "1. Tổ chức 02 hội nghị chuyên đề trong năm.",  # a task, outside the targets part
    ]
    assert targets_region(paragraphs) == [1, 2]
    assert [(t.code, t.value, t.comparator) for t in find_targets(paragraphs[2])] == [("2", 90, ">=")]
