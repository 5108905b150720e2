"""Validation reads dates, markers and words through the shared grammars (vanban.validation.mentions).

Invented cases, each with negatives. The rule-level effects of these readings are
in test_shared_grammars.py.
"""

from __future__ import annotations

import pytest

from vanban.validation.mentions import (
    anniversary_context,
    blank_days,
    dated_years,
    impossible_dates,
    item_number,
    legislatures,
    opens_body,
    reversed_ranges,
    stated_span,
    year_spans,
)


def _texts(spans: list) -> list[str]:
    return [s.text for s in spans]


# ------------------------------------------------------------------ impossible dates


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("hoàn thành trước ngày 31/4/2026", "31/4/2026"),
        ("báo cáo ngày 31-02-2026", "31-02-2026"),  # dashes: the grammar reads them too
        ("báo cáo ngày 31.02.2026", "31.02.2026"),  # dots
        ("ngày 31 tháng 02 năm 2026", "ngày 31 tháng 02 năm 2026"),
        ("ngày 15/13/2026", "15/13/2026"),
        ("lịch họp Thứ Hai (31/9)", "Thứ Hai (31/9)"),  # a schedule's day heading
    ],
)
def test_impossible_dates_come_from_the_date_grammar(text: str, written: str) -> None:
    assert [m.value.text for m in impossible_dates(text, 2026)] == [written]


@pytest.mark.parametrize(
    "text",
    [
        "hoàn thành trước ngày 30/4/2026",
        "ngày 29/02/2028",  # leap year
        "tỷ lệ 3/45 hộ",  # a fraction, not a date
        "13-11-2025 15:27:48",  # a signature stamp, valid
        "Quyết định số 31/2026/QĐ-UBND",  # a symbol
    ],
)
def test_possible_dates_and_non_dates_are_not_impossible(text: str) -> None:
    assert impossible_dates(text, 2026) == []


def test_a_day_without_year_is_judged_in_the_documents_year() -> None:
    assert [m.value.text for m in impossible_dates("kiểm tra ngày 29/2", 2026)] == ["29/2"]
    assert impossible_dates("kiểm tra ngày 29/2", 2028) == []
    assert impossible_dates("kiểm tra ngày 29/2", None) == []  # no year to judge by: a leap year


@pytest.mark.xfail(
    strict=True, reason="the date grammar drops a year-less impossible day/month ('ngày 30/2')"
)
def test_a_yearless_impossible_day_is_found() -> None:
    assert [m.value.text for m in impossible_dates("kiểm tra ngày 30/2", 2026)] == ["30/2"]


@pytest.mark.xfail(strict=True, reason="the date grammar reads no spaces around the slashes of a full date")
def test_an_impossible_date_with_spaced_slashes_is_found() -> None:
    assert [m.value.text for m in impossible_dates("trước 31 / 02 / 2026", 2026)] == ["31 / 02 / 2026"]


# ------------------------------------------------------------------ reversed ranges


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("tuyên truyền từ ngày 20/3/2026 đến ngày 10/3/2026.", "từ ngày 20/3/2026 đến ngày 10/3/2026"),
        ("từ 20/3 đến 10/3/2026", "từ 20/3 đến 10/3/2026"),
        ("từ 20/4 đến 10/3/2027", "từ 20/4 đến 10/3/2027"),  # not a short span across the new year
        ("20/3/2026 - 10/3/2026", "20/3/2026 - 10/3/2026"),
        ("20.3.2026 – 10.3.2026", "20.3.2026 – 10.3.2026"),
        ("các ngày 20-10/3/2026", "20-10/3/2026"),
        ("từ ngày 20/3/2026 đến hết ngày 10/3/2026", "từ ngày 20/3/2026 đến hết ngày 10/3/2026"),
    ],
)
def test_reversed_ranges(text: str, written: str) -> None:
    assert _texts(reversed_ranges(text, 2026)) == [written]


@pytest.mark.parametrize(
    "text",
    [
        "từ ngày 10/3/2026 đến ngày 20/3/2026",
        "các ngày 10-20/3/2026",
        "từ 20/12 đến 10/01/2027",  # across the new year: the start is in 2026
        "từ 15/11 đến 15/02/2027",
        "ngày 20/3/2026 và ngày 10/3/2026",  # two days, no range
        "ngày 20/3/2026; ngày 10/3/2026",
        "Tổ 3-4/5 dân phố",  # counts, not days
        "Quyết định 20/3/2026 - Nghị quyết ngày 10/3/2025",
    ],
)
def test_forward_ranges_and_lists_are_not_reversed(text: str) -> None:
    assert reversed_ranges(text, 2026) == []


def test_spans_point_at_the_text() -> None:
    text = "Tổ chức tuyên truyền từ ngày 20/3/2026 đến ngày 10/3/2026; các ngày 20-10/3/2026."
    assert [text[s.start : s.end] for s in reversed_ranges(text, 2026)] == _texts(reversed_ranges(text, 2026))


# ------------------------------------------------------------------ spans of years


def test_year_spans_by_use() -> None:
    text = "Đại hội nhiệm kỳ 2026 - 2031; kế hoạch giai đoạn 2026-2030; năm học 2026-2027"
    assert [(s.first, s.last) for s in year_spans(text, "term")] == [(2026, 2031)]
    assert [(s.first, s.last) for s in year_spans(text, "title_period")] == [(2026, 2031), (2026, 2030)]
    assert len(year_spans(text, "forward")) == 3
    assert year_spans("dân số năm 2026 - 2030 người", "forward") == []  # no word introduces it
    span = year_spans("NHIỆM KỲ (2025 – 2030)", "term")[0]
    assert (span.first, span.last) == (2025, 2030)  # any case, parenthesised, en dash


def test_stated_span_of_an_anniversary() -> None:
    clause = "Cách mạng Tháng Tám (1945 - 2026)"
    span = stated_span(clause)
    assert span is not None and (span.first, span.last) == (1945, 2026)
    assert clause[: span.start].strip(" (") == "Cách mạng Tháng Tám"
    days = stated_span("Ngày thành lập Đảng (03/02/1930 - 03/02/2026)")
    assert days is not None and (days.first, days.last) == (1930, 2026)
    assert stated_span("Cách mạng Tháng Tám thành công") is None


def test_dated_years_are_years_of_full_dates() -> None:
    assert dated_years("tổ chức ngày 19/5/2026") == [2026]
    assert dated_years("(19/5/1890 - 19/5/2026)") == [1890, 2026]
    assert dated_years("tháng 5/2026, năm 2026, ngày 19/5") == []


# ------------------------------------------------------------------ words and markers


def test_legislatures_and_anniversary_words_are_folded() -> None:
    assert _texts(legislatures("bầu cử đại biểu Quốc hội khoá XVI và quốc hội khóa xv")) == ["XVI", "XV"]
    assert legislatures("Quốc hội") == []
    assert anniversary_context("Tổ chức các hoạt động kỷ niệm ")
    assert anniversary_context("Hướng tới ")
    assert not anniversary_context("Tổng kết công tác ")
    assert not anniversary_context("kỷ niệm ngày thành lập; tổng kết ")  # another clause


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("Căn cứ Luật Tổ chức chính quyền địa phương;", True),
        ("- Thực hiện Kế hoạch số 09-KH/TU;", True),
        ("I. MỤC ĐÍCH, YÊU CẦU", True),
        ("A. NHIỆM VỤ TRỌNG TÂM", True),
        ("CHƯƠNG TRÌNH CÔNG TÁC NĂM 2026", False),
        ("nhiệm kỳ 2025 - 2030", False),
        ("1. Tổ chức hội nghị", False),
    ],
)
def test_the_body_opens_at_a_basis_or_a_top_heading(text: str, opens: bool) -> None:
    assert opens_body(text) is opens


@pytest.mark.parametrize(
    ("label", "number"),
    [("3", "3"), ("10", "10"), ("10.1", "10.1"), ("1.2.3", "1.2.3"), ("a", None), ("I", None), ("-", None)],
)
def test_item_numbers_come_from_the_marker_grammar(label: str, number: str | None) -> None:
    assert item_number(label) == number
    assert item_number("3.") is None and item_number("") is None


# ------------------------------------------------------------------ blank issue days


@pytest.mark.parametrize(
    "line",
    [
        "Hòa Bình, ngày tháng 12 năm 2025",
        "Hòa Bình, ngày ... tháng ... năm 2025",
        "Hòa Bình, ngày…tháng…năm 2025",
        "Hòa Bình, ngày __ tháng __ năm 2025",
        "Hòa Bình, ngày /9/2025",
        "UBND PHƯỜNG\tHòa Bình, ngày    tháng    năm 2025",
    ],
)
def test_blank_issue_days(line: str) -> None:
    found = blank_days(line)
    assert len(found) == 1 and found[0].text.startswith("ngày")
    assert line[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize(
    "line", ["Hòa Bình, ngày 29 tháng 12 năm 2025", "Công tác tháng 12 năm 2025", "Hòa Bình, năm 2025"]
)
def test_written_days_are_not_blank(line: str) -> None:
    assert blank_days(line) == []
