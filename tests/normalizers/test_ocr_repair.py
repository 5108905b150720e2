"""OCR slip repairs: each fixes its slip and leaves correct document text alone."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from vanban.normalizers.ocr_repair import (
    fix_dates,
    fix_lookalikes,
    fix_period_punctuation,
    fix_symbols,
    fix_unit_names,
    repair,
    split_glued_abbreviations,
    strip_border_marks,
)


def test_icelandic_eth_becomes_vietnamese_d() -> None:
    assert fix_lookalikes("ÐẢNG BỘ PHƯỜNG") == "ĐẢNG BỘ PHƯỜNG"
    assert fix_lookalikes("ðồng") == "đồng"
    assert fix_lookalikes("03⁄11/2026") == "03/11/2026"  # fraction slash


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("| Phòng Văn hóa - Xã | hội", "Phòng Văn hóa - Xã hội"),
        ("NQ12-NQ/TW__ về xây dựng", "NQ12-NQ/TW về xây dựng"),
        ("37/KH-UBND_ ngày 22/9/2025", "37/KH-UBND ngày 22/9/2025"),
        ("_ Phòng Kinh tế ¬", "Phòng Kinh tế"),
        ("hội |.", "hội."),
    ],
)
def test_border_remnants_are_dropped(ocr: str, fixed: str) -> None:
    assert strip_border_marks(ocr) == fixed


def test_underscores_inside_a_word_stay() -> None:
    assert strip_border_marks("tep_dinh_kem.pdf") == "tep_dinh_kem.pdf"


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("Văn phòng HĐNDvà UBND", "Văn phòng HĐND và UBND"),
        ("Văn phòngHĐND và UBND", "Văn phòng HĐND và UBND"),
        ("Đảng uỷUBND xã", "Đảng uỷ UBND xã"),
    ],
)
def test_glued_abbreviations_are_split(ocr: str, fixed: str) -> None:
    assert split_glued_abbreviations(ocr) == fixed


@pytest.mark.parametrize("text", ["04/CTr-UBND", "27/2025/QĐ-TTg", "05-Ctr/ĐUK", "QyĐ", "TTg", "Phòng VH-XH"])
def test_symbols_and_mixed_case_codes_are_not_split(text: str) -> None:
    assert split_glued_abbreviations(text) == text


def test_invented_punctuation_after_a_period_word_goes() -> None:
    assert fix_period_punctuation("Tháng: 01/2026") == "Tháng 01/2026"
    assert fix_period_punctuation("Tháng; 4/2026") == "Tháng 4/2026"
    assert fix_period_punctuation("Quý: II/2026") == "Quý II/2026"
    # Real punctuation stays: no month/year follows.
    assert fix_period_punctuation("6 tháng, 9 tháng và năm") == "6 tháng, 9 tháng và năm"
    assert fix_period_punctuation("trong tháng: tổ chức hội nghị") == "trong tháng: tổ chức hội nghị"


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("Tháng O1/2026", "Tháng 01/2026"),
        ("trước ngày l5/01/2026", "trước ngày 15/01/2026"),
        ("ngày 2O/1O/2026", "ngày 20/10/2026"),
        ("03/1 1/2026", "03/11/2026"),
        ("ngày 22 / 12 / 2024", "ngày 22/12/2024"),
    ],
)
def test_letters_read_for_digits_in_dates(ocr: str, fixed: str) -> None:
    assert fix_dates(ocr) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "Quý I/2026",
        "quý II/2026",
        "IS/2026",
        "ngày 15/01/2026",
        "lần thứ II/2026",
        "10-20/3/2026",
        "O1/13/2026",
    ],
)
def test_dates_and_quarters_that_are_fine_stay(text: str) -> None:
    assert fix_dates(text) == text


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("Nghị quyết số 57-NQ/TVV", "Nghị quyết số 57-NQ/TW"),
        ("Nghị quyết số S7-NQ/TW", "Nghị quyết số 57-NQ/TW"),
        ("Kế hoạch l5/KH-UBND", "Kế hoạch 15/KH-UBND"),
        ("Kế hoạch 1O/KH-UBND", "Kế hoạch 10/KH-UBND"),
    ],
)
def test_symbol_slips(ocr: str, fixed: str) -> None:
    assert fix_symbols(ocr) == fixed


@pytest.mark.parametrize(
    "text", ["04/CTr-UBND", "27/2025/QĐ-TTg", "Phòng VH-XH", "COVID-19", "ISO-9001", "số 1155-QĐ/TU"]
)
def test_correct_symbols_and_words_stay(text: str) -> None:
    assert fix_symbols(text) == text


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("Phòng Văn hóa - Xã hồi", "Phòng Văn hóa - Xã hội"),
        ("phòng Văn hỏa - Xã hội chủ trì", "phòng Văn hóa - Xã hội chủ trì"),
        ("Phòng Kinh tế, Hạ tâng và Đô thị", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("Trung tâm Phục vụ hành chính cồng", "Trung tâm Phục vụ hành chính công"),
    ],
)
def test_marks_in_unit_names_follow_the_gazetteer(ocr: str, fixed: str) -> None:
    assert fix_unit_names(ocr) == fixed


def test_unit_names_keep_old_tone_placement_and_unrelated_words() -> None:
    # "hoá" is old-style placement, not a slip; "Văn hào" is not a unit name.
    assert fix_unit_names("Phòng Văn hoá - Xã hội") == "Phòng Văn hoá - Xã hội"
    assert fix_unit_names("nhà Văn hào Xã hồi") == "nhà Văn hào Xã hồi"
    # Too many words differ: not this unit.
    assert fix_unit_names("Phòng Vẫn hồa - Xã hồi") == "Phòng Vẫn hồa - Xã hồi"


def test_repair_combines_the_fixes() -> None:
    assert repair("| Báo cáo NQ12-NQ/TVV_ | Văn phòng HĐNDvà UBND | l5/3/2026") == (
        "Báo cáo NQ12-NQ/TW Văn phòng HĐND và UBND 15/3/2026"
    )


def test_correct_document_text_is_left_as_it_is() -> None:
    """Every cell of the born-digital canonical texts passes through unchanged."""
    folder = shared_path("fixtures", "canonical")
    changed = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for cell in line.split("\t"):
                cell = " ".join(cell.split())
                if cell and repair(cell) != cell:
                    changed.append((path.name, cell, repair(cell)))
    assert changed == []


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Chương trình số 15-CTr/ĐĐU ngày 10/01/2026", "Chương trình số 15-CTr/ĐU ngày 10/01/2026"),
        ("Kế hoạch số 37/KH-UBBND.", "Kế hoạch số 37/KH-UBND."),
        ("Nghị quyết số 57-NQ/TW", "Nghị quyết số 57-NQ/TW"),  # known code: unchanged
        ("mã ĐĐU không phải ký hiệu", "mã ĐĐU không phải ký hiệu"),  # no number: not a symbol
        ("Văn bản 12/ABBC", "Văn bản 12/ABBC"),  # no known code once undoubled
    ],
)
def test_a_letter_read_twice_in_an_issuer_code(read: str, meant: str) -> None:
    assert repair(read) == meant
