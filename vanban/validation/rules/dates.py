"""Date rules: impossible dates (VB201), a deadline outside its month (VB202), a period or
deadline in another year (VB203), a deadline before the issue date (VB204), reversed ranges (VB205),
a weekday that is not its day's (VB206)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import groupby

from vanban.schemas.records import TaskRecord
from vanban.validation.context import DocContext, excerpt_of
from vanban.validation.findings import Hit
from vanban.validation.mentions import impossible_dates, reversed_ranges, wrong_weekdays, year_spans


def check(ctx: DocContext) -> Iterator[Hit]:
    """Run every date rule on one document."""
    yield from _impossible(ctx)
    yield from _outside_month(ctx)
    yield from _year_mismatch(ctx)
    yield from _before_issue(ctx)
    yield from _reversed(ctx)
    yield from _weekdays(ctx)


def _impossible(ctx: DocContext) -> Iterator[Hit]:
    for index, text in ctx.texts():
        for mention in impossible_dates(text, ctx.year):
            start, end = mention.value.span
            where = ctx.locate(index, start, end)
            yield Hit("VB201", where.excerpt, where.prov.line, where.prov.page, {"date": mention.value.text})


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
    latest = ctx.latest_period_year or year
    for section, group in groupby(ctx.result.tasks, key=lambda t: t.section):
        first = next(group)
        if first.period_basis == "heading" and first.year and not year <= first.year <= latest:
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


def _reversed(ctx: DocContext) -> Iterator[Hit]:
    for index, text in ctx.texts():
        found = [(span.start, span.end) for span in reversed_ranges(text, ctx.year)]
        found += [
            (span.years_start, span.end) for span in year_spans(text, "forward") if span.last < span.first
        ]
        for start, end in sorted(found):
            where = ctx.locate(index, start, end)
            yield Hit(
                "VB205", where.excerpt, where.prov.line, where.prov.page, {"range": text[start:end].strip()}
            )


# The weekday names of the message, by dates.toml [weekdays] value.
_WEEKDAY_VI = {
    "monday": "Thứ Hai",
    "tuesday": "Thứ Ba",
    "wednesday": "Thứ Tư",
    "thursday": "Thứ Năm",
    "friday": "Thứ Sáu",
    "saturday": "Thứ Bảy",
    "sunday": "Chủ nhật",
}


def _weekdays(ctx: DocContext) -> Iterator[Hit]:
    """A weekday written with a day it is not ("Thứ Năm (06/11/2026)"); a day without its year
    is read in the program's year (its month's, else the document's)."""
    ref_year = ctx.month_program[1] if ctx.month_program else ctx.year
    for index, text in ctx.texts():
        for wrong in wrong_weekdays(text, ref_year):
            value = wrong.mention.value
            assert value.start is not None and value.weekday is not None
            start, end = value.span
            where = ctx.locate(index, start, end)
            yield Hit(
                "VB206",
                where.excerpt,
                where.prov.line,
                where.prov.page,
                {
                    "written": value.text.strip(),
                    "date": _fmt(value.start),
                    "weekday": _WEEKDAY_VI[wrong.actual],
                    "weekday_en": wrong.actual.capitalize(),
                    "written_weekday": _WEEKDAY_VI[value.weekday],
                },
            )
