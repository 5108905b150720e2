"""What the report shows, read from a vanban database (and the source files for passages).

Every section is one small query over the analyst views of
:mod:`vanban.pipeline.views`, returned as plain Python rows so the HTML
renderer has no SQL in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from vanban.pipeline.views import open_analyst_db

# Cap the heat map so that a 200-file archive still gives a readable grid.
MAX_HEAT_UNITS = 30
# Deadlines shown around the reference day.
DUE_WINDOW_DAYS = 30
MAX_DUE_ROWS = 60
# Source text embedded per document (characters); longer texts are cut, spans beyond it not linked.
MAX_PASSAGE_CHARS = 400_000


@dataclass
class ReportData:
    """Everything one report renders."""

    db: str
    as_of: dt.date
    totals: dict[str, int]
    documents: list[dict[str, Any]]
    heat_months: list[tuple[int, int]]
    heat_units: list[tuple[str, dict[tuple[int, int], int], int]]
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    most_cited: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    findings_by_rule: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    tasks: dict[str, list[dict[str, Any]]]
    passages: dict[str, str] = field(default_factory=dict)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def load_report_data(db: Path, as_of: dt.date | None = None, *, passages: bool = True) -> ReportData:
    """Read every section of the report from ``db``; ``as_of`` is the day deadlines are measured from."""
    as_of = as_of or dt.date.today()
    con = open_analyst_db(db)
    try:
        totals = {
            name: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for name, table in (
                ("documents", "documents"),
                ("tasks", "tasks"),
                ("units", "task_units"),
                ("citations", "citations"),
                ("findings", "findings"),
            )
        }
        documents = _dicts(
            con,
            """SELECT doc_id, source, format, status, error, doc_type, issuer, locality, province, year,
                      symbol, issued_on, level, task_count
               FROM v_documents ORDER BY status = 'ok', source""",
        )
        heat = con.execute(
            """SELECT unit_key, year, month, tasks FROM v_unit_load
               WHERE year IS NOT NULL AND month IS NOT NULL"""
        ).fetchall()
        due_columns = """state, days_left, due_by, due_by_kind, deadline_text, lead_units, text,
                         source, doc_id, seq"""
        overdue = _dicts(
            con,
            f"""SELECT {due_columns} FROM due_at(?::DATE)
                WHERE state = 'overdue' AND days_left >= -{DUE_WINDOW_DAYS}
                ORDER BY due_by DESC, source, seq LIMIT {MAX_DUE_ROWS}""",
            [as_of],
        )
        upcoming = _dicts(
            con,
            f"""SELECT {due_columns} FROM due_at(?::DATE)
                WHERE state = 'upcoming' AND days_left <= {DUE_WINDOW_DAYS}
                ORDER BY due_by, source, seq LIMIT {MAX_DUE_ROWS}""",
            [as_of],
        )
        most_cited = _dicts(
            con,
            """SELECT symbol, any_value(doc_type_name) AS doc_type_name, any_value(level) AS level,
                      max(issuer) AS issuer, min(issued_on) AS issued_on,
                      count(DISTINCT doc_id) AS citing_documents, sum(citing_tasks) AS citing_tasks
               FROM citations GROUP BY symbol
               ORDER BY citing_documents DESC, citing_tasks DESC, symbol LIMIT 25""",
        )
        chains = _dicts(
            con,
            """SELECT d.source, d.issuer, d.level AS citing_level,
                      list(DISTINCT c.symbol ORDER BY c.symbol) FILTER (WHERE c.level = 'central') AS central,
                      list(DISTINCT c.symbol ORDER BY c.symbol) FILTER (WHERE c.level = 'province') AS province,
                      list(DISTINCT c.symbol ORDER BY c.symbol) FILTER (WHERE c.level = 'local') AS local,
                      list(DISTINCT c.symbol ORDER BY c.symbol) FILTER (WHERE c.level IS NULL) AS unknown
               FROM v_documents d JOIN citations c USING (doc_id)
               GROUP BY d.source, d.issuer, d.level ORDER BY d.source""",
        )
        findings_by_rule = _dicts(
            con,
            """SELECT code, any_value(severity) AS severity, count(*) AS findings,
                      count(DISTINCT doc_id) AS documents
               FROM findings GROUP BY code
               ORDER BY CASE any_value(severity) WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                        findings DESC, code""",
        )
        findings = _dicts(
            con,
            """SELECT code, severity, source, page, line, message, excerpt FROM findings
               ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, code, source, line
               LIMIT 300""",
        )
        tasks: dict[str, list[dict[str, Any]]] = {}
        for row in _dicts(
            con,
            """SELECT doc_id, seq, section, text, month, year, due_by, due_by_kind, deadline_text,
                      lead_units, support_units, page, line, span_start, span_end
               FROM v_tasks ORDER BY source, seq""",
        ):
            tasks.setdefault(row["doc_id"], []).append(row)
    finally:
        con.close()
    heat_months, heat_units = _heat_grid(heat)
    data = ReportData(
        db=str(db),
        as_of=as_of,
        totals=totals,
        documents=documents,
        heat_months=heat_months,
        heat_units=heat_units,
        overdue=overdue,
        upcoming=upcoming,
        most_cited=most_cited,
        chains=chains,
        findings_by_rule=findings_by_rule,
        findings=findings,
        tasks=tasks,
    )
    if passages:
        data.passages = source_texts(documents)
    return data


def _heat_grid(
    rows: list[tuple[str, int, int, int]],
) -> tuple[list[tuple[int, int]], list[tuple[str, dict[tuple[int, int], int], int]]]:
    """Months (sorted) and the busiest units with their tasks per month."""
    months = sorted({(year, month) for _, year, month, _ in rows})
    per_unit: dict[str, dict[tuple[int, int], int]] = {}
    for unit, year, month, count in rows:
        per_unit.setdefault(unit, {})[(year, month)] = count
    ranked = sorted(per_unit.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return months, [(unit, cells, sum(cells.values())) for unit, cells in ranked[:MAX_HEAT_UNITS]]


def _read_text(doc_id: str, source: str) -> str | None:
    """The extracted text of ``source`` if the file is still the one loaded as ``doc_id``, else None."""
    from vanban import extractors
    from vanban.pipeline.extract import file_sha256

    path = Path(source)
    try:
        if not path.is_file() or file_sha256(path) != doc_id:
            return None
        return extractors.extract(path, source=source).text[:MAX_PASSAGE_CHARS]
    except Exception:  # an unreadable file costs its passage, not the report
        return None


def source_texts(documents: list[dict[str, Any]], workers: int | None = None) -> dict[str, str]:
    """The extracted text of each document whose file is still there unchanged, by doc_id.

    Task spans point into this text. A file edited or moved since it was
    loaded is left out (its tasks are listed without a passage). Files are read
    again in worker processes (scanned pages need OCR; a crash costs a passage).
    """
    import os
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    jobs = [(doc["doc_id"], doc["source"]) for doc in documents if doc["status"] != "failed"]
    if len(jobs) < 4:
        found = {doc_id: _read_text(doc_id, source) for doc_id, source in jobs}
    else:
        found = {}
        size = min(len(jobs), workers or os.cpu_count() or 1)
        try:
            with ProcessPoolExecutor(size, mp_context=get_context("spawn")) as pool:
                futures = {doc_id: pool.submit(_read_text, doc_id, source) for doc_id, source in jobs}
                for doc_id, future in futures.items():
                    try:
                        found[doc_id] = future.result()
                    except BrokenProcessPool:
                        break
        except BrokenProcessPool:
            pass
    return {doc_id: text for doc_id, text in found.items() if text is not None}
