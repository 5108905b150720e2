"""Analyst views over the loaded tables: derived periods, citations, unit keys, due dates, load.

The tables keep what the documents say; these views add what analysts group
and filter by, computed in SQL so they are always in step with the rows:

* ``v_tasks``: one row per task with ``month``, ``quarter`` and ``due_by``
  derived for every task that has a period or a deadline (``due_by`` is the
  deadline, else the last day of the task's month, quarter or year), list-typed
  unit columns and the cited symbols;
* ``v_task_units``: ``task_units`` with the issuing document's ``locality`` and a
  ``unit_key`` (``Công an phường · phường Đồ Sơn``): canonical names are generic
  ("Công an phường"), so grouping by name alone merges the offices of different wards;
* ``citations``: ``"references"`` (a reserved word) under a plain name, with the
  cited document's ``level`` (central, province, local) and type name;
* ``v_documents``: ``documents`` with the type code of the same vocabulary as
  citations (``doc_type_code``) and the issuing body's level;
* ``v_due``: tasks relative to today (``due_at(DATE)`` for any other day);
* ``v_unit_load``: tasks per unit per month.

Every view and table column carries a ``COMMENT ON`` description
(``SELECT * FROM duckdb_columns() WHERE comment IS NOT NULL``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

_LEVELS = ("central", "province", "local")


@cache
def _level_rules() -> dict[str, dict[str, list[str]]]:
    """The level table (vanban/resources/levels.toml), read once."""
    text = resources.files("vanban.resources").joinpath("levels.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _doc_type_names() -> list[tuple[str, str, int]]:
    """``(code, name, rank)`` for every document type of vanban/resources/symbols.toml (rank 0 = main name)."""
    text = resources.files("vanban.resources").joinpath("symbols.toml").read_text(encoding="utf-8")
    rows = tomllib.loads(text)["doc_type"]
    return [(row["code"], name, rank) for row in rows for rank, name in enumerate(row["names"])]


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def level_sql(code: str, name: str) -> str:
    """A SQL CASE giving the level of a body from its issuer ``code`` and ``name`` expressions."""
    rules = _level_rules()
    arms = []
    for level in _LEVELS:
        rule = rules[level]
        codes = ", ".join(_sql_str(c) for c in rule.get("codes", []))
        tests = [f"{code} IN ({codes})"] if codes else []
        tests += [f"regexp_matches({code}, {_sql_str(p)})" for p in rule.get("code_patterns", [])]
        tests += [f"contains({name}, {_sql_str(w)})" for w in rule.get("words", [])]
        arms.append(f"WHEN coalesce({' OR '.join(tests)}, false) THEN '{level}'")
    return "CASE " + " ".join(arms) + " END"


def level_of(code: str | None, name: str | None) -> str | None:
    """The level (central/province/local) of a body, the same rule as the SQL views use."""
    con = duckdb.connect()
    try:
        row = con.execute(f"SELECT {level_sql('$code', '$name')}", {"code": code, "name": name}).fetchone()
    finally:
        con.close()
    return row[0] if row else None


# The issuer code of a document's own symbol: "04/CTr-UBND" -> UBND, "12-NQ/ĐU" -> ĐU.
_OWN_CODE = "nullif(regexp_extract(d.symbol, '[/-]([^/-]+)$', 1), '')"

_VIEWS = f"""
CREATE OR REPLACE VIEW v_documents AS
SELECT d.*,
    (SELECT dt.code FROM doc_types dt WHERE starts_with(lower(d.doc_type), lower(dt.name))
      ORDER BY length(dt.name) DESC, dt.code LIMIT 1) AS doc_type_code,
    {level_sql(_OWN_CODE, "coalesce(d.issuer, '')")} AS level
FROM documents d;

CREATE OR REPLACE VIEW v_task_units AS
SELECT u.*, d.locality, d.province,
    u.name || ' · ' || coalesce(d.locality, d.issuer, d.province, d.source) AS unit_key
FROM task_units u
JOIN documents d USING (doc_id);

CREATE OR REPLACE VIEW v_tasks AS
WITH base AS (
    SELECT t.*,
        coalesce(t.year, year(t.deadline)) AS year_d,
        coalesce(t.month, month(t.deadline)) AS month_d
    FROM tasks t
)
SELECT
    b.doc_id, b.seq, b.source, d.doc_type, d.issuer, d.locality, d.province,
    b.section, b.item, b.text,
    b.month_d AS month,
    coalesce(b.quarter, (b.month_d + 2) // 3) AS quarter,
    b.year_d AS year,
    b.deadline,
    CASE
        WHEN b.deadline IS NOT NULL THEN b.deadline
        WHEN b.year_d IS NULL THEN NULL
        WHEN b.month_d IS NOT NULL THEN last_day(make_date(b.year_d, b.month_d, 1))
        WHEN b.quarter IS NOT NULL THEN last_day(make_date(b.year_d, b.quarter * 3, 1))
        ELSE make_date(b.year_d, 12, 31)
    END AS due_by,
    CASE
        WHEN b.deadline IS NOT NULL THEN 'day'
        WHEN b.year_d IS NULL THEN NULL
        WHEN b.month_d IS NOT NULL THEN 'month'
        WHEN b.quarter IS NOT NULL THEN 'quarter'
        ELSE 'year'
    END AS due_by_kind,
    b.start, b.deadline_text,
    coalesce((SELECT list(u.name ORDER BY u.ord) FROM task_units u
      WHERE u.doc_id = b.doc_id AND u.task_seq = b.seq AND u.role = 'lead'), []) AS lead_units,
    coalesce((SELECT list(u.name ORDER BY u.ord) FROM task_units u
      WHERE u.doc_id = b.doc_id AND u.task_seq = b.seq AND u.role = 'support'), []) AS support_units,
    coalesce((SELECT list(r.symbol ORDER BY r.symbol) FROM task_references r
      WHERE r.doc_id = b.doc_id AND r.task_seq = b.seq), []) AS cited,
    b.page, b.line, b.span_start, b.span_end, b.table_no, b.row_no
FROM base b
JOIN documents d USING (doc_id);

CREATE OR REPLACE VIEW citations AS
SELECT
    r.doc_id, d.source, d.symbol AS citing_symbol, vd.level AS citing_level, d.locality AS citing_locality,
    r.symbol, r.doc_type,
    (SELECT dt.name FROM doc_types dt WHERE dt.code = r.doc_type ORDER BY dt.rank LIMIT 1) AS doc_type_name,
    r.number, r.issuer_code, r.issuer, r.issued_on,
    {level_sql("r.issuer_code", "coalesce(r.issuer, '')")} AS level,
    (SELECT count(*) FROM task_references tr
      WHERE tr.doc_id = r.doc_id AND tr.symbol = r.symbol) AS citing_tasks,
    r.written, r.page, r.line
FROM "references" r
JOIN documents d USING (doc_id)
JOIN v_documents vd USING (doc_id);

CREATE OR REPLACE MACRO due_at(ref) AS TABLE
SELECT
    CASE WHEN t.due_by < CAST(ref AS DATE) THEN 'overdue' ELSE 'upcoming' END AS state,
    t.due_by - CAST(ref AS DATE) AS days_left,
    t.*
FROM v_tasks t
WHERE t.due_by IS NOT NULL;

CREATE OR REPLACE VIEW v_due AS SELECT * FROM due_at(current_date);

CREATE OR REPLACE VIEW v_unit_load AS
SELECT u.unit_key, u.name AS unit, u.locality, u.province, t.year, t.month,
    count(DISTINCT (u.doc_id, u.task_seq)) FILTER (WHERE u.role = 'lead') AS lead_tasks,
    count(DISTINCT (u.doc_id, u.task_seq)) FILTER (WHERE u.role = 'support') AS support_tasks,
    count(DISTINCT (u.doc_id, u.task_seq)) AS tasks
FROM v_task_units u
JOIN v_tasks t ON t.doc_id = u.doc_id AND t.seq = u.task_seq
GROUP BY ALL;
"""

# Column descriptions, shown by `duckdb_columns()`, DBeaver and the report: a column
# means the same in every table and view, unless the table says otherwise below.
GENERIC_COMMENTS: dict[str, str] = {
    "doc_id": "sha256 of the file content (the document key)",
    "source": "path of the file as given to vanban",
    "format": "file format as read: text, docx, pdf",
    "status": "ok, partial (read in part: see error) or failed",
    "error": "why the file was read only in part or not at all",
    "doc_type": "document type as written in the title (Chương trình công tác, Kế hoạch ...)",
    "title": "title of the document",
    "issuer": "issuing body (Ủy ban nhân dân phường ...)",
    "locality": "commune or ward of the issuing document (phường Đồ Sơn)",
    "province": "province of the issuing document",
    "year": "year of the document or period",
    "number": "document number (04 in 04/CTr-UBND)",
    "symbol": "number and symbol (04/CTr-UBND, 57-NQ/TW)",
    "issued_on": "issue date",
    "place": "place name of the header date line",
    "draft": "number or date left blank in the header",
    "pages": "pages of a PDF",
    "encoding": "detected source encoding (utf-8, cp1258, tcvn3, vni ...)",
    "text_integrity": "share of well-formed Vietnamese text, 0-1",
    "task_count": "tasks extracted from the document",
    "loaded_at": "when the document was loaded (UTC)",
    "size": "file size in bytes when loaded (a re-run skips the file unread while size and mtime match)",
    "mtime_ns": "file modification time when loaded, nanoseconds since the epoch",
    "seq": "order of the task in its document",
    "task_seq": "seq of the task in its document",
    "section": "heading the task is listed under",
    "item": "the task's item number as written",
    "text": "the work item as written",
    "month": "month of the period heading (Tháng 3/2026)",
    "quarter": "quarter of the period heading",
    "deadline": "deadline day when the text gives one",
    "start": "start day when the text gives one",
    "deadline_text": "the deadline as written",
    "deadline_kind": "kind of deadline expression",
    "page": "page (PDF), else NULL",
    "line": "line of a text file or PDF page, paragraph of a DOCX",
    "span_start": "start of the task's character span in the extracted text",
    "span_end": "end of the task's character span in the extracted text",
    "table_no": "table of the task, when it is a table row",
    "row_no": "row of the task in its table",
    "ord": "position of the unit within its task",
    "role": "lead (chủ trì) or support (phối hợp)",
    "name": "canonical unit name; generic across localities, group by v_task_units.unit_key",
    "written": "as the document writes it",
    "recognised": "the unit gazetteer knows the name",
    "kind": "kind of body (office, council, police, party_body ...)",
    "basis": "stated, duty_heading or plan_subject: why the unit is assigned",
    "issuer_code": "issuer code of the symbol (TW, CP, TU, UBND ...)",
    "unit_key": "unit name with its locality: group by this, not by name",
    "unit": "canonical unit name",
}

COMMENTS: dict[str, dict[str, str]] = {
    "tasks": {
        "month": "month of the period heading (Tháng 3/2026); v_tasks derives it for every task",
        "quarter": "quarter of the period heading; v_tasks derives it for every task",
    },
    "references": {
        "symbol": "cited number and symbol (57-NQ/TW); query the citations view",
        "doc_type": "type code of the cited document (NQ, KH, CTr, QĐ ...)",
        "issued_on": "issue date of the cited document when the text gives it",
    },
    "v_tasks": {
        "month": "month of the period heading, else of the deadline",
        "quarter": "quarter of the period heading, else of the month",
        "year": "year of the period, else of the deadline",
        "due_by": "deadline, else the last day of the task's month, quarter or year",
        "due_by_kind": "what due_by comes from: day, month, quarter or year",
        "lead_units": "lead units (chủ trì), in document order",
        "support_units": "support units (phối hợp), in document order",
        "cited": "symbols of the documents the task cites",
    },
    "v_documents": {
        "doc_type_code": "type code in the citations vocabulary (CTr, KH, NQ ...)",
        "level": "level of the issuer: central, province or local",
    },
    "citations": {
        "source": "citing document",
        "citing_symbol": "symbol of the citing document",
        "citing_level": "level of the citing document's issuer",
        "citing_locality": "locality of the citing document",
        "symbol": "cited number and symbol (57-NQ/TW)",
        "doc_type": "type code of the cited document (NQ, KH, CTr ...)",
        "doc_type_name": "type name of the cited document (Nghị quyết ...)",
        "issuer": "issuer of the cited document, when the text names it",
        "issued_on": "issue date of the cited document, when the text gives it",
        "level": "level of the cited document's issuer: central, province or local (NULL when unknown)",
        "citing_tasks": "tasks of the citing document that cite it",
        "written": "the citation as written",
        "page": "page of the first mention",
        "line": "line of the first mention",
    },
    "v_unit_load": {
        "month": "month (of the period, else of the deadline)",
        "lead_tasks": "tasks the unit leads in the month",
        "support_tasks": "tasks the unit supports in the month",
        "tasks": "tasks naming the unit in the month",
    },
}

# Tables and views whose every column is described.
COMMENTED = (
    "documents",
    "tasks",
    "task_units",
    "references",
    "v_tasks",
    "v_task_units",
    "v_documents",
    "citations",
    "v_unit_load",
)

_VIEW_COMMENTS = {
    "v_tasks": "one row per task with derived month, quarter, due_by and unit lists",
    "v_task_units": "task_units with the document locality and a unit_key to group by",
    "v_documents": "documents with the type code and issuer level",
    "citations": "cited documents per citing document, with level and type name",
    "v_due": "tasks by due_by relative to today: state overdue/upcoming, days_left (due_at(DATE) for another day)",
    "v_unit_load": "tasks per unit (unit_key) per month",
}


REQUIRED = ("v_tasks", "v_task_units", "citations", "v_documents", "v_unit_load")


def missing_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Analyst views a database lacks (one written by an older vanban has none until its next ingest)."""
    found = {
        row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    }
    return [view for view in REQUIRED if view not in found]


def open_analyst_db(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``db`` with its analyst views, or :class:`~vanban.errors.DatabaseError`."""
    from vanban.errors import DatabaseError
    from vanban.pipeline.loader import open_db

    con = open_db(db, read_only=True)
    if missing := missing_views(con):
        con.close()
        raise DatabaseError(
            f"{db}: no {', '.join(missing)} view (written by an older vanban, or not a vanban database); "
            f"run `vanban ingest PATH --db {db}` once to add them"
        )
    return con


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace the analyst views, the type vocabulary table and the column comments."""
    con.execute("CREATE OR REPLACE TABLE doc_types (code VARCHAR, name VARCHAR, rank INTEGER)")
    con.executemany("INSERT INTO doc_types VALUES (?, ?, ?)", _doc_type_names())
    for statement in _VIEWS.split(";\n"):
        if statement.strip():
            con.execute(statement)
    for view, comment in _VIEW_COMMENTS.items():
        con.execute(f"COMMENT ON VIEW {view} IS {_sql_str(comment)}")
    columns = con.execute(
        f"SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN ({', '.join(map(_sql_str, COMMENTED))})"
    ).fetchall()
    for table, column in columns:
        comment = COMMENTS.get(table, {}).get(column) or GENERIC_COMMENTS.get(column)
        if comment:
            con.execute(f'COMMENT ON COLUMN "{table}"."{column}" IS {_sql_str(comment)}')
