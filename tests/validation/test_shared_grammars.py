"""Rules read dates, markers and months through the shared grammars: what that changed, with negatives.

Invented documents. Each case names the behaviour that differs from the private
patterns validation used before (see vanban.validation.mentions).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.validation.conftest import HEADER, codes
from vanban.validation import Finding

Lint = Callable[..., list[Finding]]

YEAR_2026 = HEADER + "CHƯƠNG TRÌNH\nCông tác năm 2026\n"
YEAR_2028 = HEADER + "CHƯƠNG TRÌNH\nCông tác năm 2028\n"
UNDATED = "UBND PHƯỜNG HÒA BÌNH\n"


def _messages(found: list[Finding]) -> list[str]:
    return [f.message for f in found]


# ------------------------------------------------------------------ VB201


def test_vb201_reads_dates_written_with_dashes_dots_and_weekdays(lint: Lint) -> None:
    text = YEAR_2026 + (
        "- Hoàn thành trước ngày 31-02-2026.\n- Báo cáo ngày 31.4.2026.\n- Lịch trực: Thứ Hai (31/9).\n"
    )
    found = lint(text, "VB201")
    assert _messages(found) == [
        "Ngày không tồn tại: 31-02-2026",
        "Ngày không tồn tại: 31.4.2026",
        "Ngày không tồn tại: Thứ Hai (31/9)",
    ]
    ok = YEAR_2026 + "- Hoàn thành trước ngày 28-02-2026.\n- Báo cáo ngày 30.4.2026.\n- Thứ Hai (28/9).\n"
    assert lint(ok, "VB201") == []


def test_vb201_judges_a_day_without_year_in_the_documents_year(lint: Lint) -> None:
    line = "- Kiểm tra ngày 29/2 tại các khu phố.\n"
    assert _messages(lint(YEAR_2026 + line, "VB201")) == ["Ngày không tồn tại: 29/2"]
    assert lint(YEAR_2028 + line, "VB201") == []  # 2028 is a leap year


# ------------------------------------------------------------------ VB205


def test_vb205_reads_ranges_of_dotted_dates(lint: Lint) -> None:
    assert codes(lint(YEAR_2026 + "- Tổ chức 20.3.2026 - 10.3.2026.\n", "VB205")) == ["VB205"]
    assert lint(YEAR_2026 + "- Tổ chức 10.3.2026 - 20.3.2026.\n", "VB205") == []


def test_vb205_a_short_range_across_the_new_year_is_not_reversed(lint: Lint) -> None:
    assert lint(YEAR_2026 + "- Trực Tết từ 20/12 đến 10/01/2027.\n", "VB205") == []
    found = lint(YEAR_2026 + "- Tổ chức từ 20/3 đến 10/3/2026.\n", "VB205")
    assert _messages(found) == ["Khoảng thời gian đảo ngược: từ 20/3 đến 10/3/2026"]


# ------------------------------------------------------------------ the month of a monthly program


CITES_NOVEMBER = "Căn cứ Kế hoạch số 09-KH/TU ngày 15/11/2026 của Ban Thường vụ Tỉnh ủy;\n"
TASK = "1. Tổ chức hội nghị sơ kết (Văn phòng chuẩn bị).\n"


def test_vb302_a_monthly_program_whose_title_writes_the_month_in_words(lint: Lint) -> None:
    # Undated: the document cannot be later than the end of its month.
    for title in ("CHƯƠNG TRÌNH CÔNG TÁC THÁNG 10 NĂM 2026", "CHƯƠNG TRÌNH CÔNG TÁC THÁNG MƯỜI NĂM 2026"):
        text = UNDATED + title + "\ncủa Ủy ban nhân dân phường\n" + CITES_NOVEMBER + TASK
        found = lint(text, "VB302")
        assert codes(found) == ["VB302"], title
        assert "31/10/2026" in found[0].message
    november = UNDATED + "CHƯƠNG TRÌNH CÔNG TÁC THÁNG 11 NĂM 2026\ncủa Ủy ban nhân dân phường\n"
    assert lint(november + CITES_NOVEMBER + TASK, "VB302") == []


def test_vb302_a_month_heading_does_not_make_a_yearly_program_monthly(lint: Lint) -> None:
    text = (
        UNDATED + "CHƯƠNG TRÌNH CÔNG TÁC NĂM 2026\ncủa Ủy ban nhân dân phường\n"
        "Căn cứ Kế hoạch số 09-KH/TU ngày 10/3/2026 của Ban Thường vụ Tỉnh ủy;\n"
        "I. CÔNG TÁC THÁNG 01/2026\n" + TASK
    )
    assert lint(text, "VB302") == []  # the limit is the end of 2026, not of January
    later = text.replace("10/3/2026", "10/3/2027")
    assert codes(lint(later, "VB302")) == ["VB302"]


# ------------------------------------------------------------------ the period a title names (VB203)


def test_vb203_the_title_period_ends_where_the_body_opens(lint: Lint) -> None:
    task = "1. Xây dựng Đề án chuyển đổi số, hoàn thành trước ngày 30/6/2029 (Văn phòng Đảng ủy chuẩn bị).\n"
    whole_term = (
        "ĐẢNG ỦY PHƯỜNG HÒA BÌNH\nCHƯƠNG TRÌNH\nCông tác toàn khóa của Đảng ủy phường, nhiệm kỳ 2025 - 2030\n"
        "- Căn cứ Nghị quyết Đại hội Đảng bộ phường;\nI. NHIỆM VỤ\n" + task
    )
    assert lint(whole_term, "VB203") == []  # 2029 is inside the term the title names
    # The same span after "- Căn cứ" (a dash marker, then the basis) is the body's, not the title's.
    yearly = (
        "ĐẢNG ỦY PHƯỜNG HÒA BÌNH\nCHƯƠNG TRÌNH\nCông tác năm 2026 của Đảng ủy phường\n"
        "- Căn cứ Nghị quyết Đại hội Đảng bộ phường nhiệm kỳ 2025 - 2030;\nI. NHIỆM VỤ\n" + task
    )
    assert codes(lint(yearly, "VB203")) == ["VB203"]


# ------------------------------------------------------------------ VB503


def test_vb503_a_blank_day_written_with_underscores(lint: Lint) -> None:
    draft = "UBND PHƯỜNG HÒA BÌNH\nSố: 12/CTr-UBND\nHòa Bình, ngày __ tháng __ năm 2025\nCHƯƠNG TRÌNH\n"
    assert codes(lint(draft, "VB50")) == ["VB503"]
    assert lint(draft.replace("ngày __ tháng __", "ngày 29 tháng 12"), "VB50") == []


def test_vb503_a_blank_number_is_read_by_the_symbol_grammar(lint: Lint) -> None:
    for blank in ("Số: /KH-UBND", "Số -CTr/ĐU", "Số: /KH-MTTQ-BTT"):
        head = f"UBND PHƯỜNG HÒA BÌNH\n{blank}\nHòa Bình, ngày 29 tháng 12 năm 2025\nKẾ HOẠCH\n"
        found = lint(head, "VB50")
        assert codes(found) == ["VB503"] and found[0].line == 2, blank
    assert lint(head.replace(blank, "Số: 12/KH-MTTQ-BTT"), "VB50") == []


# ------------------------------------------------------------------ VB301


def test_vb301_reads_symbols_with_the_symbol_grammar(lint: Lint) -> None:
    text = HEADER + (
        "Thực hiện NQ12-NQ/TW, NQ 13-NQ/TW; Nghị quyết 57/NQ-TƯ, Kế hoạch 09/Ctr-ĐU, Nghị quyết 12-NQ/UBTVQH15.\n"
    )
    found = [f.message.split('"')[1:4:2] for f in lint(text, "VB301")]
    # The expected symbol is the grammar's canonical one (aliases TƯ -> TW, Ctr -> CTr).
    assert found == [
        ["NQ12-NQ/TW", "12-NQ/TW"],
        ["NQ 13-NQ/TW", "13-NQ/TW"],
        ["57/NQ-TƯ", "57-NQ/TW"],
        ["09/Ctr-ĐU", "09-CTr/ĐU"],
        ["12-NQ/UBTVQH15", "12/NQ-UBTVQH15"],
    ]
    ok = HEADER + "Thực hiện 57-NQ/TW, 71/NQ-CP, 27/2025/QĐ-TTg, 22-QĐi/TW; tỷ lệ 3/4 KH-ĐU; mã QH-15.\n"
    assert lint(ok, "VB301") == []


def test_vb301_the_documents_own_number_is_checked_too(lint: Lint) -> None:
    own = "UBND PHƯỜNG HÒA BÌNH\nSố: 12-KH/UBND\nHòa Bình, ngày 29 tháng 12 năm 2025\nKẾ HOẠCH\n"
    assert [f.line for f in lint(own, "VB301")] == [2]
    assert lint(own.replace("12-KH/UBND", "12/KH-UBND"), "VB301") == []


def test_vb105_skips_people(lint: Lint) -> None:
    text = (
        HEADER + "CHƯƠNG TRÌNH\nCông tác năm 2026\nI. NHIỆM VỤ\n1. Tháng 3/2026\n"
        "- Kế hoạch tuyên truyền năm 2026 (đồng chí Phó Chủ tịch phụ trách chuẩn bị).\n"
    )
    assert lint(text, "VB105") == []
