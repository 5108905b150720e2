"""Vietnamese administrative date expressions -> typed values.

One rule-based grammar serves four entry points: a whole table cell
(:func:`parse_date_expression`), a section heading that sets the period of the
items under it (:func:`parse_period_heading`), the item's own due/scheduled
date in running text (:func:`find_deadline`) and every date mention with its
role (:func:`find_dates`).

dateparser is deliberately not used: it reads "trước" as "ago", loses ranges
and knows no quarters or Roman numerals (see domain/DOMAIN.md §3).

How it works: the text is NFC-composed and lower-cased character by character
(so offsets stay those of the NFC text), atomic expressions are found by a
prioritised list of patterns (longest forms first, no overlaps), adjacent atoms
joined by "-", "đến" or "và" become ranges, and each value gets a role from the
words right before it (cue words, document symbols, anniversary words).
Vocabulary lives in ``vanban/resources/dates.toml``.

Conventions:

* ``span`` and ``text`` cover the date expression itself, never the cue word:
  ``find_deadline("hoàn thành trước ngày 31/12/2025")`` has text ``31/12/2025``.
  ``text`` is always ``input[span[0]:span[1]]`` of the NFC input.
* Impossible dates (``31/02/2026``, ``32/1/2026``): :func:`parse_date_expression`
  and :func:`find_deadline` return None; :func:`find_dates` keeps the mention as
  kind ``date`` with ``start``/``end`` None (year and month set when readable)
  so validation can report it.
* A day/month without year ("27/2") takes ``ref_year``; without ``ref_year`` it is
  kind ``date`` with ``start`` None and ``month`` set.
* "6 tháng đầu/cuối năm" is kind ``half``; other "N tháng đầu/cuối năm"
  ("9 tháng đầu năm", "3 tháng cuối năm") are kind ``range``.
* Bare years ("năm 2026") are values for :func:`parse_date_expression` only;
  :func:`find_dates` skips them (they are everywhere in item titles).
* e-signature stamps ("13-11-2025 15:27:48") are mentions with role ``unknown``
  and never deadlines.
* A weekday with its day ("Thứ Tư (14/10)", "Sáng thứ Hai, 19/10/2026") is kind
  ``date`` (the written day wins over a wrong weekday name) and, in running text,
  the item's ``scheduled`` day; a weekday alone ("thứ Hai hàng tuần") is recurring;
  "lần thứ 3 (15/10)" is an ordinal, not a weekday.
* "Tuần 3 tháng 10/2026" is the range of days 15-21 (week N = days 7N-6..7N, the
  last one cut at the month's end); "Tuần 3 (từ 19/10 đến 23/10)" is the range written.
* Several months ("Tháng 9-10/2026", "tháng 9, 10/2026") are one kind ``range``
  with ``month`` None.
* "Thường xuyên", "liên tục" are kind ``recurring`` with recurrence
  ``continuous``; "khi có yêu cầu" is ``per_plan``.
* A month right after "cách mạng"/"khởi nghĩa" names an event: role ``content``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from vanban.resources import load_toml

Kind = Literal["date", "range", "month", "quarter", "half", "year", "per_plan", "recurring"]
Role = Literal["deadline", "scheduled", "period", "content", "reference", "unknown"]


class DateValue(BaseModel):
    """A normalised date expression."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    year: int | None = None
    month: int | None = None
    quarter: int | None = None
    recurrence: str | None = None
    span: tuple[int, int] = (0, 0)
    # The weekday written with a day ("Thứ Năm (05/11)", "14/01/2026 (thứ Tư)", "T5 (05/11)"),
    # as dates.toml [weekdays] names it ("thursday"); the day itself is ``start``.
    weekday: str | None = None


class DateMention(BaseModel):
    """A date expression found in running text, with what it is there for."""

    model_config = ConfigDict(frozen=True)

    value: DateValue
    role: Role


# --------------------------------------------------------------------------- vocabulary


@cache
def _vocab() -> dict[str, Any]:
    return load_toml("dates")


def _alt(phrases: list[str] | Any) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    items = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in items)


# Dates written with a separator; the same separator must be used twice.
_BOUND = r"(?<![\w/.])"
_WEEKDAY_PAREN = re.compile(r"\(\s*(?:thứ\s+\w+|chủ\s+nhật)\s*\)")
_DIGIT_BEFORE = re.compile(r"\d\s*$")


@dataclass(frozen=True)
class _Pattern:
    name: str
    regex: re.Pattern[str]
    # Words every match contains (outside optional groups): a text without one of
    # them cannot match, so the regex is not run at all. Most texts hold no date.
    needs: tuple[tuple[str, ...], ...] = ()
    needs_digit: bool = False


@cache
def _patterns() -> tuple[_Pattern, ...]:
    """Atom patterns in priority order (earlier patterns win overlaps)."""
    v = _vocab()
    months = _alt(v["month_words"])
    quarters = _alt(v["quarter_numbers"])
    weekdays = _alt(v["weekdays"])
    prefixes = _alt(v["recurrence"]["prefixes"])
    openers = _alt(v["recurrence"]["openers"])
    units = _alt(v["recurrence"]["units"])
    parts = _alt(v["year_parts"])
    counts = _alt(v["count_words"])
    weeks = _alt(v["week_of_month"])
    per_plan = _alt(v["per_plan"]["phrases"])
    times = _alt(v["weekday_date"]["times"])
    ongoing = _alt(v["ongoing"]["phrases"])
    blank = r"(?:[^\S\t]|[.…_])"  # blanks of a draft "ngày … tháng … năm"; a tab ends a cell
    year_tail = r"(?:\s*(?:/|\.|-|–|năm)\s*(?P<y>\d{4})(?!\d))?"
    yearly = rf"(?:\s+(?P<yearly>{prefixes})\s+năm(?!\w))?"
    wd = rf"(?:thứ\s+(?:{weekdays})|chủ\s+nhật)"
    # "T5 (05/11)", "CN, 08/11": abbreviations only ever name a day written right after them.
    short = _alt(v["weekday_date"]["abbreviations"])
    # "Thứ Tư (14/10)", "Sáng thứ Hai, ngày 19/10/2026", "Thứ Năm, ngày 22 tháng 10 năm 2026"
    day_of_week = (
        rf"(?<!\w)(?:(?:{times})\s+)?(?P<wd>{wd}|{short})(?!\w)\s*(?:,|:|-|–)?\s*(?P<open>\()?\s*(?:ngày\s+)?"
        r"(?:(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?"
        r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?)(?![\w/])"
        r"(?(open)(?:\s*\))?)"
    )
    # "Tháng 9-10/2026", "tháng 9, 10/2026", "tháng 10, 11 và 12 năm 2026"
    month_list = (
        rf"(?<!\w)tháng\s+(?P<m>\d{{1,2}})(?P<more>(?:\s*,\s*\d{{1,2}}(?!\d)|\s*(?:[-–—]|và|đến)\s*"
        rf"(?:tháng\s+)?\d{{1,2}}(?!\d))+){year_tail}"
    )
    specs = [
        (
            "stamp",
            rf"{_BOUND}(?P<d>\d{{1,2}})-(?P<m>\d{{1,2}})-(?P<y>\d{{4}})\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[+-]\d{{2}}:?\d{{2}})?",
        ),
        ("dayofweek", day_of_week),
        ("monthday", rf"(?<!\w)ngày\s+(?P<d>\d{{1,2}})\s+(?:{prefixes})\s+tháng(?!\w)"),
        (
            "long",
            rf"(?<!\w)ngày{blank}{{0,30}}(?:(?P<d>\d{{1,2}}){blank}{{1,30}})?tháng{blank}{{0,30}}(?:(?P<m>\d{{1,2}})(?!\d){blank}{{0,30}})?(?:năm{blank}{{0,30}}(?P<y>\d{{4}})(?!\d))?",
        ),
        (
            "dayrange",
            rf"{_BOUND}(?P<d>\d{{1,2}})\s*(?P<join>[-–—]|,|và|đến)\s*(?P<d2>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
            r"(?:\s*/\s*(?P<y>\d{4}))?(?![\w/])",
        ),
        ("full", rf"{_BOUND}(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})(?![\w/])"),
        ("blankday", r"(?<!\w)ngày\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})(?![\w/])"),
        ("daymonth", r"(?<![\w/.,])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\w/]|[.,]\d)"),
        (
            "quarters",
            rf"(?<!\w)qu[ýy]\s+(?P<q>{quarters})(?P<more>(?:\s*(?:[-–—]|,|và|đến)\s*(?:qu[ýy]\s+)?(?:{quarters})(?!\w))+)"
            rf"{year_tail}",
        ),
        ("quarter", rf"(?<!\w)qu[ýy]\s+(?P<q>{quarters})(?!\w){year_tail}{yearly}"),
        (
            "yearpart",
            rf"(?<![\w/])(?P<n>\d{{1,2}}|{counts})\s+tháng\s+(?P<part>{parts})(?:\s+năm)?(?:\s+(?P<y>\d{{4}})(?!\d))?(?!\w)",
        ),
        (
            "weekno",
            rf"(?<!\w)tuần\s+(?:thứ\s+)?(?P<n>\d{{1,2}})\s+(?:của\s+)?tháng\s+(?P<m>\d{{1,2}})(?!\w){year_tail}",
        ),
        ("months", month_list),
        ("week", rf"(?<!\w)tuần\s+(?P<part>{weeks})\s+(?:của\s+)?tháng\s+(?P<m>\d{{1,2}})(?!\w){year_tail}"),
        ("month", rf"(?<!\w)tháng\s+(?P<m>\d{{1,2}})(?!\w){year_tail}{yearly}"),
        (
            "monthword",
            rf"(?<!\w)tháng\s+(?P<mw>{months})(?=\s*(?:$|[,.;:()/\n]|năm\b|và\b|{prefixes}))(?:\s*(?:/|năm)\s*(?P<y>\d{{4}})(?!\d))?{yearly}",
        ),
        (
            "weekday",
            rf"(?:(?:{openers})\s+)?(?:tổ\s+chức\s+)?(?:vào\s+)?(?:(?:buổi\s+)?(?:sáng|chiều|tối)\s+)?(?:ngày\s+)?(?P<wd>{wd}(?:\s*(?:,|và)\s*(?:{wd}|(?:{weekdays})(?!\w)))*)\s+(?:{prefixes})\s+tuần(?!\w)",
        ),
        ("every", r"(?<!\w)(?P<n>\d{1,2})\s*(?P<unit>tuần|tháng)\s*(?:/|một)\s*lần(?!\w)"),
        # "Định kỳ 6 tháng", "định kỳ 02 tuần"
        ("every", rf"(?<!\w)(?:{openers})\s+(?P<n>\d{{1,2}})\s*(?P<unit>tuần|tháng)(?!\w)"),
        # "Cả năm", "Suốt năm 2026": the whole year
        ("wholeyear", r"(?<!\w)(?:cả|suốt)\s+năm(?:\s+(?P<y>\d{4}))?(?![\w/])"),
        ("recur", rf"(?:(?:{openers})\s+)?(?<!\w)(?:{prefixes})\s+(?P<unit>{units})(?!\w)"),
        ("per_plan", rf"(?<!\w)(?:{per_plan})(?!\w)[^.;\n()\d]*"),
        ("ongoing", rf"(?<!\w)(?:{ongoing})(?=\s*(?:$|[.;)\n\t]))"),
        ("year", r"(?<!\w)năm\s+(?P<y>\d{4})(?!\d)"),
    ]
    return tuple(_Pattern(name, re.compile(rx), *_REQUIRED.get(name, ((), False))) for name, rx in specs)


# Per pattern of _patterns(): the literal words it cannot match without (an inner tuple
# lists alternatives: one of them must be there), and whether it needs a digit. Patterns
# built only from vocabulary alternations (recur, per_plan, ongoing) have none. A pattern
# that changes must change here too: tests/normalizers/test_dates_prefilter.py runs the
# case corpus, the seeds and the corpus with and without this filter.
_REQUIRED: dict[str, tuple[tuple[tuple[str, ...], ...], bool]] = {
    "stamp": (((":",),), True),
    "dayofweek": ((("thứ", "chủ", "t2", "t3", "t4", "t5", "t6", "t7", "cn"),), True),
    "monthday": ((("ngày",), ("tháng",)), True),
    "long": ((("ngày",), ("tháng",)), False),
    "dayrange": ((("/",),), True),
    "full": ((), True),
    "blankday": ((("ngày",), ("/",)), True),
    "daymonth": ((("/",),), True),
    "quarters": ((("qu",),), False),
    "quarter": ((("qu",),), False),
    "yearpart": ((("tháng",),), False),  # "Sáu tháng cuối năm": the count may be a word
    "weekno": ((("tuần",), ("tháng",)), True),
    "months": ((("tháng",),), True),
    "week": ((("tuần",), ("tháng",)), True),
    "month": ((("tháng",),), True),
    "monthword": ((("tháng",),), False),
    "weekday": ((("tuần",),), False),
    "every": ((("tuần", "tháng"),), True),  # "2 tuần/lần", "định kỳ 6 tháng"
    "wholeyear": ((("năm",),), False),
    "year": ((("năm",),), True),
}
_ANY_DIGIT = re.compile(r"\d")


@cache
def _cue_regexes() -> tuple[tuple[re.Pattern[str], Role, int], ...]:
    """One regex per cue group, anchored at the end of the text before a date."""
    out = []
    for group in _vocab()["cues"]:
        alts = []
        for phrase in sorted(group["phrases"], key=len, reverse=True):
            words = phrase.split()
            tail = r"(?:\s+ngày)?" if words[-1] == "ngày" else ""
            if tail:
                words = words[:-1]
            alts.append(r"\s+".join(map(re.escape, words)) + tail)
        # No left word boundary: PDF text glues words ("Đảng uỷtrước ngày 25/9/2025").
        # A tab is a table-cell boundary: a header cell's cue never reaches the next cell.
        excluded = "".join(rf"(?<!{re.escape(w)}\s)" for w in _vocab()["cue_exclusions"]["before"])
        rx = re.compile(rf"{excluded}(?:{'|'.join(alts)})[^\S\t]*$")
        out.append((rx, group["role"], int(group["priority"])))
    return tuple(sorted(out, key=lambda item: -item[2]))


@cache
def _content_regex() -> re.Pattern[str]:
    keywords = _alt(_vocab()["content"]["keywords"])
    # A named day: "Ngày pháp luật Việt Nam", "ngày thầy thuốc" (ngày + a word, not a number).
    named_day = r"ngày\s+(?!(?:tháng|này|nay|đó|ấy|càng|mai|làm\s+việc|thứ)(?!\w))[^\W\d_]"
    return re.compile(rf"(?<!\w)(?:{keywords}|{named_day})")


@cache
def _ordinal_before() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_vocab()['weekday_date']['ordinals'])})\s*$")


@cache
def _month_event_before() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_vocab()['content']['month_events'])})\s*$")


@cache
def _fraction_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    frac = _vocab()["fraction"]
    before = re.compile(rf"(?<!\w)(?:{_alt(frac['before'])})\s*$")
    after = re.compile(rf"^\s*(?:{_alt(frac['after'])})(?!\w)")
    return before, after


@cache
def _residual_regex() -> re.Pattern[str]:
    """Words allowed around a cell's date expression (cues, fillers, weekday notes)."""
    words: list[str] = list(_vocab()["filler"]["words"])
    words.extend(_cue_phrases())
    clock = r"\d{1,2}\s*(?:h|giờ)\s*(?:\d{1,2})?(?:\s*phút)?"
    week = r"tuần\s+(?:thứ\s+)?\d{1,2}"  # "Tuần 3 (từ 19/10 đến 23/10)": the label of the range
    return re.compile(rf"(?<!\w)(?:{_alt(words)}|{clock}|{week})(?!\w)|\(\s*(?:thứ\s+\w+|chủ\s+nhật)\s*\)")


def _cue_phrases() -> list[str]:
    """Every cue phrase, and those ending in "ngày" also without it ("trước 15/11/2026")."""
    out = []
    for group in _vocab()["cues"]:
        for phrase in group["phrases"]:
            out.append(phrase)
            if phrase.endswith(" ngày"):
                out.append(phrase.removesuffix(" ngày"))
    return out


@cache
def _cue_only_regex() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_cue_phrases())})(?!\w)")


# Document symbol right before a date: "57-NQ/TW, ngày", "số 37/KH-UBND ngày", "-KH/ĐU ngày".
_SYMBOL_BEFORE = re.compile(r"(?:^|\s)(?=[^\s,;()]*[/-][A-ZĐ])[^\s,;()]+\s*,?\s*(?:ngày\s*)?$")
# Laws are cited by name: "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025".
_LAW_BEFORE = re.compile(r"(?<!\w)(?:luật|bộ luật|pháp lệnh|hiến pháp)\s+[^\d,.;:()]{1,80}?\s*(?:ngày\s*)?$")
# Clause boundaries for the content look-back; not newlines: text is often hard-wrapped.
_CLAUSE_START = re.compile(r"[;:.\t]")
# "đến hết ngày 14/11", "đến 17 giờ 00, ngày 01/02/2026", "đến 17h00 ngày ..."
# "tổ 3-4/5": the end of a span of counts that is no day span (a "01/3-" before is a date)
_COUNT_SPAN_BEFORE = re.compile(r"(?<![/\d])\d{1,2}\s*[-–—]\s*$")
_DAYS_CONTEXT = re.compile(r"(?:^|(?<!\w)ngày|(?<!\w)từ|[(:;\t\n])\s*$")
_RANGE_GAP = re.compile(
    r"^\s*(?:[-–—]|đến|tới)(?:\s+hết)?(?:\s+\d{1,2}\s*(?:h|giờ)(?:\s*\d{1,2})?(?:\s*phút)?\s*,?)?(?:\s+ngày)?\s*$"
)
_AND_GAP = re.compile(r"^\s*và\s*$")
_FROM_BEFORE = re.compile(r"(?<!\w)từ(?:\s+ngày)?\s*$")
_ENUMERATOR = re.compile(r"^\s*(?:[IVXLC]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)\-–]\s*", re.IGNORECASE)
_HEADING_LEAD = re.compile(r"(?<!\w)(?:công\s+tác|trọng\s+tâm|nhiệm\s+vụ)\s+$")


# --------------------------------------------------------------------------- atoms


@dataclass(frozen=True)
class _Atom:
    """One parsed expression before it becomes a DateValue."""

    kind: Kind
    start: int
    end: int
    first: dt.date | None = None
    last: dt.date | None = None
    year: int | None = None
    month: int | None = None
    quarter: int | None = None
    recurrence: str | None = None
    day: int | None = None
    valid: bool = True  # False: an impossible date such as 31/02/2026
    yearless: bool = False  # year taken from ref_year (or unknown)
    stamp: bool = False
    weekday: bool = False  # a weekday names the day ("Thứ Tư (14/10)"): a schedule's own date
    weekday_name: str | None = None  # the weekday written with the day ("thursday"), right or wrong


def _fold(text: str) -> str:
    """Lower-case one character at a time so offsets match the input; fix 'Qúy' typos."""
    low = text.lower()
    if len(low) != len(text):  # rare: a character whose lower case is longer (İ)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("qúy", "quý").replace("quí", "quý")


def _safe_date(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_valid(day: int, month: int, year: int | None) -> bool:
    """Whether day/month exists (a year-less 29/2 is allowed)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year or 2024, month)[1]


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _date_atom(start: int, end: int, day: int, month: int, year: int | None, ref_year: int | None) -> _Atom:
    yearless = year is None
    year = year if year is not None else ref_year
    if not _day_valid(day, month, year):
        ok_month = month if 1 <= month <= 12 else None
        return _Atom("date", start, end, year=year, month=ok_month, day=day, valid=False, yearless=yearless)
    d = _safe_date(year, month, day)
    return _Atom("date", start, end, d, d, year=year, month=month, day=day, yearless=yearless)


def _month_atom(
    start: int, end: int, month: int, year: int | None, ref_year: int | None, **kw: Any
) -> _Atom | None:
    if not 1 <= month <= 12:
        return None
    yearless = year is None
    year = year if year is not None else ref_year
    first, last = _month_bounds(year, month) if year is not None else (None, None)
    return _Atom("month", start, end, first, last, year=year, month=month, yearless=yearless, **kw)


def _quarter_atom(start: int, end: int, quarter: int, year: int | None, ref_year: int | None) -> _Atom:
    yearless = year is None
    year = year if year is not None else ref_year
    first = last = None
    if year is not None:
        first = dt.date(year, 3 * quarter - 2, 1)
        last = _month_bounds(year, 3 * quarter)[1]
    return _Atom("quarter", start, end, first, last, year=year, quarter=quarter, yearless=yearless)


def _int(group: str | None) -> int | None:
    return int(group) if group else None


_EVERY = {
    ("tuần", 1): "weekly",
    ("tuần", 2): "biweekly",
    ("tháng", 1): "monthly",
    ("tháng", 3): "quarterly",
    ("tháng", 12): "yearly",
}


def _every(n: int, unit: str) -> str:
    """Recurrence value of "N tuần/lần", "N tháng/lần"."""
    return _EVERY.get((unit, n), f"every_{n}_{'weeks' if unit == 'tuần' else 'months'}")


def _build(name: str, m: re.Match[str], folded: str, ref_year: int | None) -> _Atom | None:
    """Turn one pattern match into an atom, or None when the numbers make no sense."""
    atom = _build_atom(name, m, folded, ref_year)
    return _with_trailing_weekday(atom, folded) if atom is not None else None


def _build_atom(name: str, m: re.Match[str], folded: str, ref_year: int | None) -> _Atom | None:
    """The atom of one pattern match (see :func:`_build`)."""
    g = m.groupdict()
    s, e = m.span()
    v = _vocab()
    y = _int(g.get("y"))
    if name == "dayofweek":
        if _ordinal_before().search(folded, 0, s):
            return None  # "lần thứ 3 (15/10)"
        day, month = int(g["d"] or g["d2"]), int(g["m"] or g["m2"])
        atom = _date_atom(s, e, day, month, _int(g["y"] or g["y2"]), ref_year)
        return replace(atom, weekday=True, weekday_name=_weekday_name(g["wd"]))
    if name == "monthday":  # "ngày 15 hằng tháng"
        day = int(g["d"])
        return _Atom("recurring", s, e, recurrence=f"monthly:{day}") if 1 <= day <= 31 else None
    if name == "quarters":  # "Quý III-IV/2026", "quý III và IV năm 2026"
        numbers = v["quarter_numbers"]
        listed = [
            numbers[g["q"]],
            *(numbers[q] for q in re.findall(rf"(?<![\w])(?:{_alt(numbers)})(?!\w)", g["more"])),
        ]
        if listed != sorted(set(listed)):
            return None
        year = y if y is not None else ref_year
        first = last = None
        if year is not None:
            first, last = dt.date(year, 3 * listed[0] - 2, 1), _month_bounds(year, 3 * listed[-1])[1]
        return _Atom("range", s, e, first, last, year=year, yearless=y is None)
    if name == "weekno":
        atom = _month_atom(s, e, int(g["m"]), y, ref_year)
        n = int(g["n"])
        if atom is None or atom.first is None or atom.last is None or not 1 <= 7 * n - 6 <= atom.last.day:
            return None if atom is None or atom.first is not None else replace(atom, kind="range")
        first = atom.first.replace(day=7 * n - 6)
        return replace(atom, kind="range", first=first, last=min(atom.last, first + dt.timedelta(days=6)))
    if name == "months":
        listed = [int(g["m"]), *map(int, re.findall(r"\d{1,2}", g["more"]))]
        if any(not 1 <= k <= 12 for k in listed) or listed != sorted(set(listed)):
            return None
        if y is None and re.search(r",|và", g["more"]) and not re.match(r"\s*(?:$|[.;:)\t\n])", folded[e:]):
            return None  # "trong tháng 9, 10 hộ ..." counts households, not months
        year = y if y is not None else ref_year
        first = last = None
        if year is not None:
            first, last = _month_bounds(year, listed[0])[0], _month_bounds(year, listed[-1])[1]
        return _Atom("range", s, e, first, last, year=year, yearless=y is None)
    if name == "ongoing":
        return _Atom("recurring", s, e, recurrence="continuous")
    if name in ("stamp", "full"):
        atom = _date_atom(s, e, int(g["d"]), int(g["m"]), y, ref_year)
        return replace(atom, stamp=name == "stamp")
    if name == "long":
        day, month = _int(g["d"]), _int(g["m"])
        if day is not None and month is not None:
            return _date_atom(s, e, day, month, y, ref_year)
        if month is not None and day is None and y is not None:  # "ngày tháng 12 năm 2025" (draft)
            return _month_atom(s, e, month, y, ref_year)
        if y is not None and day is None:
            return _Atom("year", s, e, dt.date(y, 1, 1), dt.date(y, 12, 31), year=y)
        return None
    if name == "dayrange":
        d1, d2, month = int(g["d"]), int(g["d2"]), int(g["m"])
        if y is None and not _DAYS_CONTEXT.search(folded, 0, s):
            return None  # "19-20/10" without a year only after "ngày", "từ" or at a cell's start
        year = y if y is not None else ref_year
        if not (_day_valid(d1, month, year) and _day_valid(d2, month, year)) or d1 >= d2:
            return None
        first, last = _safe_date(year, month, d1), _safe_date(year, month, d2)
        return _Atom("range", s, e, first, last, year=year, month=month, yearless=y is None)
    if name == "blankday":
        return _month_atom(s, e, int(g["m"]), y, ref_year)
    if name == "daymonth":
        day, month = int(g["d"]), int(g["m"])
        if not _day_valid(day, month, None):
            return None
        before, after = _fraction_regexes()
        if before.search(folded, 0, s) or after.match(folded[e:]) or _COUNT_SPAN_BEFORE.search(folded, 0, s):
            return None
        return _date_atom(s, e, day, month, None, ref_year)
    if name == "quarter":
        atom = _quarter_atom(s, e, v["quarter_numbers"][g["q"]], y, ref_year)
        if g.get("yearly"):
            return replace(atom, kind="recurring", recurrence="yearly", first=None, last=None, year=None)
        return atom
    if name == "yearpart":
        n = int(v["count_words"].get(g["n"], g["n"]))
        if not 1 <= n <= 11:
            return None
        year = y if y is not None else ref_year
        first_part = v["year_parts"][g["part"]] == "first"
        kind: Kind = "half" if n == 6 else "range"
        first = last = None
        if year is not None:
            first = dt.date(year, 1, 1) if first_part else dt.date(year, 13 - n, 1)
            last = _month_bounds(year, n)[1] if first_part else dt.date(year, 12, 31)
        return _Atom(kind, s, e, first, last, year=year, yearless=y is None)
    if name == "week":
        atom = _month_atom(s, e, int(g["m"]), y, ref_year)
        if atom is None or atom.first is None or atom.last is None:
            return atom
        if v["week_of_month"][g["part"]] == "first":
            return replace(atom, kind="range", last=atom.first + dt.timedelta(days=6))
        return replace(atom, kind="range", first=atom.last - dt.timedelta(days=6))
    if name in ("month", "monthword"):
        if _DIGIT_BEFORE.search(folded, 0, s):  # "9 tháng 10" is a count of months, not October
            return None
        month = int(g["m"]) if name == "month" else v["month_words"][" ".join(g["mw"].split())]
        atom = _month_atom(s, e, month, y, ref_year)
        if atom is not None and g.get("yearly"):
            return replace(atom, kind="recurring", recurrence="yearly", first=None, last=None, year=None)
        return atom
    if name == "weekday":
        # "thứ Hai và thứ Năm", "thứ 2, 4, 6": every weekday name, "thứ" written or not
        names = re.findall(rf"chủ\s+nhật|(?<!\w)(?:{_alt(v['weekdays'])})(?!\w)", g["wd"])
        days = [v["weekdays"].get(" ".join(n.split())) for n in names]
        return _Atom("recurring", s, e, recurrence="weekly:" + ",".join(d for d in days if d))
    if name == "wholeyear":
        year = y if y is not None else ref_year
        if year is None:
            return _Atom("year", s, e, yearless=True)
        return _Atom("year", s, e, dt.date(year, 1, 1), dt.date(year, 12, 31), year=year, yearless=y is None)
    if name == "every":
        return _Atom("recurring", s, e, recurrence=_every(int(g["n"]), g["unit"]))
    if name == "recur":
        return _Atom("recurring", s, e, recurrence=v["recurrence"]["units"][g["unit"]])
    if name == "per_plan":
        end = len(folded[:e].rstrip())
        return _Atom("per_plan", s, end)
    if name == "year":
        return _Atom("year", s, e, dt.date(y, 1, 1), dt.date(y, 12, 31), year=y)
    return None


def _weekday_name(written: str) -> str | None:
    """ "thứ năm", "thứ 5", "t5", "chủ nhật" -> "thursday" (dates.toml [weekdays], [weekday_date] abbreviations)."""
    v = _vocab()
    words = " ".join(written.split())
    short = v["weekday_date"]["abbreviations"]
    if words in short:
        return str(short[words])
    name = v["weekdays"].get(words.removeprefix("thứ ").strip())
    return str(name) if name else None


@cache
def _trailing_weekday() -> re.Pattern[str]:
    """ "(thứ Tư)" right after a day: "ngày 14/01/2026 (thứ Tư)"."""
    weekdays = _alt(_vocab()["weekdays"])
    return re.compile(rf"\s*\(\s*(?P<wd>thứ\s+(?:{weekdays})|chủ\s+nhật)\s*\)")


def _with_trailing_weekday(atom: _Atom, folded: str) -> _Atom:
    """A day followed by its weekday in brackets keeps that weekday (its span does not change)."""
    if atom.kind != "date" or atom.weekday_name or atom.day is None:
        return atom
    m = _trailing_weekday().match(folded, atom.end)
    return replace(atom, weekday_name=_weekday_name(m.group("wd"))) if m else atom


def _atoms(folded: str, ref_year: int | None) -> list[_Atom]:
    """Non-overlapping atoms, earlier patterns winning, in text order."""
    taken: list[tuple[int, int]] = []
    atoms: list[_Atom] = []
    has_digit = _ANY_DIGIT.search(folded) is not None
    for pattern in _patterns():
        if (pattern.needs_digit and not has_digit) or not all(
            any(word in folded for word in options) for options in pattern.needs
        ):
            continue
        for m in pattern.regex.finditer(folded):
            if m.end() == m.start() or any(m.start() < b and a < m.end() for a, b in taken):
                continue
            atom = _build(pattern.name, m, folded, ref_year)
            if atom is None:
                continue
            taken.append((atom.start, atom.end))
            atoms.append(atom)
    return sorted(atoms, key=lambda a: a.start)


def _with_year(atom: _Atom, year: int, ref_year: int | None) -> _Atom:
    """Re-read a year-less atom with the year its range partner gives."""
    if atom.kind == "date" and atom.month and atom.day:
        d = _safe_date(year, atom.month, atom.day)
        return replace(atom, first=d, last=d, year=year) if d else atom
    if atom.kind == "month" and atom.month:
        first, last = _month_bounds(year, atom.month)
        return replace(atom, first=first, last=last, year=year)
    if atom.kind == "quarter" and atom.quarter:
        return _quarter_atom(atom.start, atom.end, atom.quarter, year, ref_year)
    return atom


def _combine(atoms: list[_Atom], folded: str, ref_year: int | None) -> list[_Atom]:
    """Join "X - Y", "từ X đến Y" and "quý I và quý II/2026" into ranges."""
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            gap = folded[a.end : b.start]
            same = a.kind == b.kind or {a.kind, b.kind} <= {"date", "range"}
            joiner = _RANGE_GAP.match(gap) or (_AND_GAP.match(gap) and a.kind in ("month", "quarter"))
            if same and joiner and a.kind in ("date", "month", "quarter") and a.valid and b.valid:
                if a.yearless and not b.yearless and b.year is not None:
                    a = _with_year(a, b.year, ref_year)
                if a.first and b.last and a.first <= b.last:
                    start = a.start
                    m = _FROM_BEFORE.search(folded, 0, a.start)
                    if m:
                        start = m.start()
                    same_year = a.first.year == b.last.year
                    same_month = same_year and a.first.month == b.last.month
                    out.append(
                        _Atom(
                            "range",
                            start,
                            b.end,
                            a.first,
                            b.last,
                            year=b.last.year if same_year else None,
                            month=b.last.month if same_month else None,
                            yearless=a.yearless and b.yearless,
                        )
                    )
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _to_value(atom: _Atom, text: str) -> DateValue:
    return DateValue(
        kind=atom.kind,
        text=text[atom.start : atom.end],
        start=atom.first,
        end=atom.last,
        year=atom.year,
        month=atom.month,
        quarter=atom.quarter,
        recurrence=atom.recurrence,
        span=(atom.start, atom.end),
        weekday=atom.weekday_name,
    )


@lru_cache(maxsize=8192)
def _prepare(text: str, ref_year: int | None) -> tuple[str, str, tuple[_Atom, ...]]:
    """NFC text, its folded form and its atoms; cached because one paragraph is asked
    for its deadline, its dates and its period by different stages."""
    text = unicodedata.normalize("NFC", text)
    folded = _fold(text)
    return text, folded, tuple(_combine(_atoms(folded, ref_year), folded, ref_year))


# --------------------------------------------------------------------------- roles


def _cue(folded: str, atom: _Atom) -> tuple[Role, int] | None:
    """The cue word right before ``atom``, as (role, priority)."""
    window = folded[max(0, atom.start - 60) : atom.start]
    for rx, role, priority in _cue_regexes():
        m = rx.search(window)
        if m:
            if m.group(0).rstrip().endswith("ngày") and atom.kind not in ("date", "range"):
                return None  # "trước ngày" wants a day: "... trước ngày | Tháng 01/2026" is a header
            return role, priority
    if atom.weekday:
        return "scheduled", 1  # "sáng thứ Sáu (16/10)": the day the item is held
    if atom.kind == "range" and folded.startswith("từ", atom.start) and _range_verb_before().search(window):
        return "scheduled", 1  # "..., thực hiện từ ngày 03/11 - 14/11/2026"
    return None


@cache
def _range_verb_before() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alt(_vocab()['range_cues']['verbs'])})\s*$")


def _is_reference(text: str, folded: str, atom: _Atom) -> bool:
    window = text[max(0, atom.start - 80) : atom.start]
    if _SYMBOL_BEFORE.search(window):
        return True
    law = _LAW_BEFORE.search(folded, max(0, atom.start - 100), atom.start)
    return bool(law and text[law.start()].isupper())


def _is_content(folded: str, atom: _Atom, ref_year: int | None) -> bool:
    first, last = atom.first, atom.last
    if (
        atom.kind == "range"
        and first
        and last
        and first.year < last.year
        and first.replace(year=2000) == last.replace(year=2000)
    ):
        return True  # anniversary span "(03/02/1930 - 03/02/2026)"
    # Historical dates ("30/4/1975") are content; stay pure: no clock, a fixed floor without ref_year.
    oldest = ref_year - 20 if ref_year else 1990
    if atom.first is not None and atom.first.year < oldest:
        return True  # historical date "30/4/1975"
    if atom.kind == "range" and folded.startswith("từ", atom.start):
        return False  # "trực bảo vệ Tết từ ngày 14/02 đến ngày 22/02": a span of work, not a holiday's date
    lo = max(0, atom.start - 120)
    clause = folded[lo : atom.start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(clause)), default=0)
    return bool(_content_regex().search(clause[cut:]))


def _role(text: str, folded: str, atom: _Atom, ref_year: int | None) -> tuple[Role, int]:
    """Role of one atom and the priority of its cue (0 without cue)."""
    if atom.stamp:
        return "unknown", 0
    cue = _cue(folded, atom)
    if cue:
        return cue
    if atom.kind in ("recurring", "per_plan"):
        return "scheduled", 0
    if atom.kind == "month" and _month_event_before().search(folded, 0, atom.start):
        return "content", 0  # "Cách mạng Tháng Tám"
    if atom.kind in ("date", "month") and _is_reference(text, folded, atom):
        return "reference", 0
    if atom.kind in ("date", "range") and _is_content(folded, atom, ref_year):
        return "content", 0
    if atom.kind in ("month", "quarter", "half", "range", "year"):
        return "period", 0
    return "unknown", 0


def _per_plan_in_running_text(folded: str, atom: _Atom) -> bool:
    """'theo kế hoạch' is a timing only as a cell value or after a colon."""
    before = folded[: atom.start].rstrip()
    return before in ("", "thực hiện") or before.endswith(":")


# --------------------------------------------------------------------------- public API


def find_dates(text: str, *, ref_year: int | None = None) -> list[DateMention]:
    """Every date expression in ``text`` with its role, in text order.

    Roles: ``deadline``/``scheduled`` after a cue word ("trước ngày", "dự kiến
    tổ chức vào ngày"; recurrences and "theo kế hoạch" are ``scheduled``),
    ``reference`` right after a document symbol or a law name, ``content`` for
    anniversaries, holidays and named days, ``period`` for months, quarters,
    halves and ranges, ``unknown`` otherwise (including e-signature stamps).
    """
    text, folded, atoms = _prepare(text, ref_year)
    mentions = []
    for atom in atoms:
        timing_word = atom.kind == "per_plan" or atom.recurrence == "continuous"
        if atom.kind == "year" or (timing_word and not _per_plan_in_running_text(folded, atom)):
            continue
        role, _ = _role(text, folded, atom, ref_year)
        mentions.append(DateMention(value=_to_value(atom, text), role=role))
    return mentions


def find_deadline(text: str, *, ref_year: int | None = None) -> DateValue | None:
    """The date the item in ``text`` is itself due or scheduled on, or None.

    Only a date, range, month, quarter or half right after a cue word counts
    ("hoàn thành trước ngày 31/12/2025", "Dự kiến tổ chức vào ngày 28/01/2026",
    "trình trong tháng 01/2026"); the strongest cue wins ("chậm nhất" over
    "dự kiến"), then the first. Anniversaries, cited documents' dates and
    stamps never carry a cue, so they are never returned.
    """
    text, folded, atoms = _prepare(text, ref_year)
    best: tuple[int, _Atom] | None = None
    for atom in atoms:
        if atom.kind not in ("date", "range", "month", "quarter", "half") or not atom.valid or atom.stamp:
            continue
        cue = _cue(folded, atom)
        if cue and (best is None or cue[1] > best[0]):
            best = (cue[1], atom)
    return _to_value(best[1], text) if best else None


_PAREN = re.compile(r"\([^()]*\)")
# "(Chậm nhất ngày 10/12/2025 - 95 ngày trước bầu cử)": days counted before/after an event
_OFFSET = re.compile(r"(?<!\w)\d{1,3}\s+ngày\s+(?:trước|sau)(?!\w)[^()]*")


def _remarks(residual: str, atoms: Sequence[_Atom]) -> str:
    """Blank a cell's remarks: parentheses holding no date, day counts relative to an event."""
    out = list(residual)
    for m in _PAREN.finditer(residual):
        if not any(m.start() < a.end and a.start < m.end() for a in atoms):
            out[m.start() : m.end()] = " " * (m.end() - m.start())
    for m in _OFFSET.finditer(residual):
        out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


def _whole(text: str, ref_year: int | None, *, allow_cues: bool) -> tuple[str, str, tuple[_Atom, ...]] | None:
    """Atoms of ``text`` when they (plus fillers and cue words) make up all of it."""
    text, folded, atoms = _prepare(text, ref_year)
    if not atoms or len(text.strip()) > 300:
        return None
    rest = list(folded)
    for atom in atoms:
        rest[atom.start : atom.end] = " " * (atom.end - atom.start)
    residual = "".join(rest)
    if not allow_cues and _cue_only_regex().search(residual):
        return None
    if allow_cues:  # a cell's remarks: "Tháng 11/2026 (sau khi tỉnh ban hành hướng dẫn)"
        residual = _remarks(residual, atoms)
    residual = _residual_regex().sub(" ", residual)
    if re.search(r"[^\W_]", residual):
        return None
    return text, folded, atoms


def parse_date_expression(text: str, *, ref_year: int | None = None) -> DateValue | None:
    """Read a whole cell or short string as one date expression, or None.

    "15/01/2026", "10-20/3/2026", "Quý I/2026", "theo KH", "hằng quý",
    "trước ngày 31/12/2025" ... With several dates the one after the strongest
    cue wins ("Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025)" gives the
    10th), else the last. Impossible dates give None.
    """
    whole = _whole(text, ref_year, allow_cues=True)
    if whole is None:
        return _year_range(text)
    text, folded, atoms = whole
    chosen = atoms[-1]
    if len(atoms) > 1:
        ranked = [(_cue(folded, a) or ("unknown", 0))[1] for a in atoms]
        top = max(ranked)
        chosen = [a for a, r in zip(atoms, ranked, strict=True) if r == top][-1]
    if not chosen.valid:
        return None
    return _to_value(chosen, text)


_YEAR_RANGE = re.compile(
    r"^\s*(?:(?:giai đoạn|từ năm|năm)\s+)?(?P<a>\d{4})\s*[-–]\s*(?:năm\s+)?(?P<b>\d{4})\s*$", re.I
)


def _year_range(text: str) -> DateValue | None:
    """A cell that is only a span of years ("2025 - 2026", "giai đoạn 2026-2030").

    Whole strings only: in running text "giai đoạn 2026-2030" names a plan's term.
    """
    text = unicodedata.normalize("NFC", text)
    m = _YEAR_RANGE.match(text)
    if m is None or not 1900 < int(m["a"]) <= int(m["b"]) < 2200:
        return None
    a, b = int(m["a"]), int(m["b"])
    return DateValue(
        kind="range",
        text=text[m.start("a") : m.end("b")],
        start=dt.date(a, 1, 1),
        end=dt.date(b, 12, 31),
        span=(m.start("a"), m.end("b")),
    )


_PERIOD_KINDS = ("month", "quarter", "half")
_WEEK_HEADING = re.compile(r"tuần\s+(?:thứ\s+)?\d", re.IGNORECASE)
_DAY_HEADING = re.compile(r"(?:(?:buổi\s+)?(?:sáng|chiều|tối)\s+)?(?:thứ\s+\w+|chủ\s+nhật)\b", re.IGNORECASE)


@cache
def _ongoing_heading() -> re.Pattern[str]:
    v = _vocab()["ongoing"]
    return re.compile(rf"(?:(?:{_alt(v['heading_leads'])})\s+)?(?P<what>{_alt(v['phrases'])})")


def _period_of(
    text: str, ref_year: int | None, offset: int, kinds: tuple[str, ...] = _PERIOD_KINDS
) -> DateValue | None:
    """A month/quarter/half (or one of ``kinds``) that is the whole of ``text`` (no cue words)."""
    whole = _whole(text, ref_year, allow_cues=False)
    if whole is None:
        return None
    nfc_text, _, atoms = whole
    if len(atoms) != 1 or atoms[0].kind not in kinds:
        return None
    value = _to_value(atoms[0], nfc_text)
    a, b = value.span
    return value.model_copy(update={"span": (a + offset, b + offset)})


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


# A heading that is a span of months or quarters: "Tháng 11 - 12", "QUÝ III, IV", "Tháng 9 và tháng 10/2026".
_SPAN_HEADING = re.compile(
    r"^(?:tháng|quý)\s+[\divx]{1,4}\s*(?:[-–,]|và)\s*(?:(?:tháng|quý)\s+)?[\divx]{1,4}(?:\s*/\s*\d{4})?$",
    re.IGNORECASE,
)


def parse_period_heading(text: str, *, ref_year: int | None = None) -> DateValue | None:
    """The period a section heading sets for the items under it, or None.

    Accepted: a heading that is only the period ("1. Tháng 01/2026", "QUÝ II",
    "6 tháng đầu năm 2026"), a short heading ending in the period in
    parentheses ("Hội nghị ... lần thứ 3 (Tháng 3/2026)"), and an upper-case
    heading whose period follows "CÔNG TÁC"/"TRỌNG TÂM"/"NHIỆM VỤ" ("I. TRỌNG TÂM
    CÔNG TÁC THÁNG 01/2026"). Item text that merely mentions a month gives None.
    """
    text = unicodedata.normalize("NFC", text)
    body = text.strip()
    if not body or len(body) > 160 or body[0] in "-+•*–":
        return None
    if body[0] == "(" and not (body.endswith(")") and body.count("(") == 1):
        return None  # "(1) Kiểm điểm ..." is an item
    offset = text.find(body)
    enum = _ENUMERATOR.match(body)
    if enum:
        offset += enum.end()
        body = body[enum.end() :]
    trimmed = body.rstrip(" .:;")
    wrapped = trimmed.startswith("(") and trimmed.endswith(")")
    inner = trimmed[1:-1] if wrapped else trimmed
    # A week heading ("Tuần 3 (từ 19/10 đến 23/10)", "Tuần 3 tháng 10/2026") sets a range;
    # a day heading of a schedule ("THỨ HAI (19/10)", "Thứ Hai, ngày 19/10/2026:") its day.
    kinds = _PERIOD_KINDS
    if _WEEK_HEADING.match(inner) or _SPAN_HEADING.match(inner):
        kinds = (*_PERIOD_KINDS, "range")
    elif _DAY_HEADING.match(inner):
        kinds = (*_PERIOD_KINDS, "date")
    value = _period_of(inner, ref_year, offset + int(wrapped), kinds)
    if value is not None:
        return value
    ongoing = _ongoing_heading().fullmatch(_fold(inner))
    if ongoing is not None:  # "4. Nhiệm vụ thường xuyên": items without a month
        a, b = ongoing.span("what")
        return DateValue(
            kind="recurring", text=inner[a:b], recurrence="continuous", span=(a + offset, b + offset)
        )
    paren = re.search(r"\(([^()]*)\)$", trimmed)
    if paren and len(trimmed) <= 140:
        value = _period_of(paren.group(1), ref_year, offset + paren.start(1))
        if value is not None:
            return value
    if _mostly_upper(trimmed):
        _, folded, atoms = _prepare(trimmed, ref_year)
        if atoms and atoms[-1].kind in _PERIOD_KINDS and atoms[-1].end == len(trimmed):
            last = atoms[-1]
            if _HEADING_LEAD.search(folded, 0, last.start):
                value = _to_value(last, trimmed)
                return value.model_copy(update={"span": (last.start + offset, last.end + offset)})
    return None


def title_month(text: str, *, ref_year: int | None = None) -> DateValue | None:
    """The month a document's title names ("CHƯƠNG TRÌNH CÔNG TÁC THÁNG 10 NĂM 2026"), or None.

    Any case and either way of writing the month ("tháng 10 năm 2026", "THÁNG 10/2026",
    "Tháng Mười năm 2026"); a title that names no month, several months, a day, a
    quarter or an event ("Cách mạng Tháng Tám") gives None. ``span`` points into ``text``.
    """
    nfc, folded, atoms = _prepare(text, ref_year)
    months = [a for a in atoms if a.kind == "month"]
    if len(months) != 1 or any(a.kind not in ("month", "year") for a in atoms):
        return None
    atom = months[0]
    if _month_event_before().search(folded, 0, atom.start) or _is_reference(nfc, folded, atom):
        return None
    return _to_value(atom, nfc)
