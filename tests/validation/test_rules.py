"""Each rule: a positive case (it fires) and a negative case (it stays quiet)."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from tests.validation.conftest import HEADER, codes, seed_findings
from vanban.validation import Finding
from vanban.validation.rules.structure import suggest_unit

Lint = Callable[..., list[Finding]]

TABLE = "TT\tNội dung\tChủ trì\tThời gian xong trước ngày\n"


def program(rows: str, month: str = "Tháng 3/2026") -> str:
    return (
        HEADER + "CHƯƠNG TRÌNH\nCông tác năm 2026 của Ủy ban nhân dân phường\n"
        "I. CHƯƠNG TRÌNH CÔNG TÁC\n" + TABLE + f"{month}\t\t\t\n" + rows
    )


ROWS_OK = (
    "1\tRa quân huấn luyện năm 2026\tBCH Quân sự\t05/3/2026\n"
    "2\tGiao quân năm 2026\tBCH Quân sự\t10/3/2026\n"
    "3\tBáo cáo kết quả tiếp công dân quý I năm 2026\tVăn phòng HĐND và UBND\t15/3/2026\n"
    "4\tĐánh giá nhiệm vụ thu ngân sách\tPhòng Kinh tế, Hạ tầng và Đô thị\t20/3/2026\n"
    "5\tSơ kết kế hoạch phòng, chống ma túy\tCông an phường\t25/3/2026\n"
)
YEAR_2026 = "CHƯƠNG TRÌNH\nCông tác năm 2026\n"


# ------------------------------------------------------------------ structure


def test_vb101_program_without_tasks(lint: Lint) -> None:
    text = HEADER + "CHƯƠNG TRÌNH\nCông tác năm 2026 của Ủy ban nhân dân phường\nNơi nhận:\n- Lưu: VT.\n"
    assert codes(lint(text, "VB101")) == ["VB101"]
    assert codes(lint(program(ROWS_OK), "VB101")) == []


def test_vb102_vb103_numbering(lint: Lint) -> None:
    gap = (
        ROWS_OK.replace("3\tBáo cáo", "6\tBáo cáo")
        .replace("4\tĐánh giá", "7\tĐánh giá")
        .replace("5\tSơ kết", "8\tSơ kết")
    )
    found = lint(program(gap), "VB10")
    assert codes(found) == ["VB102"]
    assert "thiếu 3, 4, 5" in found[0].message
    dup = ROWS_OK.replace("3\tBáo cáo", "2\tBáo cáo").replace("4\tĐánh giá", "3\tĐánh giá")
    assert codes(lint(program(dup), "VB103")) == ["VB103"]
    assert codes(lint(program(ROWS_OK), "VB102")) == []
    assert codes(lint(program(ROWS_OK), "VB103")) == []


def test_vb102_sub_items_and_restarts_are_not_gaps() -> None:
    # Seed 002 numbers 10, 10.1 ... 10.7, 11 and restarts at 1 every month.
    assert [f.line for f in seed_findings("002", "VB102")] == [113]
    assert seed_findings("002", "VB103") == []


def test_vb104_task_without_lead(lint: Lint) -> None:
    rows = ROWS_OK.replace("Giao quân năm 2026\tBCH Quân sự", "Giao quân năm 2026\t")
    found = lint(program(rows), "VB104")
    assert codes(found) == ["VB104"]
    assert "Giao quân" in found[0].excerpt
    assert lint(program(ROWS_OK), "VB104") == []


def test_vb104_quiet_where_no_task_names_a_lead() -> None:
    # Seed 004 is a list of priorities with no lead units at all; seed 002's priorities too.
    assert seed_findings("004", "VB104") == []
    assert [f.line for f in seed_findings("002", "VB104")] == [76]


def test_vb105_unknown_unit_with_suggestion(lint: Lint) -> None:
    text = (
        HEADER + "CHƯƠNG TRÌNH\nCông tác năm 2026\nI. NHIỆM VỤ\n1. Tháng 3/2026\n"
        "- Kế hoạch tuyên truyền năm 2026 (Phòng Văn hoá Thông tin chuẩn bị).\n"
    )
    found = lint(text, "VB105")
    assert codes(found) == ["VB105"]
    assert "Phòng Văn hóa - Xã hội" in found[0].message
    assert seed_findings("000", "VB105") == []


def test_suggest_unit_tolerates_missing_diacritics() -> None:
    assert suggest_unit("Van phong Dang uy") == "Văn phòng Đảng ủy"
    assert suggest_unit("Trường hợp kết quả") is None


# ------------------------------------------------------------------ dates


def test_vb201_impossible_date(lint: Lint) -> None:
    rows = ROWS_OK.replace("05/3/2026", "31/02/2026")
    found = lint(program(rows), "VB201")
    assert codes(found) == ["VB201"]
    assert "31/02/2026" in found[0].message
    assert lint(program(ROWS_OK), "VB201") == []
    assert lint(HEADER + "Hoàn thành trước ngày 29/02/2028.\n", "VB201") == []  # leap year


def test_vb202_deadline_outside_month(lint: Lint) -> None:
    rows = ROWS_OK.replace("10/3/2026", "10/5/2026")
    assert codes(lint(program(rows), "VB202")) == ["VB202"]
    assert lint(program(ROWS_OK), "VB202") == []
    assert [f.line for f in seed_findings("002", "VB202")] == [125]


def test_vb203_year_mismatch(lint: Lint) -> None:
    found = lint(program(ROWS_OK.replace("05/3/2026", "05/3/2025"), month="Tháng 3/2025"), "VB20")
    # The heading; the deadline is judged against the issue date (VB204) when there is one.
    assert codes(found) == ["VB203", "VB204"]
    undated = program(ROWS_OK.replace("05/3/2026", "05/3/2025"), month="Tháng 3/2025").replace(HEADER, "")
    assert codes(lint(undated, "VB203")) == ["VB203", "VB203"]  # the heading and the deadline
    assert lint(program(ROWS_OK), "VB203") == []


def test_vb203_accepts_a_deadline_late_in_the_previous_year() -> None:
    # Seed 001 (a resolution for 2026, citing documents of 12/2025) sets 31/12/2025: plausible.
    assert seed_findings("001", "VB203") == []


def test_vb204_deadline_before_issue(lint: Lint) -> None:
    rows = ROWS_OK.replace("05/3/2026", "15/12/2025")
    found = lint(program(rows), "VB204")
    assert codes(found) == ["VB204"]
    assert "29/12/2025" in found[0].message
    assert lint(program(ROWS_OK), "VB204") == []


def test_vb205_reversed_range(lint: Lint) -> None:
    text = HEADER + "Tổ chức tuyên truyền từ ngày 20/3/2026 đến ngày 10/3/2026; giai đoạn 2030 - 2026.\n"
    assert codes(lint(text, "VB205")) == ["VB205", "VB205"]
    ok = (
        HEADER
        + "Tổ chức từ ngày 10/3/2026 đến ngày 20/3/2026, các ngày 10-20/3/2026, giai đoạn 2026 - 2030.\n"
    )
    assert lint(ok, "VB205") == []


# ------------------------------------------------------------------ references


def test_vb301_malformed_symbol(lint: Lint) -> None:
    assert [f.line for f in seed_findings("002", "VB301")] == [87]
    found = lint(HEADER + "Thực hiện Nghị quyết 57/NQ-TW và Nghị quyết 71-NQ/CP.\n", "VB301")
    assert [f.message.split('"')[3] for f in found] == ["57-NQ/TW", "71/NQ-CP"]
    assert lint(HEADER + "Thực hiện Nghị quyết số 57-NQ/TW và Nghị quyết số 71/NQ-CP.\n", "VB301") == []


def test_vb302_cited_after_document(lint: Lint) -> None:
    text = HEADER + "Căn cứ Kế hoạch số 09-KH/TU ngày 11/01/2026 của Ban Thường vụ Tỉnh ủy;\n"
    found = lint(text, "VB302")
    assert codes(found) == ["VB302"]
    assert "29/12/2025" in found[0].message  # the issue date is the limit
    assert lint(text.replace("11/01/2026", "11/12/2025"), "VB302") == []
    assert [f.line for f in seed_findings("004", "VB302")] == [165, 167]


def test_vb303_one_symbol_two_dates(lint: Lint) -> None:
    text = (
        HEADER + "Căn cứ Kế hoạch số 09-KH/TU ngày 11/12/2025 của Tỉnh ủy;\n"
        "Triển khai Kế hoạch số 09-KH/TU ngày 11/12/2025; sơ kết Kế hoạch số 09-KH/TU ngày 12/11/2025.\n"
    )
    found = lint(text, "VB303")
    assert codes(found) == ["VB303"]
    assert "12/11/2025" in found[0].excerpt
    assert lint(text.replace("12/11/2025", "11/12/2025"), "VB303") == []


def test_vb304_conflict_with_database(lint: Lint, tmp_path) -> None:
    db = tmp_path / "refs.duckdb"
    con = duckdb.connect(str(db))
    con.execute('CREATE TABLE "references" (doc_id VARCHAR, symbol VARCHAR, issued_on DATE)')
    con.execute("INSERT INTO \"references\" VALUES ('other', '09-KH/TU', DATE '2025-12-11')")
    con.close()
    text = HEADER + "Căn cứ Kế hoạch số 09-KH/TU ngày 12/11/2025 của Tỉnh ủy;\n"
    assert codes(lint(text, "VB304", db_path=db)) == ["VB304"]
    assert lint(text.replace("12/11/2025", "11/12/2025"), "VB304", db_path=db) == []
    assert lint(text, "VB304") == []  # only with a database


def test_vb305_registry_date(lint: Lint) -> None:
    assert [f.line for f in seed_findings("004", "VB305")] == [167]
    text = HEADER + "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2025 của Bộ Chính trị.\n"
    found = lint(text, "VB305")
    assert codes(found) == ["VB305"] and "22/12/2024" in found[0].message
    # Seed 001 cites eight central documents, all with their true dates.
    assert seed_findings("001", "VB305") == []


def test_vb305_accepts_an_earlier_term_document(lint: Lint) -> None:
    # Party numbers restart each term: a 57-NQ/TW of 2019 is another document.
    text = HEADER + "Thực hiện Nghị quyết số 57-NQ/TW ngày 10/5/2019 của Ban Thường vụ.\n"
    assert lint(text, "VB305") == []


# ------------------------------------------------------------------ consistency


def test_vb401_term_length(lint: Lint) -> None:
    assert [f.line for f in seed_findings("002", "VB401")] == [20]
    assert [f.line for f in seed_findings("004", "VB401")] == [13]
    assert seed_findings("003", "VB401") == []  # 2025-2030, 2021-2026, 2026-2031 all five years
    assert lint(HEADER + "Đại hội chi bộ trực thuộc nhiệm kỳ 2025-2027.\n", "VB401") == []


def test_vb402_election_of_the_document_year(lint: Lint) -> None:
    found = seed_findings("003", "VB402")
    assert [f.line for f in found] == [83]
    assert "XVI" in found[0].message
    text = HEADER + "Bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2026-2031.\n"
    assert codes(lint(text, "VB402")) == ["VB402"]
    assert lint(text.replace("khóa XV ", "khóa XVI "), "VB402") == []
    # A clause about the previous election as a whole (legislature and term agree) is history.
    old = HEADER + "Nghị quyết về bầu cử đại biểu Quốc hội khóa XV và HĐND nhiệm kỳ 2021-2026 hết hiệu lực.\n"
    assert lint(old, "VB402") == []


def test_vb403_inconsistent_within_undated_document(lint: Lint) -> None:
    text = (
        "KẾ HOẠCH\nTriển khai bầu cử đại biểu Quốc hội khóa XVI.\n"
        "Chỉ đạo bầu cử đại biểu Quốc hội khóa XVI.\nTổng kết bầu cử đại biểu Quốc hội khóa XV.\n"
    )
    found = lint(text, "VB403")
    assert codes(found) == ["VB403"] and found[0].line == 4
    assert lint(text.replace("khóa XV.", "khóa XVI."), "VB403") == []


def test_vb404_anniversary_counts(lint: Lint) -> None:
    found = seed_findings("000", "VB404")
    assert [f.line for f in found] == [282] and "81" in found[0].message
    # Seed 002: 96, 80, 488, 51, 140, 71, 136, 79, 25, 37 and 82 years, all right.
    assert seed_findings("002", "VB404") == []
    wrong_range = (
        HEADER
        + YEAR_2026
        + "Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2026).\n"
    )
    assert codes(lint(wrong_range, "VB404")) == ["VB404"]
    assert codes(lint(HEADER + YEAR_2026 + "Kỷ niệm 50 năm ngày giải phóng miền nam.\n", "VB404")) == [
        "VB404"
    ]
    assert lint(HEADER + YEAR_2026 + "Kỷ niệm 51 năm ngày giải phóng miền nam.\n", "VB404") == []
    # Not anniversaries: periods of implementation, and a Party committee's own founding.
    quiet = (
        HEADER
        + YEAR_2026
        + "Sơ kết 04 năm thực hiện Nghị quyết giai đoạn 2022-2030; kỷ niệm 20 năm thành lập Đảng bộ tỉnh.\n"
    )
    assert lint(quiet, "VB404") == []


def test_vb405_anniversary_wording(lint: Lint) -> None:
    assert [f.line for f in seed_findings("002", "VB405")] == [183]
    assert lint(HEADER + "Chào mừng 44 năm ngày Nhà giáo Việt Nam (20/11).\n", "VB405") == []


# ------------------------------------------------------------------ header


def test_vb501_vb502_missing_header(lint: Lint) -> None:
    bare = "CHƯƠNG TRÌNH\nCông tác năm 2026\n"
    assert codes(lint(bare, "VB50")) == ["VB501", "VB502"]
    assert lint(HEADER + bare, "VB50") == []


def test_vb503_blank_number_and_day() -> None:
    found = seed_findings("003", "VB50")
    assert [(f.code, f.line) for f in found] == [("VB503", 4), ("VB503", 6)]


@pytest.mark.parametrize("lang, word", [("vi", "Nhiệm kỳ"), ("en", "Term")])
def test_messages_in_both_languages(lint: Lint, lang: str, word: str, tmp_path) -> None:
    from vanban.validation import ValidateConfig, validate_file

    path = tmp_path / "t.txt"
    path.write_text(HEADER + "Bầu cử HĐND nhiệm kỳ 2026-2034.\n", encoding="utf-8")
    found = validate_file(path, ValidateConfig(select=["VB401"], lang=lang))
    assert found[0].message.startswith(word)
