"""Text normalizer: cleanup, tone folding, joining hard-wrapped lines."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from vanban.extractors import extract
from vanban.normalizers.text import clean_line, fold, fold_tones, looks_hard_wrapped, to_paragraphs
from vanban.schemas.blocks import Block, Provenance


def _blocks(*lines: str) -> list[Block]:
    return [
        Block(kind="paragraph", text=line, prov=Provenance(source="t", line=n))
        for n, line in enumerate(lines, 1)
    ]


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
