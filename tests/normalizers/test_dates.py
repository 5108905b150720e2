"""Tests for vanban.normalizers.dates: the case corpus, vocabulary coverage, seeds vs gold."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from vanban.normalizers.dates import (
    DateValue,
    find_dates,
    find_deadline,
    parse_date_expression,
    parse_period_heading,
    title_month,
)
from vanban.resources import load_toml

CASES_FILE = Path(__file__).resolve().parents[1] / "cases" / "dates.toml"
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
REF_YEAR: int = CASES["ref_year"]
FUNCTIONS = {
    "parse_date_expression": parse_date_expression,
    "parse_period_heading": parse_period_heading,
    "find_deadline": find_deadline,
    "title_month": title_month,
}


def _value_cases() -> list[Any]:
    out = []
    for group in CASES["cases"]:
        ref_year = None if group.get("no_ref_year") else REF_YEAR
        for form in group["forms"]:
            out.append(
                pytest.param(
                    group["function"], form, group["expect"], ref_year, id=f"{group['function']}:{form}"
                )
            )
    return out


def _negative_cases() -> list[Any]:
    return [
        pytest.param(name, form, id=f"{name}:{form}")
        for name, forms in CASES["negative"].items()
        for form in forms
    ]


@pytest.mark.parametrize(("function", "form", "expect", "ref_year"), _value_cases())
def test_case_corpus(function: str, form: str, expect: dict[str, Any], ref_year: int | None) -> None:
    value = FUNCTIONS[function](form, ref_year=ref_year)
    assert value is not None, f"{function}({form!r}) gave None"
    # "null" in the case file expects None; a span is written as a two-item array
    want = {k: None if v == "null" else tuple(v) if k == "span" else v for k, v in expect.items()}
    got = {field: getattr(value, field) for field in expect}
    assert got == want
    # text is always the slice of the input that span points at
    assert form[value.span[0] : value.span[1]] == value.text


@pytest.mark.parametrize(("function", "form"), _negative_cases())
def test_negative_corpus(function: str, form: str) -> None:
    assert FUNCTIONS[function](form, ref_year=REF_YEAR) is None


@pytest.mark.parametrize("case", CASES["mentions"], ids=lambda c: c["text"][:60])
def test_mention_roles(case: dict[str, Any]) -> None:
    mentions = find_dates(case["text"], ref_year=REF_YEAR)
    assert [m.role for m in mentions] == case["roles"]
    if "kinds" in case:
        assert [m.value.kind for m in mentions] == case["kinds"]
    if "starts" in case:
        assert [str(m.value.start).lower() for m in mentions] == case["starts"]
    for m in mentions:
        assert case["text"][m.value.span[0] : m.value.span[1]] == m.value.text


def _all_case_text() -> str:
    parts: list[str] = []
    for group in CASES["cases"]:
        parts.extend(group["forms"])
    parts.extend(c["text"] for c in CASES["mentions"])
    for forms in CASES["negative"].values():
        parts.extend(forms)
    return " | ".join(parts).lower().replace("qúy", "quý")


def _vocabulary_rows() -> list[tuple[str, str]]:
    """(row id, regex that some case must match) for every row of dates.toml."""
    v = load_toml("dates")
    rows: list[tuple[str, str]] = []
    rows += [(f"month_words.{k}", rf"tháng {k}(?!\w)") for k in v["month_words"]]
    rows += [(f"quarter_numbers.{k}", rf"quý {k}(?!\w)") for k in v["quarter_numbers"]]
    rows += [(f"weekdays.{k}", rf"(?:thứ )?{k} h[àằ]ng tuần") for k in v["weekdays"]]
    rows += [
        (f"recurrence.prefixes.{k}", rf"{k} (?:tuần|tháng|quý|năm)") for k in v["recurrence"]["prefixes"]
    ]
    rows += [(f"recurrence.openers.{k}", re.escape(k)) for k in v["recurrence"]["openers"]]
    rows += [(f"recurrence.units.{k}", rf"h[àằ]ng {k}(?!\w)") for k in v["recurrence"]["units"]]
    rows += [(f"year_parts.{k}", rf"tháng {k}") for k in v["year_parts"]]
    rows += [(f"count_words.{k}", rf"(?<!\w){k} tháng (?:đầu|cuối)") for k in v["count_words"]]
    rows += [(f"week_of_month.{k}", rf"tuần {k}") for k in v["week_of_month"]]
    rows += [(f"cues.{p}", rf"(?<!\w){re.escape(p)}") for g in v["cues"] for p in g["phrases"]]
    rows += [(f"per_plan.{p}", rf"(?<!\w){re.escape(p)}") for p in v["per_plan"]["phrases"]]
    rows += [(f"content.{p}", rf"(?<!\w){re.escape(p)}") for p in v["content"]["keywords"]]
    rows += [(f"fraction.before.{p}", rf"{re.escape(p)} \d/\d") for p in v["fraction"]["before"]]
    rows += [(f"fraction.after.{p}", rf"\d/\d {re.escape(p)}") for p in v["fraction"]["after"]]
    rows += [(f"filler.{p}", rf"(?<!\w){re.escape(p)}(?!\w)") for p in v["filler"]["words"]]
    rows += [(f"weekday_date.times.{k}", rf"(?<!\w){k} (?:thứ|chủ nhật)") for k in v["weekday_date"]["times"]]
    rows += [(f"weekday_date.ordinals.{k}", rf"(?<!\w){k} thứ \d") for k in v["weekday_date"]["ordinals"]]
    rows += [
        (f"weekday_date.abbreviations.{k}", rf"(?<!\w){k} \(\d") for k in v["weekday_date"]["abbreviations"]
    ]
    rows += [(f"ongoing.phrases.{p}", rf"(?<!\w){re.escape(p)}") for p in v["ongoing"]["phrases"]]
    rows += [
        (f"ongoing.heading_leads.{p}", rf"(?<!\w){p} thường xuyên") for p in v["ongoing"]["heading_leads"]
    ]
    rows += [(f"content.month_events.{p}", rf"(?<!\w){p} tháng") for p in v["content"]["month_events"]]
    rows += [(f"range_cues.verbs.{p}", rf"(?<!\w){p} từ") for p in v["range_cues"]["verbs"]]
    rows += [(f"cue_exclusions.before.{w}", rf"(?<!\w){w} thời gian") for w in v["cue_exclusions"]["before"]]
    return rows


@pytest.mark.parametrize(("row", "pattern"), _vocabulary_rows(), ids=lambda x: x if "." in str(x) else "")
def test_every_vocabulary_row_has_a_case(row: str, pattern: str) -> None:
    assert re.search(pattern, _all_case_text()), f"no case in tests/cases/dates.toml exercises {row}"


# ------------------------------------------------------------------ behaviour beyond the corpus


def test_value_is_frozen() -> None:
    value = parse_date_expression("15/01/2026")
    assert isinstance(value, DateValue)
    with pytest.raises(ValueError):
        value.start = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_decomposed_unicode_is_read() -> None:
    import unicodedata

    value = parse_date_expression(unicodedata.normalize("NFD", "Quý II/2026"))
    assert value is not None and value.quarter == 2


def test_span_points_into_the_text() -> None:
    text = "Họp UBND phường thường kỳ tháng 01/2026: Dự kiến tổ chức vào ngày 14/01/2026 (thứ Tư)."
    value = find_deadline(text, ref_year=2026)
    assert value is not None
    assert text[value.span[0] : value.span[1]] == "14/01/2026"


def test_impossible_date_kept_by_find_dates_for_validation() -> None:
    (mention,) = find_dates("Hoàn thành trước ngày 31/02/2026", ref_year=2026)
    assert mention.role == "deadline"
    assert mention.value.start is None and mention.value.year == 2026 and mention.value.month == 2


def test_heading_without_ref_year_keeps_month_without_dates() -> None:
    value = parse_period_heading("1. Tháng 1")
    assert value is not None and value.month == 1 and value.year is None and value.start is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789/-.: ngàythángnămquýIVhằngtuầnKHtheo()", max_size=40))
def test_never_crashes_on_date_like_noise(text: str) -> None:
    for fn in (parse_date_expression, parse_period_heading, find_deadline):
        value = fn(text, ref_year=2026)
        if value is not None and value.start and value.end:
            assert value.start <= value.end
    find_dates(text, ref_year=2026)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_real_date_round_trips(day: dt.date) -> None:
    for text in (
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d/%m/%Y}",
        f"ngày {day.day} tháng {day.month} năm {day.year}",
    ):
        value = parse_date_expression(text)
        assert value is not None and value.start == day == value.end


# ------------------------------------------------------------------ real documents


def _gold_tasks(stem: str) -> list[dict[str, Any]]:
    path = shared_path("eval", "gold", f"{stem}.jsonl")
    return [
        r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r.get("kind") == "task"
    ]


def _accepts(gold: Any, got: dt.date | None) -> bool:
    options = gold["any"] if isinstance(gold, dict) else [gold]
    return (got.isoformat() if got else None) in options


@pytest.mark.parametrize(
    "stem",
    ["000_a9e4cef1ba2e8708", "001_182bd45e65ae1aa9", "003_c8064ae758f1624a", "004_92049e2a4f22e81b"],
)
def test_find_deadline_agrees_with_gold_task_texts(stem: str) -> None:
    """Seeds whose deadlines live in the item text: 000/003 have none despite many dates."""
    wrong = []
    for task in _gold_tasks(stem):
        value = find_deadline(task["text"], ref_year=2026)
        if not _accepts(task["deadline"], value.end if value else None):
            wrong.append((task["text"][:80], value))
    assert wrong == []


def test_find_deadline_on_every_seed_line_finds_only_the_real_ones() -> None:
    """Line by line (hard-wrapped text) only 001's 'hoàn thành trước ngày 31/12/2025' is found;
    004's two cues are wrapped away from their dates, so they need the joined item text."""
    hits = {}
    for path in sorted(shared_path("seeds").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            value = find_deadline(line, ref_year=2026)
            if value is not None:
                hits[(path.stem[:3], number)] = value.end
    assert hits == {("001", 496): dt.date(2025, 12, 31)}


def test_table_cells_of_seed_002_agree_with_gold() -> None:
    """002 is a table: the last cell of each row is its deadline (or 'theo KH')."""
    gold = _gold_tasks("002_06c2cd78a0f32ca2")
    dated = [t for t in gold if t.get("deadline_text")]
    lines = shared_path("seeds", "002_06c2cd78a0f32ca2.txt").read_text(encoding="utf-8").splitlines()
    cells = [c.split("\t")[-1].strip() for c in lines if c.count("\t") >= 2]
    values = [parse_date_expression(c, ref_year=2026) for c in cells]
    read = [v for v in values if v is not None]
    # headers ("Thời gian xong trước ngày") and blank cells give None
    assert len(read) == len(dated)
    for task, value in zip(dated, read, strict=True):
        if task["deadline_text"] == "theo KH":
            assert value.kind == "per_plan"
        else:
            assert _accepts(task["deadline"], value.end), task["text"]
            assert value.text == task["deadline_text"]
        if task.get("start"):
            assert value.start.isoformat() == task["start"]
