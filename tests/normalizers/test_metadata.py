"""Metadata from headers, self-references, signatures and place names."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import shared_path
from vanban.extractors import extract
from vanban.layout.paragraphs import Paragraph, to_paragraphs
from vanban.normalizers.metadata import extract_metadata
from vanban.normalizers.places import find_locality, find_province
from vanban.schemas.blocks import Provenance


def _meta_of(stem: str):
    path = next(shared_path("seeds").glob(f"{stem}_*.txt"))
    raw = extract(path)
    return extract_metadata(to_paragraphs(raw.blocks, hard_wrapped=raw.hard_wrapped))


@pytest.mark.parametrize(
    ("stem", "doc_type", "province", "locality", "year"),
    [
        ("000", "Chương trình công tác", "Quảng Ninh", "phường Uông Bí", 2026),
        ("001", "Nghị quyết", "Quảng Ninh", "phường Uông Bí", 2026),
        ("002", "Chương trình công tác", "Hải Phòng", "phường Lê Ích Mộc", 2026),
        ("003", "Chương trình công tác", "Hải Phòng", "phường Đồ Sơn", 2026),
        ("004", "Chương trình công tác", "Lạng Sơn", None, 2026),
    ],
)
def test_seed_metadata(stem: str, doc_type: str, province: str, locality: str | None, year: int) -> None:
    meta = _meta_of(stem)
    assert (meta.doc_type, meta.province, meta.locality, meta.year) == (doc_type, province, locality, year)


def test_unnumbered_draft_header() -> None:
    meta = _meta_of("003")
    assert meta.draft is True
    assert meta.symbol == "-CTr/ĐU"
    assert meta.place == "Đồ Sơn"
    assert meta.issuer == "Đảng ủy phường Đồ Sơn"


def test_monthly_program_has_its_month() -> None:
    assert _meta_of("004").month == 1


def test_header_lines() -> None:
    lines = [
        "ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH",
        "Số: 16/KH-MTTQ-BTT",
        "Lương Minh, ngày 18 tháng 11 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI",
        "Căn cứ tình hình thực tế của xã Lương Minh, tỉnh Quảng Ninh;",
    ]
    paragraphs = [Paragraph(text=t, provs=[Provenance(source="x", line=n)]) for n, t in enumerate(lines, 1)]
    meta = extract_metadata(paragraphs)
    assert meta.doc_type == "Kế hoạch"
    assert meta.symbol == "16/KH-MTTQ-BTT" and meta.number == "16"
    assert meta.issued_on == dt.date(2025, 11, 18)
    assert meta.draft is False
    assert (meta.locality, meta.province) == ("xã Lương Minh", "Quảng Ninh")


def test_ward_names_are_checked_against_the_divisions_data() -> None:
    assert find_locality("công tác của phường Văn hóa mới") is None
    locality = find_locality("Đảng ủy xã Công Hải, tỉnh Khánh Hoà")
    assert locality is not None and locality.province == "Khánh Hòa"
    assert find_province("Ủy ban nhân dân thành phố Uông Bí") is None


@pytest.mark.parametrize(
    ("title", "doc_type", "month"),
    [
        ("CHƯƠNG TRÌNH CÔNG TÁC THÁNG 10 NĂM 2026", "Chương trình công tác", 10),
        ("LỊCH CÔNG TÁC TUẦN 42 NĂM 2026", "Lịch công tác", None),
        ("KẾ HOẠCH", "Kế hoạch", None),
        ("CHƯƠNG TRÌNH CÔNG TÁC THÁNG 3 NĂM 2026", "Chương trình công tác", 3),
    ],
)
def test_titles_give_type_and_month(title: str, doc_type: str, month: int | None) -> None:
    lines = [
        "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG GAI",
        title,
        "Thực hiện Chương trình công tác năm 2026 tháng 02/2026;",
    ]
    meta = extract_metadata([Paragraph(text=line) for line in lines])
    assert (meta.doc_type, meta.month) == (doc_type, month)
    assert meta.title == title  # the grounds below a full title are not part of it


def test_own_number_after_the_issuer_column_on_one_line() -> None:
    lines = [
        "BAN CHỈ HUY QUÂN SỰ Độc lập - Tự do - Hạnh phúc Số: 27/KH-BCH Cửa Việt, ngày 06 tháng 7 năm 2026"
    ]
    assert extract_metadata([Paragraph(text=line) for line in lines]).symbol == "27/KH-BCH"


def test_a_word_header_with_soft_line_breaks_is_read_line_by_line() -> None:
    # python-docx gives a paragraph's soft breaks (w:br) as "\n": the issuer line is one of them.
    lines = [
        "ĐẢNG BỘ TỈNH ĐỒNG NAI\nĐẢNG ỦY XÃ PHÚ RIỀNG\n*\nSố 31-CTr/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM\nPhú Riềng, ngày 25 tháng 3 năm 2026",
        "CHƯƠNG TRÌNH",
        "Công tác quý II năm 2026 của Ban Thường vụ Đảng ủy xã",
    ]
    meta = extract_metadata([Paragraph(text=line) for line in lines])
    assert (meta.locality, meta.locality_kind, meta.place) == ("xã Phú Riềng", "xã", "Phú Riềng")
    assert meta.issuer == "Đảng ủy xã Phú Riềng"
    assert meta.symbol == "31-CTr/ĐU" and str(meta.issued_on) == "2026-03-25"


def test_the_national_heading_is_no_commune() -> None:
    lines = [
        "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾ HOẠCH",
        "Tổ chức các hoạt động năm 2026",
    ]
    meta = extract_metadata([Paragraph(text=line) for line in lines])
    assert meta.locality is None
