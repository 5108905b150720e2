"""What the rules read in running text, through the project's shared grammars.

Dates come from :mod:`vanban.normalizers.dates` (one date grammar), list markers
from :mod:`vanban.layout.markers` (one marker grammar), document symbols from
:mod:`vanban.normalizers.references`, words are compared with
:func:`vanban.normalizers.text.fold` (one fold). Validation keeps no date, marker
or symbol pattern of its own: the functions here filter or combine what those
grammars return (the grammars' known gaps are strict xfails in
tests/validation/test_mentions.py). The numeric patterns left are a span of whole years
("nhiệm kỳ 2026 - 2031"), which the date grammar reads in whole cells only (in
running text such a span names a term, not a time), a bare "năm 2024" (which
the grammar leaves out of running text) and the ordinal of a body ("lần thứ I",
"khóa XII"); the words that introduce them are vocabulary in
``vanban/resources/validation_rules.toml``. Office names abolished in 2025 are
data in ``vanban/resources/abolished_offices.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from vanban.layout.markers import parse as parse_marker
from vanban.normalizers.dates import DateMention, find_dates, parse_date_expression
from vanban.normalizers.references import find_references
from vanban.normalizers.text import fold, fold_tones
from vanban.resources import load_toml

# A year-less day/month is checked in a leap year when the document's year is unknown,
# so that "29/02" alone is never reported without a year to judge it by.
_LEAP_YEAR = 2024
# A range whose first day has no year may cross the new year when it is short ("từ 20/12 đến 10/01/2027").
_NEW_YEAR_SPAN = dt.timedelta(days=183)
_YEAR_PAIR = r"(\d{4})\s*[-–—]\s*(\d{4})"
_YEARS = r"\s*:?\s*\(?\s*" + _YEAR_PAIR
_BARE_YEARS = re.compile(_YEAR_PAIR)
# "năm 2024": a year written alone (the date grammar leaves bare years out of running text).
_YEAR_WORD = re.compile(r"(?<!\w)năm\s+(\d{4})(?!\d)")


@cache
def _vocabulary() -> dict[str, Any]:
    return dict(load_toml("validation_rules")["vocabulary"])


def _alternation(words: list[str]) -> str:
    """Folded words, longest first, spaces matching any whitespace."""
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in folded)


def _matchable(text: str) -> str:
    """``text`` folded for matching with its offsets kept (tone placement and case only)."""
    folded = fold_tones(text).lower()
    return folded if len(folded) == len(text) else text.lower()


@cache
def words_regex(group: str, name: str) -> re.Pattern[str]:
    """A regex of the vocabulary list ``[vocabulary.<group>] <name>``, to search :func:`_matchable` text."""
    return re.compile(rf"(?:{_alternation(_vocabulary()[group][name])})")


def has_word(text: str, group: str, name: str) -> bool:
    """Whether ``text`` holds a whole word or phrase of ``[vocabulary.<group>] <name>`` (folded)."""
    return bool(_whole_words_regex(group, name).search(_matchable(text)))


@cache
def _whole_words_regex(group: str, name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_alternation(_vocabulary()[group][name])})(?!\w)")


def find_words(
    text: str, group: str, name: str, start: int = 0, end: int | None = None
) -> list[re.Match[str]]:
    """Every occurrence in ``text[start:end]`` of a word of ``[vocabulary.<group>] <name>`` (folded)."""
    return list(words_regex(group, name).finditer(_matchable(text), start, len(text) if end is None else end))


# ------------------------------------------------------------------ dates


def date_mentions(text: str, ref_year: int | None) -> list[DateMention]:
    """Every date mention of ``text`` (:func:`~vanban.normalizers.dates.find_dates`), with a year to judge by.

    A day written without its year takes ``ref_year``, else a leap year.
    """
    return find_dates(text, ref_year=ref_year or _LEAP_YEAR)


def impossible_dates(text: str, ref_year: int | None) -> list[DateMention]:
    """Day/month/year mentions that do not exist in the calendar ("31/02/2026", "ngày 31 tháng 4 năm 2026").

    The grammar keeps them as kind ``date`` with no ``start``; a day written
    without a year is judged in ``ref_year`` ("29/02" in a 2026 program).
    """
    return [m for m in date_mentions(text, ref_year) if m.value.kind == "date" and m.value.start is None]


def dated_years(text: str) -> list[int]:
    """Years of the full dates (day, month and year written) in ``text``."""
    years = []
    for mention in find_dates(text):
        value = mention.value
        if value.kind in ("date", "range") and value.start and value.end:
            written = {value.start.year, value.end.year}
            if all(str(year) in value.text for year in written):
                years.extend(sorted(written))
    return years


@cache
def _joiners() -> frozenset[str]:
    ranges = _vocabulary()["ranges"]
    joiners = {fold(w) for w in ranges["joiners"]}
    return frozenset(joiners | {f"{j} ngày" for j in joiners})


def _is_joiner(gap: str) -> bool:
    return fold(gap) in _joiners()


def _opener_start(text: str, start: int) -> int:
    """Where a range opened by "từ"/"từ ngày" right before ``start`` begins (else ``start``)."""
    before = _matchable(text[:start]).rstrip()
    for match in find_words(before, "ranges", "openers"):
        if match.end() == len(before) and (match.start() == 0 or not before[match.start() - 1].isalnum()):
            return match.start()
    return start


def _written_year(mention: DateMention) -> bool:
    return mention.value.year is not None and str(mention.value.year) in mention.value.text


@dataclass(frozen=True)
class Span:
    """A piece of text: its offsets and what it says."""

    start: int
    end: int
    text: str


def reversed_ranges(text: str, ref_year: int | None) -> list[Span]:
    """Written ranges whose end comes before their start.

    Two day mentions joined by "-", "đến", "tới" ("từ ngày 20/3/2026 đến ngày
    10/3/2026", "20/3/2026 - 10/3/2026"); a first day without its year takes the
    second's, or the year before when that makes a range of less than half a
    year ("từ 20/12 đến 10/01/2027" crosses the new year; "từ 20/3 đến 10/3/2026"
    is reversed). A span of days in one month written backwards
    ("20-10/3/2026"), which the grammar reads as its last day only. The grammar
    joins every forward range into one mention, so what it leaves as two days is
    what is checked here.
    """
    found: list[Span] = []
    mentions = [m for m in date_mentions(text, ref_year) if m.value.kind == "date" and m.value.start]
    for first, second in pairwise(mentions):
        a, b = first.value, second.value
        assert a.start is not None and b.start is not None
        if not _is_joiner(text[a.span[1] : b.span[0]]):
            continue
        begin = a.start
        if not _written_year(first) and _written_year(second):
            begin = _in_year(begin, b.start.year)
            earlier = _in_year(a.start, b.start.year - 1)
            if begin and begin > b.start and earlier and b.start - earlier <= _NEW_YEAR_SPAN:
                begin = earlier  # "từ 20/12 đến 10/01/2027" crosses the new year
        if begin is not None and begin > b.start:
            start = _opener_start(text, a.span[0])
            found.append(Span(start, b.span[1], text[start : b.span[1]]))
    for mention in mentions:
        span = _backward_days(text, mention)
        if span is not None:
            found.append(span)
    return sorted(found, key=lambda s: s.start)


def _in_year(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def _backward_days(text: str, mention: DateMention) -> Span | None:
    """ "20-10/3/2026": a day and a joiner before a full date, that read forwards is a span of days."""
    value = mention.value
    if value.start is None or not _written_year(mention):
        return None
    head = text[: value.span[0]].rstrip()
    if not head or fold(head[-1]) != "-":
        return None
    words = head[:-1].split()
    if not words or not words[-1].isdigit():
        return None
    day = words[-1]
    if int(day) <= value.start.day:
        return None
    forward = parse_date_expression(f"{value.start.day}-{day}/{value.start.month}/{value.start.year}")
    if forward is None or forward.kind != "range":
        return None
    start = head.rfind(day)
    return Span(start, value.span[1], text[start : value.span[1]])


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class WrongWeekday:
    """A day written with a weekday it does not fall on: the mention and the day's real weekday."""

    mention: DateMention
    actual: str


def weekday_of(day: dt.date) -> str:
    """ "monday" ... "sunday", the names dates.toml [weekdays] maps to."""
    return _WEEKDAYS[day.weekday()]


def wrong_weekdays(text: str, ref_year: int | None) -> list[WrongWeekday]:
    """Days whose written weekday is not theirs ("Thứ Năm (06/11/2026)" is a Friday).

    A day without its year is read in ``ref_year``; in January or December it may
    belong to the next or previous year (a program crossing the new year), so it
    is reported only when the weekday fits none of those years. Without any year
    nothing is judged.
    """
    found = []
    for mention in find_dates(text, ref_year=ref_year):
        value = mention.value
        if value.kind != "date" or value.weekday is None or value.start is None:
            continue
        if weekday_of(value.start) == value.weekday:
            continue
        if not _written_year(mention) and any(
            other is not None and weekday_of(other) == value.weekday
            for other in _neighbour_years(value.start)
        ):
            continue
        found.append(WrongWeekday(mention, weekday_of(value.start)))
    return found


def _neighbour_years(day: dt.date) -> list[dt.date | None]:
    """The same day in the year a January day may be read in too (the next) or a December one (the previous)."""
    if day.month == 1:
        return [_in_year(day, day.year + 1)]
    if day.month == 12:
        return [_in_year(day, day.year - 1)]
    return []


_CLAUSE_BREAK = re.compile(r"[,;\t]")


def blank_days(text: str) -> list[Span]:
    """Dates written with "ngày" but without their day, as a draft leaves its issue date.

    "Hòa Bình, ngày tháng 12 năm 2025", "ngày /9/2025", "ngày ... tháng ... năm 2025":
    the grammar reads them as a month or a year; a clause that is only such a
    date counts, and so does a month mention anywhere.
    """
    found = {
        m.value.span: Span(*m.value.span, m.value.text)
        for m in find_dates(text)
        if m.value.kind == "month" and fold(m.value.text).startswith("ngày")
    }
    start = 0
    for cut in [*_CLAUSE_BREAK.finditer(text), None]:
        end = cut.start() if cut else len(text)
        piece = text[start:end]
        value = parse_date_expression(piece)
        if value is not None and value.kind in ("month", "year") and fold(value.text).startswith("ngày"):
            a, b = start + value.span[0], start + value.span[1]
            found.setdefault((a, b), Span(a, b, text[a:b]))
        start = cut.end() if cut else len(text)
    return sorted(found.values(), key=lambda s: s.start)


# ------------------------------------------------------------------ spans of years


@dataclass(frozen=True)
class YearSpan:
    """ "nhiệm kỳ 2026 - 2031": where it starts (at its word), where its years start and end, the years."""

    start: int
    years_start: int
    end: int
    first: int
    last: int


@cache
def _year_span_regex(use: str) -> re.Pattern[str]:
    words = _alternation(_vocabulary()["year_spans"][use])
    return re.compile(rf"(?:{words}){_YEARS}")


def year_spans(text: str, use: str, start: int = 0, end: int | None = None) -> list[YearSpan]:
    """Spans of years introduced by a word of ``[vocabulary.year_spans] <use>``, in ``text[start:end]``."""
    stop = len(text) if end is None else end
    return [
        YearSpan(m.start(), m.start(1), m.end(), int(m.group(1)), int(m.group(2)))
        for m in _year_span_regex(use).finditer(_matchable(text), start, stop)
    ]


# ------------------------------------------------------------------ markers


def opens_body(text: str) -> bool:
    """Whether a paragraph starts the body: "Căn cứ ...", "- Thực hiện ...", or an ``I.``/``A.`` heading."""
    parsed = parse_marker(text.strip())
    if parsed.marker is not None and parsed.marker.kind in _vocabulary()["body"]["marker_kinds"]:
        return True
    rest = (
        text.strip()[parsed.offset :] if parsed.marker is not None and parsed.marker.kind == "dash" else text
    )
    folded = fold(rest)
    return any(folded.startswith(fold(w)) for w in _vocabulary()["body"]["openers"])


def item_number(label: str) -> str | None:
    """The label of a numbered item ("3", "10.1") as the marker grammar reads it, else None ("a", "I", "-")."""
    label = label.strip()
    if not label:
        return None
    parsed = parse_marker(f"{label}. x")
    if parsed.marker is None or parsed.marker.kind != "number" or parsed.marker.label != label:
        return None
    return parsed.marker.label


# Written around a number in a number cell or by OCR: "5.", "22 `", "(3)".
_LABEL_NOISE = " \t.)(`'’‘\",:;|"


def number_label(label: str) -> str | None:
    """The number a list or STT cell writes ("5", "5.", "10.1", "22 `" read by OCR), else None."""
    return item_number(label.strip(_LABEL_NOISE))


def group_label(label: str) -> bool:
    """Whether a number cell opens a group of rows rather than numbering one: "I", "II", "A", "b", "Tháng 01"."""
    text = label.strip(_LABEL_NOISE)
    if not text or number_label(label) is not None:
        return False
    parsed = parse_marker(f"{text}. x")
    if parsed.marker is not None and parsed.marker.kind in ("roman", "upper", "letter"):
        return True
    return bool(re.match(r"[^\W\d_]{2,}", text))  # a word ("Tháng 01/2026", "Tổng cộng")


def bare_year_spans(text: str) -> list[YearSpan]:
    """Spans of years written alone ("(1945 - 2026)"), as an anniversary states what it counts."""
    return [
        YearSpan(m.start(), m.start(1), m.end(), int(m.group(1)), int(m.group(2)))
        for m in _BARE_YEARS.finditer(text)
    ]


def stated_span(clause: str) -> YearSpan | None:
    """The first span an anniversary clause states: "(1945 - 2026)" or a range of days "(03/02/1930 - 03/02/2026)"."""
    spans = bare_year_spans(clause)
    for mention in find_dates(clause):
        value = mention.value
        if value.kind == "range" and value.start and value.end:
            first, last = value.start.year, value.end.year
            if str(first) in value.text and str(last) in value.text:
                spans.append(YearSpan(value.span[0], value.span[0], value.span[1], first, last))
    return min(spans, key=lambda s: s.start, default=None)


# ------------------------------------------------------------------ elections and anniversaries


@cache
def _legislature_regex() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation(_vocabulary()['elections']['legislature'])})\s+([ivxlc]+)\b")


def legislatures(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """ "Quốc hội khóa XVI" in ``text[start:end]``: the span and the numeral, upper case."""
    stop = len(text) if end is None else end
    return [
        Span(m.start(), m.end(), m.group(1).upper())
        for m in _legislature_regex().finditer(_matchable(text), start, stop)
    ]


@cache
def _anniversary_regex() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation(_vocabulary()['anniversaries']['context'])})[^;.]{{0,60}}$")


def anniversary_context(before: str) -> bool:
    """Whether the text right before a count ("kỷ niệm 81 năm ...") makes it an anniversary."""
    return bool(_anniversary_regex().search(_matchable(before)))


# ------------------------------------------------------------------ offices


@dataclass(frozen=True)
class OfficeMention:
    """An abolished office named in a text: where, and its row of abolished_offices.toml."""

    start: int
    end: int
    name: str
    successor: str


@cache
def _office_regex() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One regex of every written form (folded, longest first) and the row each form belongs to."""
    rows = {}
    for office in load_toml("abolished_offices")["offices"]:
        for form in office["forms"]:
            rows[fold(form)] = (office["name"], office["successor"])
    return re.compile(rf"(?<!\w)(?:{_alternation(list(rows))})(?!\w)"), rows


def abolished_offices(text: str) -> list[OfficeMention]:
    """Names of offices abolished with the district level (vanban/resources/abolished_offices.toml)."""
    regex, rows = _office_regex()
    found = []
    for m in regex.finditer(_matchable(text)):
        name, successor = rows[" ".join(m.group(0).split())]
        found.append(OfficeMention(m.start(), m.end(), name, successor))
    return found


@cache
def _office_context() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_toml("abolished_offices")
    before = re.compile(rf"(?<!\w)(?:{_alternation(data['historical_before'])})(?!\w)")
    after = re.compile(rf"^\s*(?:{_alternation(data['historical_after'])})(?!\w)")
    return before, after


# How far before an office name a "trước đây"/"nguyên" still speaks of it
# ("nguyên Trưởng phòng Tư pháp huyện").
_HISTORY_WINDOW = 30
# How far a cited document may stand before the office that issued it or that its title names.
_CITATION_WINDOW = 160
_SENTENCE_END = re.compile(r"[.;!?\n\t](?:\s|$)")


def is_historical(text: str, mention: OfficeMention, since_year: int) -> bool:
    """Whether an office name speaks of the past: "trước đây là ...", "nguyên Trưởng phòng ...",
    "... (cũ)", a year before ``since_year`` in its sentence, or the issuer or title of a cited document."""
    before_re, after_re = _office_context()
    head = _matchable(text[max(0, mention.start - _HISTORY_WINDOW) : mention.start])
    if before_re.search(head) or after_re.match(_matchable(text[mention.end :])):
        return True
    cut = [m.end() for m in _SENTENCE_END.finditer(text, 0, mention.start)]
    sentence_start = cut[-1] if cut else 0
    sentence = text[sentence_start : mention.end]
    if any(year < since_year for year in dated_years(sentence)):
        return True
    if any(int(y) < since_year for y in _YEAR_WORD.findall(_matchable(sentence))):
        return True
    window_start = max(sentence_start, mention.start - _CITATION_WINDOW)
    return bool(find_references(text[window_start : mention.start]))


# ------------------------------------------------------------------ terms of named bodies


@dataclass(frozen=True)
class BodyTerm:
    """ "Đại hội Đảng bộ xã lần thứ I, nhiệm kỳ 2025 - 2030": the body, its ordinal and its term."""

    start: int
    end: int
    body: str
    ordinal: str
    first: int
    last: int
    level: str = ""  # "xã", "tỉnh": the level written after the body ("HĐND xã" and "HĐND tỉnh" differ)
    written: str = ""  # the body as written, with its ordinal ("Đại hội Đảng bộ xã lần thứ I")


# Text between a body's name and its term: the place, an ordinal, a comma ("Đảng bộ xã Công Hải lần thứ I,").
_BODY_GAP = 60


_LEVEL = re.compile(r"\s+(xã|phường|đặc khu|tỉnh|thành phố|huyện|quận|toàn quốc|cơ sở)(?!\w)")


@cache
def _body_regex() -> re.Pattern[str]:
    """A body word, then (within the same clause) its ordinal "lần thứ I" / "khóa XII", right before the term."""
    vocabulary = _vocabulary()["bodies"]
    bodies = _alternation(vocabulary["names"])
    ordinals = _alternation(vocabulary["ordinals"])
    return re.compile(
        rf"(?<!\w)(?P<body>{bodies})(?!\w)[^;.:\t(),]{{0,{_BODY_GAP}}}?(?<!\w)(?:{ordinals})\s+"
        rf"(?P<ordinal>[ivxlc]+|\d{{1,2}})(?!\w)\s*,?\s*$"
    )


def body_terms(text: str) -> list[BodyTerm]:
    """Terms of office written with the body and its ordinal they belong to.

    Only a term right after "<body> ... lần thứ N" or "<body> ... khóa N" counts:
    the ordinal names one congress or one council, so two terms for it
    contradict each other. A term without an ordinal may be another
    congress's (the previous term reviewed), and is left out.
    """
    found = []
    folded = _matchable(text)
    for span in year_spans(text, "term"):
        offset = max(0, span.start - 2 * _BODY_GAP)
        head = folded[offset : span.start]
        m = _body_regex().search(head)
        if m is None:
            continue
        body = " ".join(m.group("body").split())
        level = _LEVEL.match(head, m.end("body"))
        found.append(
            BodyTerm(
                span.start,
                span.end,
                body,
                m.group("ordinal").upper(),
                span.first,
                span.last,
                " ".join(level.group(1).split()) if level else "",
                " ".join(text[offset + m.start() : offset + m.end("ordinal")].split()),
            )
        )
    return found
