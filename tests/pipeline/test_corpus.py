"""The real documents of ../shared/corpus, read in place: Công Hải programs and Lương Minh plans."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path
from vanban.extractors import doc
from vanban.pipeline.extract import extract_file
from vanban.schemas.records import ExtractionResult, TaskRecord


def _result(*parts: str) -> ExtractionResult:
    return extract_file(shared_path("corpus", *parts))


def _task(result: ExtractionResult, start: str) -> TaskRecord:
    found = [t for t in result.tasks if t.text.startswith(start)]
    assert found, f"no task starting {start!r}"
    return found[0]


def test_conghai_whole_term_program() -> None:
    result = _result("conghai", "conghai_22-CTr-DU_2025_chuong_trinh_cong_tac_toan_khoa.txt")
    document = result.document
    assert document.draft and document.symbol == "-CTr/ĐU"
    assert document.issuer == "Đảng ủy xã Công Hải" and document.year == 2025
    assert len(result.tasks) >= 35
    # "1. Quý IV, năm 2025" heads an item; its assignment line's "trình trong tháng 12/2025"
    # gives the month, and names no day, so no deadline (contract).
    education = _task(result, "Nghị quyết về nâng cao chất lượng giáo dục")
    assert education.quarter == 4 and education.year == 2025
    assert education.deadline is None and education.month == 12
    assert education.lead_units == ["Đảng ủy Ủy ban nhân dân xã"]
    # Glued "Văn phòng Đảng uỷchủtrì, phối hợp UBKT Đảng uỷtham mưu, trình trong tháng 4/2026".
    corruption = _task(result, "Nghị quyết về tăng cường sự lãnh đạo của Đảng đối với công tác phòng")
    assert corruption.deadline is None and (corruption.month, corruption.year) == (4, 2026)
    assert corruption.lead_units == ["Văn phòng Đảng ủy"]
    assert corruption.support_units == ["Ủy ban Kiểm tra Đảng ủy"]
    # "3. Năm 2028" then an unnumbered item: the year of the period, not the document's.
    review = _task(result, "Sơ kết giữa nhiệm kỳ")
    assert review.year == 2028
    # Quarter periods in the assignment line ("trong Quý I/2026").
    # The assignment line joined onto the item by the hard-wrapped layer is cut off again.
    ethnic = _task(result, "Nghị quyết về phát triển kinh tế- xã hội vùng đồng bào")
    assert ethnic.text.endswith("giai đoạn 2026 – 2030")
    assert ethnic.lead_units == ["Đảng ủy Ủy ban nhân dân xã"]
    assert ethnic.support_units == ["Các cơ quan, đơn vị liên quan"]
    assert ethnic.deadline is None and (ethnic.month, ethnic.year) == (1, 2026)
    congress = _task(result, "Tập trung lãnh đạo, chỉ đạo tổ chức học tập")
    assert congress.deadline_text == "Quý I/2026" and congress.lead_units == ["Ban Xây dựng Đảng"]


def test_conghai_signature_stamp_and_header_locality() -> None:
    result = _result("conghai", "conghai_12-KH-DU_2025_ke_hoach_lam_viec_TCCSD.txt")
    assert result.document.issuer == "Đảng ủy xã Công Hải"
    assert not any("10:55" in t.text for t in result.tasks)


def test_luongminh_plan_with_field_lines() -> None:
    result = _result("luongminh", "luongminh_18-11-KH_thuc_hien_cong_tac_bau_cu_Luong_Minh_.docx")
    assert result.document.symbol == "16/KH-MTTQ-BTT"
    assert str(result.document.issued_on) == "2025-11-18"
    assert len(result.tasks) >= 15
    first = _task(result, "Xây dựng và ban hành Hướng dẫn của Ban Thường trực")
    assert first.item == "1.1"
    assert first.lead_units == ["Phó Chủ tịch Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã"]
    assert first.deadline is None and (first.month, first.year) == (11, 2025)  # "Trong tháng 11/2025"
    propaganda = _task(result, "Ban hành kế hoạch tuyên truyền bầu cử")
    assert propaganda.deadline_text == "Quý IV/2025." and propaganda.deadline is None
    timed = [t for t in result.tasks if t.deadline_text]
    assert len(timed) >= 12
    # Sub-points between an item and its field lines are not tasks of their own.
    assert not any(t.text.startswith("Bảo đảm thống nhất với hướng dẫn") for t in result.tasks)


@pytest.mark.skipif(doc.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_luongminh_doc_resolution() -> None:
    result = _result("luongminh", "luongminh_99_2025_NQ-HDND_685704.doc")
    assert result.document.status == "ok"
    assert result.document.symbol == "99/2025/NQ-HĐND"
    assert str(result.document.issued_on) == "2025-12-16"


def test_conghai_action_program_appendix_table() -> None:
    # The appendix after the signature is a table the text layer flattened to one cell per line.
    result = _result("conghai", "conghai_23-CTr-DU_2025_chuong_trinh_hanh_dong_NQDH.txt")
    assert result.document.year == 2025 and result.document.draft
    appendix = [t for t in result.tasks if t.provenance.table is not None]
    assert len(appendix) >= 28
    assert sum(1 for t in appendix if t.deadline_text) >= 28
    assert sum(1 for t in appendix if t.lead_units) >= 27
    result = result.model_copy(update={"tasks": appendix})  # the body names some of them too
    drugs = _task(result, "Nghị quyết về xây dựng xã Công hải trở thành xã không")
    assert drugs.deadline_text == "Quý IV/2025" and drugs.deadline is None and drugs.quarter is None
    assert drugs.lead_units == ["Đảng ủy Ủy ban nhân dân xã"] and drugs.support_units == ["Công an xã"]
    drill = _task(result, "Lãnh đạo, chỉ đạo công tác diễn tập")
    assert drill.support_units == ["Ban Chỉ huy Quân sự"]
    assert drill.deadline_text == "Theo chỉ đạo của tỉnh" and drill.deadline is None
    council = _task(result, "Nghị quyết nâng cao chất lượng hoạt động của Hội đồng")
    assert council.lead_units == ["Thường trực HĐND"] and council.deadline_text == "Quý I/2026"


def _plan(name: str) -> ExtractionResult:
    matches = sorted(shared_path("corpus", "luongminh").glob(name))
    assert matches, name
    return extract_file(matches[0])


def test_luongminh_phases_give_items_their_span() -> None:
    # "1. Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026:" heads the checks below it;
    # "a) Nội dung Kiểm tra (Đối với Ban CTMT các thôn):" only labels them.
    result = _plan("luongminh_KH_Kiem_tra_giam_sat_*.docx")
    assert not any(t.text.startswith(("Đợt", "a)", "b)")) for t in result.tasks)
    first = _task(result, "Kiểm tra việc tổ chức Hội nghị Ban công tác Mặt trận")
    assert (str(first.start), str(first.deadline)) == ("2025-12-05", "2026-02-20")
    # An item's own span wins over its phase's.
    nomination = _task(result, "Giám sát việc giới thiệu người ứng cử tại các cơ quan")
    assert (str(nomination.start), str(nomination.deadline)) == ("2025-12-17", "2026-01-25")
    second = _task(result, "Giám sát việc giải quyết khiếu nại về danh sách cử tri")
    assert str(second.deadline) == "2026-03-14"
    # No item names a body: the one the plan says draws it up is its owner, not a stated lead.
    assert first.lead_units == [] and first.owner_units == ["Ban Thường trực Ủy ban MTTQ"]
    assert [u.basis for u in first.units] == ["plan_subject"]


def test_luongminh_duties_are_provisions_not_tasks() -> None:
    # "V. TỔ CHỨC THỰC HIỆN / 2. Đề nghị Ủy ban nhân dân xã phối hợp / - Chỉ đạo ...": the plan's
    # provisions, which the contract keeps out of the tasks; the plan's own items stay.
    result = _plan("luongminh_Ke_hoach_to_chuc_Ke_hoach_to_chuc_HN_lay_y_kien*.docx")
    assert not any(t.text.startswith("Chỉ đạo các bộ phận chuyên môn, Công an xã") for t in result.tasks)
    assert len(result.tasks) >= 20


def test_luongminh_slogans_and_details_are_not_tasks() -> None:
    result = _plan("luongminh_KH_Tieu_ban_*.docx")
    assert not any(t.text.endswith("muôn năm!") for t in result.tasks)
    # "+ Về tiêu chuẩn: ..." spells out "- Tuyên truyền tiêu chuẩn, ..., cụ thể:".
    assert not any(t.text.startswith("Về tiêu chuẩn") for t in result.tasks)
    standards = _task(result, "Tuyên truyền tiêu chuẩn, cơ cấu, số lượng")
    assert "Về tiêu chuẩn" in standards.text
    december = _task(result, "Tuyên truyền Chỉ thị số")
    assert (december.month, december.year) == (12, 2025)
    assert december.owner_units == ["Tiểu ban Thông tin, Tuyên truyền, Khánh tiết"]


def test_conghai_plan_provisions_are_not_tasks() -> None:
    # "III. Tổ chức thực hiện / 1. Các tổ chức Đảng thực hiện ... trước ngày 20/9/2025" is a provision;
    # the work items sit under "II. Nội dung, hình thức và thời gian ..." and its "1. Nội dung:" groups.
    result = _result("conghai", "conghai_10-KH-DU_2025_ke_hoach_tong_ket_PCTNLPTC_PARTIAL.txt")
    assert not any(
        t.text.startswith(("Các tổ chức Đảng thực hiện", "Văn phòng Đảng uỷ chủ trì")) for t in result.tasks
    )
    standing = _task(result, "Ban Thường vụ Đảng uỷ chỉ đạo tổ chức xây dựng Báo cáo")
    assert standing.lead_units == ["Ban Thường vụ Đảng ủy"] and standing.section == "Hình thức và thời gian:"
    assert not any(t.text.startswith(("Nội dung:", "Hình thức và thời gian:")) for t in result.tasks)


def test_forms_appended_after_the_signature_are_not_tasks() -> None:
    result = _plan("luongminh_25-11-KH_*.docx")
    assert not any("……" in t.text for t in result.tasks)
    assert 8 <= len(result.tasks) <= 30


def test_word_footnotes_give_references_never_tasks() -> None:
    # The plan cites "Chỉ thị số 46-CT/TW" in a Word footnote.
    result = _plan("luongminh_KH_Tieu_ban_*.docx")
    cited = [r for r in result.references if r.symbol == "46-CT/TW"]
    assert cited and str(cited[0].issued_on) == "2025-05-16"
    assert not any(t.text.startswith("Chỉ thị số 46-CT/TW, ngày 16/5/2025") for t in result.tasks)
