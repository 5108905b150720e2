"""Text normalizer: cleanup, tone folding, glued syllables."""

from __future__ import annotations

import pytest

from vanban.normalizers.text import clean_line, fold, fold_tones


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("*** Nhiệm vụ trọng tâm**", "* Nhiệm vụ trọng tâm"),
        ("(*Ủy ban Kiểm tra Đảng ủy chuẩn bị*).", "(Ủy ban Kiểm tra Đảng ủy chuẩn bị)."),
        ("<u>1</u>", "1"),
        ("(<i>trình HĐND phường</i>)", "(trình HĐND phường)"),
        ("phòng Văn hóa -  xã hội\u00a0 ", "phòng Văn hóa - xã hội"),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Uỷ ban", "Ủy ban"),
        ("hoà giải", "hòa giải"),
        ("Đảng uỷ", "Đảng ủy"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Quý I", "Quý I"),
    ],
)
def test_fold_tones(old: str, new: str) -> None:
    assert fold_tones(old) == new


def test_fold_is_for_matching_only() -> None:
    assert fold("Văn phòng Đảng Uỷ") == fold("văn phòng đảng ủy")


# -- PDF text-layer repairs (corpus conghai) ---------------------------------

import pytest  # noqa: E402

from vanban.normalizers.text import is_signature_stamp, is_syllable, repair_spacing  # noqa: E402


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("Đảng uỷUBND xã chủtrì", "Đảng uỷ UBND xã chủ trì"),
        ("Tại Hội nghịtháng 3", "Tại Hội nghị tháng 3"),
        ("Chỉ thịsố50-CT/TW", "Chỉ thị số 50-CT/TW"),
        ("Trên cơ sởChương trình", "Trên cơ sở Chương trình"),
        ("đềnghịcác tổ chức", "đề nghị các tổ chức"),
        ("cán bộngười dân tộc", "cán bộ người dân tộc"),
        ("nhiệm kỳ2025 - 2030", "nhiệm kỳ 2025 - 2030"),
    ],
)
def test_repair_spacing_splits_glued_syllables(glued: str, fixed: str) -> None:
    assert repair_spacing(glued) == fixed


@pytest.mark.parametrize(
    "clean",
    [
        "kWh iPhone website",
        "QH15 MTTQVN TP.HCM",
        "ĐẢNG UỶ XÃ CÔNG HẢI",
        "nghiêng khuya Nguyễn quốc giữa người",
        "Raglai",
    ],
)
def test_repair_spacing_leaves_good_text_alone(clean: str) -> None:
    assert repair_spacing(clean) == clean


def test_syllables() -> None:
    assert is_syllable("người") and is_syllable("nghiêng") and is_syllable("quý")
    assert not is_syllable("chủtrì") and not is_syllable("thịsố")


def test_signature_stamp_is_not_content() -> None:
    assert is_signature_stamp("13-11-2025 15:27:48 +07:00")
    assert not is_signature_stamp("Công Hải, ngày 13-11-2025")
