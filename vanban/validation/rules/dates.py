"""Date rules: impossible dates (VB201), a deadline outside its month (VB202), a period or
deadline in another year (VB203), a deadline before the issue date (VB204), reversed ranges (VB205)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import groupby

from vanban.schemas.records import TaskRecord
from vanban.validation.context import DocContext, excerpt_of
from vanban.validation.findings import Hit

_D = r"(\d{1,2})\s*/\s*(\d{1,2})"
_DMY = re.compile(rf"(?<![\d/.])({_D}\s*/\s*(\d{{4}}))(?![\d/])")
_WORDS_DMY = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DAY_MONTH = re.compile(r"\bngày\s+(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])", re.IGNORECASE)
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?"
_FROM_TO = re.compile(rf"\btừ\s+(?:ngày\s+)?{_DATE}\s+(?:đến|tới)\s+(?:ngày\s+)?{_DATE}", re.IGNORECASE)
_DASH_DATES = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})\s*[-–]\s*(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])"
)
_DAY_RANGE = re.compile(r"(?<![\d/-])(\d{1,2})\s*[-–]\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
_YEAR_RANGE = re.compile(
    r"\b(?:giai\s+đoạn|nhiệm\s+kỳ|năm\s+học|niên\s+khóa|niên\s+khoá|từ\s+năm)\s*:?\s*\(?\s*(\d{4})\s*[-–]\s*(\d{4})",
    re.IGNORECASE,
)


def check(ctx: DocContext) -> Iterator[Hit]:
    """Run every date rule on one document."""
    yield from _impossible(ctx)
    yield from _outside_month(ctx)
    yield from _year_mismatch(ctx)
    yield from _before_issue(ctx)
    yield from _reversed(ctx)


def _valid(day: int, month: int, year: int | None) -> bool:
    try:
        dt.date(year or 2024, month, day)  # 2024 is a leap year: 29/02 without a year is possible
    except ValueError:
        return False
    return True


def _impossible(ctx: DocContext) -> Iterator[Hit]:
    for index, text in ctx.texts():
        spans: list[tuple[int, int, str]] = []
        for m in _DMY.finditer(text):
            if not _valid(int(m.group(2)), int(m.group(3)), int(m.group(4))):
                spans.append((m.start(), m.end(), m.group(1)))
        for m in _WORDS_DMY.finditer(text):
            day, month, year = (int(g) for g in m.groups())
            if not _valid(day, month, year):
                spans.append((m.start(), m.end(), f"{day}/{month}/{year}"))
        for m in _DAY_MONTH.finditer(text):
            if not _valid(int(m.group(1)), int(m.group(2)), None):
                spans.append((m.start(), m.end(), f"{m.group(1)}/{m.group(2)}"))
        for start, end, written in spans:
            where = ctx.locate(index, start, end)
            yield Hit("VB201", where.excerpt, where.prov.line, where.prov.page, {"date": written})


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _deadline_hit(code: str, task: TaskRecord, **params: object) -> Hit:
    prov = task.provenance
    text = task.text if not task.deadline_text else f"{task.text[:80]} | {task.deadline_text}"
    return Hit(code, excerpt_of(text, 0, 0), prov.line, prov.page, dict(params))


def _outside_month(ctx: DocContext) -> Iterator[Hit]:
    for task in ctx.result.tasks:
        deadline = task.deadline
        if not (deadline and task.month and task.year and task.deadline_kind == "date"):
            continue
        if deadline.year == task.year and deadline.month != task.month:
            yield _deadline_hit("VB202", task, deadline=_fmt(deadline), month=task.month, year=task.year)


def _year_mismatch(ctx: DocContext) -> Iterator[Hit]:
    year = ctx.year
    if year is None:
        return
    for section, group in groupby(ctx.result.tasks, key=lambda t: t.section):
        first = next(group)
        if first.period_basis == "heading" and first.year and first.year != year:
            heading = ctx.find_paragraph(section or "", before_line=first.provenance.line)
            if heading is not None:
                where = ctx.locate(heading, 0, 0)
                line, page, excerpt = where.prov.line, where.prov.page, where.excerpt
            else:
                line, page, excerpt = first.provenance.line, first.provenance.page, section or first.text
            yield Hit(
                "VB203",
                excerpt,
                line,
                page,
                {"what": "Tiêu đề kỳ", "what_en": "Period heading", "found": first.year, "year": year},
            )
    if ctx.document.issued_on:
        return  # VB204 judges deadlines against the real issue date
    floor = ctx.latest_citation
    ceiling = max(year + 1, ctx.period_end_year or year)
    for task in ctx.result.tasks:
        deadline = task.deadline
        if deadline is None:
            continue
        early = deadline.year < year and (floor is None or deadline < floor)
        if early or deadline.year > ceiling:
            yield _deadline_hit("VB203", task, what="Hạn", what_en="Deadline", found=deadline.year, year=year)


def _before_issue(ctx: DocContext) -> Iterator[Hit]:
    issued = ctx.document.issued_on
    if issued is None:
        return
    for task in ctx.result.tasks:
        if task.deadline and task.deadline < issued:
            yield _deadline_hit("VB204", task, deadline=_fmt(task.deadline), issued=_fmt(issued))


def _date(day: str, month: str, year: str | None, default: int) -> dt.date | None:
    try:
        return dt.date(int(year) if year else default, int(month), int(day))
    except ValueError:
        return None


def _reversed(ctx: DocContext) -> Iterator[Hit]:
    default = ctx.year or 2000
    for index, text in ctx.texts():
        found: list[tuple[int, int]] = []
        for m in _FROM_TO.finditer(text):
            d1, m1, y1, d2, m2, y2 = m.groups()
            end = _date(d2, m2, y2, default)
            start = _date(d1, m1, y1 or (str(end.year) if end else None), default)
            if start and end and end < start:
                found.append((m.start(), m.end()))
        for m in _DASH_DATES.finditer(text):
            start, end = _date(*m.groups()[:3], default), _date(*m.groups()[3:], default)
            if start and end and end < start:
                found.append((m.start(), m.end()))
        for m in _DAY_RANGE.finditer(text):
            if int(m.group(1)) > int(m.group(2)):
                found.append((m.start(), m.end()))
        for m in _YEAR_RANGE.finditer(text):
            if int(m.group(2)) < int(m.group(1)):
                found.append((m.start(1), m.end()))
        for start, end in found:
            where = ctx.locate(index, start, end)
            yield Hit(
                "VB205", where.excerpt, where.prov.line, where.prov.page, {"range": text[start:end].strip()}
            )
