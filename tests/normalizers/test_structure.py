"""Structure: periods, regions, items, table rows, shared unit lines, field lines."""

from __future__ import annotations

from vanban.normalizers.metadata import DocumentMeta
from vanban.normalizers.structure import extract_tasks
from vanban.normalizers.text import Paragraph
from vanban.schemas.blocks import Provenance

META = DocumentMeta(doc_type="Chương trình công tác", year=2026, locality="phường Uông Bí")


def _paragraphs(*lines: str | list[str]) -> list[Paragraph]:
    out = []
    for n, line in enumerate(lines, 1):
        prov = Provenance(source="t.txt", line=n, start=n * 100, end=n * 100 + 50)
        if isinstance(line, list):
            out.append(Paragraph(text="\t".join(line), kind="table_row", cells=line, provs=[prov]))
        else:
            out.append(Paragraph(text=line, provs=[prov]))
    return out


def test_month_headings_and_trailing_unit_parentheticals() -> None:
    tasks = extract_tasks(
        _paragraphs(
            "UBND phường xây dựng Chương trình công tác năm 2026 cụ thể như sau:",
            "I. NHIỆM VỤ TRỌNG TÂM",
            "1. Tháng 01/2026",
            "- Kế hoạch bảo đảm an ninh trật tự năm 2026 (Công an phường chuẩn bị).",
            "2. Tháng 02/2026",
            "- Kế hoạch Thực hiện phong trào năm 2026 (phòng Văn hóa - Xã hội phối hợp với Công an phường chuẩn bị).",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Giao Văn phòng HĐND&UBND phường rà soát, tổng hợp báo cáo.",
        ),
        META,
        "t.txt",
    )
    assert [(t.month, t.text) for t in tasks] == [
        (1, "Kế hoạch bảo đảm an ninh trật tự năm 2026"),
        (2, "Kế hoạch Thực hiện phong trào năm 2026"),
    ]
    assert tasks[0].lead_units == ["Công an phường"]
    assert tasks[1].lead_units == ["Phòng Văn hóa - Xã hội"]
    assert tasks[1].support_units == ["Công an phường"]
    assert tasks[0].provenance.line == 4


def test_preamble_recipients_and_signature_hold_no_tasks() -> None:
    tasks = extract_tasks(
        _paragraphs(
            "- Căn cứ Quy chế làm việc của Ủy ban nhân dân phường;",
            "I. CHƯƠNG TRÌNH CÔNG TÁC",
            "1. Tập trung triển khai các giải pháp thu ngân sách.",
            "Nơi nhận:",
            "- UBND Thành phố;",
            "TM. ỦY BAN NHÂN DÂN",
        ),
        META,
        "t.txt",
    )
    assert [t.text for t in tasks] == ["Tập trung triển khai các giải pháp thu ngân sách"]
    assert tasks[0].month is None and tasks[0].year == 2026


def test_table_rows_use_header_columns() -> None:
    tasks = extract_tasks(
        _paragraphs(
            ["TT", "Nội dung", "Chủ trì", "Thời gian xong trước ngày"],
            ["Tháng 3/2026", "", "", ""],
            ["5", "Tập trung thực hiện công tác bầu cử", "Phòng VH-XH", "10-20/3/2026"],
            ["6", "Thực hiện Kế hoạch công tác bầu cử", "BCH Quân sự", "theo KH"],
            ["7", "Tổ chức cho Nhân dân đón Tết Nguyên đán", "", "17/02/2026"],
        ),
        META,
        "t.txt",
    )
    assert [t.item for t in tasks] == ["5", "6", "7"]
    first, second, third = tasks
    assert (first.month, str(first.start), str(first.deadline)) == (3, "2026-03-10", "2026-03-20")
    assert first.lead_units == ["Phòng Văn hóa - Xã hội"]
    assert second.deadline is None and second.deadline_text == "theo KH"
    assert second.lead_units == ["Ban Chỉ huy Quân sự"]
    assert third.lead_units == []


def test_shared_unit_line_applies_to_its_month_only() -> None:
    tasks = extract_tasks(
        _paragraphs(
            "II. BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG",
            "1. Tháng 1",
            "- Chỉ đạo công tác tuyển quân năm 2026.",
            "* Cơ quan chuẩn bị, phối hợp: Ủy ban nhân dân phường, Văn phòng Đảng ủy.",
            "2. Tháng 2",
            "- Một số nội dung khác theo Quy chế làm việc.",
        ),
        META,
        "t.txt",
    )
    assert tasks[0].month == 1
    assert tasks[0].lead_units == ["Ủy ban nhân dân phường", "Văn phòng Đảng ủy"]
    assert tasks[1].month == 2 and tasks[1].lead_units == []


def test_field_lines_of_a_plan_fill_the_item() -> None:
    meta = DocumentMeta(doc_type="Kế hoạch", year=2025, locality="xã Lương Minh", locality_kind="xã")
    tasks = extract_tasks(
        _paragraphs(
            "II. NỘI DUNG",
            "1. Tổ chức Hội nghị hiệp thương lần thứ nhất",
            "- Thời gian: trước ngày 05/12/2025.",
            "- Đơn vị chủ trì: Ban Thường trực Ủy ban MTTQ Việt Nam xã.",
            "- Đơn vị phối hợp: Ủy ban nhân dân xã.",
            "2. Tổng hợp danh sách người ứng cử",
        ),
        meta,
        "t.txt",
    )
    assert len(tasks) == 2
    assert str(tasks[0].deadline) == "2025-12-05"
    assert tasks[0].lead_units and tasks[0].support_units == ["Ủy ban nhân dân xã"]


def test_continuation_paragraphs_join_their_item_but_closing_statements_do_not() -> None:
    tasks = extract_tasks(
        _paragraphs(
            "I. TRỌNG TÂM CÔNG TÁC THÁNG 01/2026",
            "1. Tăng cường chuyển đổi số trên tất cả các lĩnh vực.",
            "Tập trung nâng cao chất lượng phục vụ người dân.",
            "UBND phường thông báo Chương trình công tác tháng 01/2026 để các cơ quan, đơn vị nắm thông tin.",
        ),
        META.model_copy(update={"month": 1}),
        "t.txt",
    )
    assert len(tasks) == 1
    assert tasks[0].text.endswith("Tập trung nâng cao chất lượng phục vụ người dân")
    assert tasks[0].month == 1


def test_resolution_keeps_only_dated_assignments() -> None:
    meta = DocumentMeta(doc_type="Nghị quyết", year=2026, locality="phường Uông Bí")
    tasks = extract_tasks(
        _paragraphs(
            "II- NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU",
            "1. Tiếp tục đẩy mạnh xây dựng, chỉnh đốn Đảng.",
            "III- TỔ CHỨC THỰC HIỆN",
            "Về thực hiện chủ đề công tác năm 2026: Giao UBND phường chỉ đạo xây dựng kế hoạch, hoàn thành "
            "trước ngày 31/12/2025. Định kỳ hàng quý tiến hành rà soát.",
        ),
        meta,
        "t.txt",
    )
    assert len(tasks) == 1
    assert tasks[0].text.endswith("hoàn thành trước ngày 31/12/2025")
    assert str(tasks[0].deadline) == "2025-12-31"
    assert tasks[0].lead_units == ["Ủy ban nhân dân phường"]


def test_starred_field_line_with_its_value_on_plus_lines() -> None:
    meta = DocumentMeta(doc_type="Kế hoạch", year=2025, locality="phường Bắc Cam Ranh")
    tasks = extract_tasks(
        _paragraphs(
            "III. NỘI DUNG KIỂM TRA, GIÁM SÁT",
            "2. Kiểm tra việc hiệp thương thỏa thuận về cơ cấu, thành phần người ứng cử",
            "- Đảm bảo thời gian, quy trình tổ chức hội nghị hiệp thương theo quy định.",
            "* Thời gian thực hiện:",
            "+ Đợt 1: Trong khoảng thời gian từ ngày 01/12/2025 đến ngày 14/12/2025.",
            "+ Đợt 3: Trong khoảng thời gian từ ngày 09/02/2026 đến ngày 20/02/2026.",
            "3. Giám sát việc lập, niêm yết danh sách cử tri",
        ),
        meta,
        "t.txt",
    )
    assert [t.item for t in tasks] == ["2", "3"]
    assert str(tasks[0].deadline) == "2026-02-20"


def test_date_led_bullet_and_subject_unit() -> None:
    meta = DocumentMeta(doc_type="Kế hoạch", year=2026, locality="xã Lương Minh", locality_kind="xã")
    tasks = extract_tasks(
        _paragraphs(
            "V. THỜI GIAN, ĐỊA ĐIỂM TỔ CHỨC TRIỂN KHAI",
            "- Từ ngày 05/02/2026 - 08/02/2026: Ban Thường trực Ủy ban MTTQ Việt Nam xã trao đổi với cơ quan có người ứng cử.",
        ),
        meta,
        "t.txt",
    )
    assert str(tasks[0].deadline) == "2026-02-08" and str(tasks[0].start) == "2026-02-05"
    assert (tasks[0].lead_units and "Mặt trận" in tasks[0].lead_units[0]) or "MTTQ" in tasks[0].lead_units[0]


def test_whole_term_program_with_starred_year_headings() -> None:
    # corpus conghai 24-CTr: "* Năm 2026: (02 cuộc ...)" then "- Về kiểm tra: 02 cuộc" then numbered items
    meta = DocumentMeta(
        doc_type="Chương trình kiểm tra, giám sát", year=2025, locality="xã Công Hải", locality_kind="xã"
    )
    tasks = extract_tasks(
        _paragraphs(
            "III. VỀ NỘI DUNG KIỂM TRA, GIÁM SÁT",
            "* Năm 2026: (02 cuộc kiểm tra, 02 cuộc giám sát)",
            "- Về kiểm tra: 02 cuộc",
            "1. Kiểm tra việc phòng, chống tham nhũng trên địa bàn xã. (Giao Uỷ ban Kiểm tra Đảng uỷ chủ trì, tham mưu)",
            "* Năm 2027: (02 cuộc kiểm tra)",
            "1. Kiểm tra công tác chuẩn bị Đại hội các chi bộ. (Giao Ban xây dựng Đảng chủ trì, tham mưu)",
        ),
        meta,
        "t.txt",
    )
    assert [(t.year, t.lead_units) for t in tasks] == [
        (2026, ["Ủy ban Kiểm tra Đảng ủy"]),
        (2027, ["Ban Xây dựng Đảng"]),
    ]
