"""Table rows to drafts: content, lead and support columns, the row's own time or day.

* every lead-type column counts (``Chủ trì`` and ``Cơ quan chuẩn bị``); inside a
  cell, ``;`` separates clauses and ``phối hợp`` applies to its own clause;
* a support column (``Phối hợp``, ``Thành phần``) is support; a place or person
  column is neither;
* a day column (``Thứ Tư (14/10)``) gives the row its date with the document's
  year; a day left empty under a filled one is the same day (a merged cell);
* a group row (``A. LĨNH VỰC KINH TẾ``, ``Tháng 10/2026``, ``Tuần 3 (từ 19/10 đến
  23/10)``) sets the section or the period of the rows below; it is no task.
"""

from __future__ import annotations

from dataclasses import replace

from vanban.interpret import assignments
from vanban.interpret.drafts import Context, Draft
from vanban.interpret.periods import heading_period
from vanban.layout.model import Row, Table, Text
from vanban.normalizers import dates, units


def _join(row: Row, indexes: list[int]) -> str:
    return "; ".join(t for t in dict.fromkeys(row.text(i).strip() for i in indexes) if t)


def _owner(table: Table, row: Row, context: Context) -> assignments.Owner:
    lead: list[units.UnitMatch] = []
    support: list[units.UnitMatch] = []
    for i in table.role_indexes("lead"):
        found = assignments.parse(row.text(i), context.cap) if row.text(i).strip() else assignments.Owner()
        lead.extend(found.lead)
        support.extend(found.support)
    for i in table.role_indexes("support"):
        if row.text(i).strip():
            support.extend(units.split_units(row.text(i), cap=context.cap))
    return assignments.owner(lead, support)


def _time(table: Table, row: Row, day: str, year: int | None) -> tuple[dates.DateValue | None, str | None]:
    written = _join(row, table.role_indexes("time"))
    if written:
        return dates.parse_date_expression(written, ref_year=year) or dates.find_deadline(
            written, ref_year=year
        ), written
    if day:
        value = dates.parse_date_expression(day, ref_year=year)
        if value is None:
            mentions = [
                m.value for m in dates.find_dates(day, ref_year=year) if m.value.kind in ("date", "range")
            ]
            value = mentions[0] if mentions else None
        return value, day
    return None, None


def table_drafts(table: Table, context: Context) -> list[Draft]:
    """The tasks of a task or schedule table."""
    content = table.role_indexes("content")
    if not content:
        return []
    drafts: list[Draft] = []
    day = ""
    for row in table.rows:
        if row.group is not None:
            period = heading_period(row.group.text, context.year)
            if period is not None:
                context = replace(context, period=period, section=row.group.text)
            else:
                context = replace(context, section=row.group.text, period=None)
            day = ""
            continue
        own_day = _join(row, table.role_indexes("day"))
        day = own_day or day
        text = _join(row, content)
        if not text:
            continue
        when, written = _time(table, row, day, context.year)
        number = _join(row, table.role_indexes("number")) or None
        cell = row.cells[content[0]].text
        drafts.append(
            Draft(
                text=text,
                where=cell if cell.provs else Text(text=text),
                context=context,
                item=number,
                when=when,
                written=written,
                units=_owner(table, row, context),
            )
        )
    return drafts
