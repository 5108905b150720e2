"""``vanban export``: the tasks of a database as CSV, XLSX, Parquet, JSONL or an iCalendar file.

Every format reads the same rows: ``v_tasks`` (one row per task, with the
derived ``month``/``quarter``/``due_by`` and the unit lists), filtered by an
optional SQL ``WHERE`` condition and ordered by due date. Vietnamese office
users open CSV in Excel, which reads UTF-8 only after a byte-order mark, hence
``bom``; XLSX keeps dates as dates, freezes the header and adds filters; the
calendar has one all-day event per task that has a day (deadline or start).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb

from vanban.errors import DatabaseError, VanbanError
from vanban.pipeline.views import open_analyst_db


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    jsonl = "jsonl"
    ics = "ics"


class ExportError(VanbanError):
    """The export cannot be written (a bad --where condition, an unwritable file)."""


_ORDER = "due_by NULLS LAST, source, seq"


def tasks_query(where: str | None) -> str:
    """The SQL every export reads: v_tasks, filtered by ``where``."""
    condition = f"WHERE ({where})" if where and where.strip() else ""
    return f"SELECT * FROM v_tasks {condition} ORDER BY {_ORDER}"


def fetch_tasks(db: Path, where: str | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns and rows of the tasks to export; a bad ``where`` raises :class:`ExportError`."""
    con = open_analyst_db(db)
    try:
        cursor = con.execute(tasks_query(where))
        return [d[0] for d in cursor.description or []], cursor.fetchall()
    except duckdb.Error as err:
        raise ExportError(f"--where {where!r}: {str(err).splitlines()[0]}") from err
    finally:
        con.close()


def export(
    db: Path,
    out: Path,
    format: ExportFormat,
    *,
    where: str | None = None,
    bom: bool = False,
    stamp: dt.datetime | None = None,
) -> int:
    """Write the tasks of ``db`` to ``out`` in ``format``; return the number of tasks written.

    ``stamp`` is the calendar's DTSTAMP (now, in UTC, by default).
    """
    columns, rows = fetch_tasks(db, where)
    try:
        if format is ExportFormat.csv:
            write_csv(out, columns, rows, bom=bom)
        elif format is ExportFormat.xlsx:
            write_xlsx(out, columns, rows)
        elif format is ExportFormat.parquet:
            write_parquet(out, columns, rows)
        elif format is ExportFormat.jsonl:
            write_jsonl(out, columns, rows)
        else:
            records = [dict(zip(columns, row, strict=True)) for row in rows]
            events = [r for r in records if event_day(r) is not None]
            out.write_bytes(calendar(events, stamp or dt.datetime.now(dt.UTC)).encode("utf-8"))
            return len(events)
    except OSError as err:
        raise ExportError(f"{out}: cannot write ({err.strerror})") from err
    except DatabaseError:
        raise
    return len(rows)


def _flat(value: Any) -> Any:
    """A cell for a flat file: lists joined with ``; ``, NULL empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def excel_safe(value: Any) -> Any:
    """A text cell Excel would read as a formula (``=``, ``+``, ``-``, ``@`` first) quoted with ``'``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_csv(out: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, bom: bool = False) -> None:
    """CSV in UTF-8 (with a byte-order mark when ``bom``, so Excel reads Vietnamese correctly).

    With ``bom`` (a file meant for Excel), text that Excel would run as a formula
    ("- Triển khai ..." in a bulleted section) is kept as text.
    """
    with out.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            cells = [_flat(v) for v in row]
            writer.writerow([excel_safe(c) for c in cells] if bom else cells)


def write_jsonl(out: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One JSON object per task; dates as ISO strings, lists as lists."""
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            record = dict(zip(columns, row, strict=True))
            handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def write_parquet(out: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Parquet with the DuckDB types (dates, integers, lists of strings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([dict(zip(columns, row, strict=True)) for row in rows])
    if not rows:
        table = pa.table({c: pa.array([], pa.string()) for c in columns})
    pq.write_table(table, out)


# Column widths in characters for the XLSX sheet; others get 12.
_XLSX_WIDTHS = {"text": 80, "section": 30, "source": 30, "lead_units": 35, "support_units": 35, "issuer": 28}


def write_xlsx(out: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """An Excel sheet: typed dates (dd/mm/yyyy), a frozen bold header, autofilter, wrapped task text."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out))
    try:
        sheet = book.add_worksheet("tasks")
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        date = book.add_format({"num_format": "dd/mm/yyyy"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        sheet.write_row(0, 0, columns, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, bool | int | float):
                    sheet.write_number(r, c, value)
                elif value is None:
                    sheet.write_blank(r, c, None)
                else:
                    sheet.write_string(r, c, str(_flat(value)), wrap if columns[c] == "text" else None)
        for c, name in enumerate(columns):
            sheet.set_column(c, c, _XLSX_WIDTHS.get(name, 12))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    finally:
        book.close()


# --- iCalendar (RFC 5545) --------------------------------------------------------------------------


def event_day(task: dict[str, Any]) -> dt.date | None:
    """The day a task's event falls on: its deadline, else the day it is scheduled to start."""
    return task.get("deadline") or task.get("start")


def escape_text(text: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and line breaks escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into CRLF + space continuation lines of at most ``limit`` octets.

    Folding counts UTF-8 octets, and never splits a character: Vietnamese
    letters take two or three octets each.
    """
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with a space, which counts toward their limit.
        if size + width > (limit if not parts else limit - 1):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _event_lines(task: dict[str, Any], stamp: str) -> Iterator[str]:
    day = event_day(task)
    assert day is not None
    lead = "; ".join(task.get("lead_units") or []) or "—"
    support = "; ".join(task.get("support_units") or [])
    where = f"{task['source']}" + (f", trang {task['page']}" if task.get("page") else "")
    where += f", dòng {task['line']}" if task.get("line") else ""
    description = [f"Chủ trì: {lead}"]
    if support:
        description.append(f"Phối hợp: {support}")
    if task.get("deadline_text"):
        description.append(f"Thời hạn: {task['deadline_text']}")
    description += [f"Nguồn: {where}", f"Văn bản: {task.get('issuer') or ''}".rstrip()]
    summary = " ".join(str(task["text"]).split())
    if len(summary) > 200:
        summary = summary[:199] + "…"
    yield "BEGIN:VEVENT"
    yield f"UID:{task['doc_id'][:16]}-{task['seq']}@vanban"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{escape_text(summary)}"
    yield f"DESCRIPTION:{escape_text(chr(10).join(description))}"
    if task.get("lead_units"):
        yield f"CATEGORIES:{','.join(escape_text(u) for u in task['lead_units'])}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def calendar(tasks: Sequence[dict[str, Any]], stamp: dt.datetime) -> str:
    """An iCalendar file with one all-day VEVENT per task (tasks without a day are left out)."""
    utc = stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp
    stamp_text = f"{utc:%Y%m%dT%H%M%SZ}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//vanban//task deadlines//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:vanban: thời hạn nhiệm vụ",
    ]
    for task in tasks:
        if event_day(task) is not None:
            lines.extend(_event_lines(task, stamp_text))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
