"""Paragraphs: hard-wrapped lines joined, markers and field labels opening new ones."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from vanban.extractors import extract
from vanban.layout.paragraphs import looks_hard_wrapped, starts_new_paragraph, to_paragraphs
from vanban.schemas.blocks import Block, Provenance


def _blocks(*lines: str) -> list[Block]:
    return [
        Block(kind="paragraph", text=line, prov=Provenance(source="t", line=n))
        for n, line in enumerate(lines, 1)
    ]


WRAPPED = [
    "- Kế hoạch thăm, tặng quà nhân dịp Tết Thiếu nhi 01/6/2026 (phòng Văn hóa",
    "- Xã hội chuẩn bị).",
    "- Xây dựng kế hoạch thực hiện công tác quản lý đất đai, xây dựng, tài nguyên",
    "- môi trường; kiểm tra công tác quản lý tài nguyên, khoáng sản các dự án trên địa",
    "bàn (phòng Kinh tế, Hạ tầng và Đô thị chuẩn bị).",
    "- Báo cáo sơ kết thực hiện Nghị quyết số 68-",
    "NQ/TW của Bộ Chính trị về phát triển kinh tế tư nhân đến hết năm",
    "2026. Đẩy mạnh các hoạt động của doanh nghiệp trên địa bàn phường (phòng Kinh",
    "tế chuẩn bị).",
    "1. Tháng 02/2026",
    "- Tổ chức Lễ giao nhận quân năm 2026 (Ban chỉ huy quân sự phường chuẩn bị).",
]


def test_wrapped_lines_join_into_items() -> None:
    paragraphs = to_paragraphs(_blocks(*WRAPPED), hard_wrapped=True)
    texts = [p.text for p in paragraphs]
    assert texts[0].endswith("(phòng Văn hóa - Xã hội chuẩn bị).")
    assert "tài nguyên - môi trường; kiểm tra" in texts[1]
    assert "Nghị quyết số 68-NQ/TW" in texts[2]
    assert "đến hết năm 2026. Đẩy mạnh" in texts[2]
    assert texts[3] == "1. Tháng 02/2026"
    assert len(paragraphs) == 5
    assert [p.provs[0].line for p in paragraphs] == [1, 3, 6, 10, 11]


def test_unwrapped_paragraphs_pass_through() -> None:
    lines = ["1. Tháng 1", "- Kiểm điểm tình hình thực hiện nhiệm vụ", "Một số nội dung khác"]
    assert len(to_paragraphs(_blocks(*lines), hard_wrapped=False)) == 3


@pytest.mark.parametrize(
    ("stem", "wrapped"), [("000", True), ("001", True), ("004", True), ("002", False), ("003", False)]
)
def test_seed_wrapping_is_detected(stem: str, wrapped: bool) -> None:
    path = next(shared_path("seeds").glob(f"{stem}_*.txt"))
    lines = [b.text for b in extract(path).blocks if b.kind != "table_row"]
    assert looks_hard_wrapped(lines) is wrapped


@pytest.mark.parametrize(
    ("line", "opens"),
    [
        ("- Tổ chức hội nghị", True),
        ("+ Về tiêu chuẩn", True),
        ("2.1. Đợt 1: Trong tháng 12/2025", True),
        ("a) Nội dung kiểm tra", True),
        ("Cơ quan chủ trì: Phòng Kinh tế", True),
        ("Thời gian hoàn thành: Trước 15/11/2026", True),
        ("-NQ/TW của Bộ Chính trị", False),  # a symbol broken after its hyphen
        ("2026. Đẩy mạnh các hoạt động", False),  # a wrapped year, no item number
        ("bàn (phòng Kinh tế chuẩn bị).", False),
        ("Nội dung: hiệp thương", False),  # not a field of the vocabulary
    ],
)
def test_what_opens_a_paragraph(line: str, opens: bool) -> None:
    assert starts_new_paragraph(line) is opens


def test_an_upper_case_title_under_a_header_line_opens_a_paragraph() -> None:
    lines = [
        "Số: 27/KH-BCH Cửa Việt, ngày 06 tháng 7 năm 2026 và các nội dung khác của văn bản này",
        "KẾ HOẠCH",
        "Công tác quốc phòng, quân sự địa phương 6 tháng cuối năm 2026 của Ban Chỉ huy",
        "Quân sự xã",
    ]
    texts = [p.text for p in to_paragraphs(_blocks(*lines), hard_wrapped=True)]
    assert texts[1].startswith("KẾ HOẠCH") and not texts[0].endswith("KẾ HOẠCH")


def test_a_symbol_broken_after_its_letter_code_joins_without_a_space() -> None:
    lines = ["- Căn cứ Kế hoạch số 156/KH-", "UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh về chuyển đổi số."]
    assert to_paragraphs(_blocks(*lines), hard_wrapped=True)[0].text.endswith(
        "156/KH-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh về chuyển đổi số."
    )


def _spaced(*lines: str) -> list[Block]:
    """Blocks of plain text where a blank line stood before each block marked True."""
    blocks = []
    for n, (line, blank) in enumerate(lines, 1):  # type: ignore[misc]
        blocks.append(
            Block(kind="paragraph", text=line, prov=Provenance(source="t", line=n), break_before=blank)
        )
    return blocks


def test_a_blank_line_ends_a_paragraph_unless_the_sentence_goes_on() -> None:
    long = "Tổ chức hội nghị tổng kết công tác năm 2026 của Ủy ban nhân dân phường và các"
    blocks = _spaced(
        (long, False),
        ("đơn vị trực thuộc trên địa bàn.", False),
        ("Thu nhập bình quân đầu người trên địa bàn năm 2026 so với năm 2025 tăng bình quân", False),
        (
            "15% trở lên, giảm nghèo bền vững theo chuẩn đa chiều.",
            True,
        ),  # goes on: a blank line in a sentence
        ("Giữ vững 100% số trường học đạt chuẩn quốc gia và mở rộng mạng lưới trường lớp trên", False),
        ("Số: 45/CTr-UBND", True),  # an upper-case start after a blank line: a new paragraph
    )
    texts = [p.text for p in to_paragraphs(blocks, hard_wrapped=True)]
    assert texts[0].endswith("trên địa bàn.") and texts[1].endswith("theo chuẩn đa chiều.")
    assert texts[-1] == "Số: 45/CTr-UBND"
