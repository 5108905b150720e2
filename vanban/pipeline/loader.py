"""DuckDB schema and the one-document-per-transaction loader.

Every table carries ``doc_id`` (the sha256 of the file content), and loading a
document replaces all of its rows in one transaction: re-ingesting the same
file changes nothing, and an interrupted run loses nothing already committed.

Rows are inserted from pyarrow tables (``INSERT ... SELECT FROM`` a registered
Arrow table), which is two orders of magnitude faster than ``executemany``.

``references`` is a reserved word in SQL, so the table is always written
``"references"``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from vanban.errors import DatabaseBusyError, DatabaseError
from vanban.pipeline.views import create_views
from vanban.schemas.records import ExtractionResult, TaskRecord, UnitAssignment

if TYPE_CHECKING:
    from vanban.validation.findings import Finding

SCHEMA_VERSION = 2
# Columns added since version 1, so an older database is upgraded in place.
_MIGRATIONS = {2: ["ALTER TABLE task_units ADD COLUMN IF NOT EXISTS basis VARCHAR DEFAULT 'stated'"]}
# Nullable columns added without a version bump (an older vanban ignores them): run on every open.
_ADDITIVE = [
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS size BIGINT",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS mtime_ns BIGINT",
]

# Column name -> (DuckDB type, Arrow type); one place defines both sides of every insert.
_STR, _INT, _BOOL, _DATE, _DBL = (
    ("VARCHAR", pa.string()),
    ("INTEGER", pa.int32()),
    ("BOOLEAN", pa.bool_()),
    ("DATE", pa.date32()),
    ("DOUBLE", pa.float64()),
)
_TS = ("TIMESTAMP", pa.timestamp("us"))
_BIG = ("BIGINT", pa.int64())

_TABLES: dict[str, dict[str, tuple[str, pa.DataType]]] = {
    "documents": {
        "doc_id": ("VARCHAR PRIMARY KEY", pa.string()),
        "source": _STR,
        "format": _STR,
        "status": _STR,
        "error": _STR,
        "doc_type": _STR,
        "title": _STR,
        "issuer": _STR,
        "locality": _STR,
        "province": _STR,
        "year": _INT,
        "number": _STR,
        "symbol": _STR,
        "issued_on": _DATE,
        "place": _STR,
        "draft": _BOOL,
        "pages": _INT,
        "encoding": _STR,
        "text_integrity": _DBL,
        "task_count": _INT,
        "loaded_at": _TS,
        # File size and modification time when loaded: a re-run skips unchanged files without reading them.
        "size": _BIG,
        "mtime_ns": _BIG,
    },
    "tasks": {
        "doc_id": _STR,
        "seq": _INT,
        "source": _STR,
        "section": _STR,
        "item": _STR,
        "text": _STR,
        "month": _INT,
        "quarter": _INT,
        "year": _INT,
        "deadline": _DATE,
        "start": _DATE,
        "deadline_text": _STR,
        "deadline_kind": _STR,
        "page": _INT,
        "line": _INT,
        "span_start": _INT,
        "span_end": _INT,
        "table_no": _INT,
        "row_no": _INT,
    },
    "task_units": {
        "doc_id": _STR,
        "task_seq": _INT,
        # Position of the unit within its task, so aggregates keep document order.
        "ord": _INT,
        "role": _STR,
        "name": _STR,
        "written": _STR,
        "recognised": _BOOL,
        "kind": _STR,
        "basis": _STR,
    },
    "references": {
        "doc_id": _STR,
        "symbol": _STR,
        "doc_type": _STR,
        "number": _STR,
        "issuer_code": _STR,
        "issued_on": _DATE,
        "issuer": _STR,
        "written": _STR,
        "page": _INT,
        "line": _INT,
    },
    "task_references": {
        "doc_id": _STR,
        "task_seq": _INT,
        "symbol": _STR,
    },
    "targets": {
        "doc_id": _STR,
        "code": _STR,
        "text": _STR,
        "value": _DBL,
        "unit": _STR,
        "comparator": _STR,
        "year": _INT,
        "page": _INT,
        "line": _INT,
    },
    "errors": {
        "doc_id": _STR,
        "source": _STR,
        "stage": _STR,
        "message": _STR,
    },
    # Problems `vanban validate` reports (computed during ingest); see README "Validation".
    "findings": {
        "doc_id": _STR,
        "source": _STR,
        "code": _STR,
        "severity": _STR,
        "message": _STR,
        "page": _INT,
        "line": _INT,
        "excerpt": _STR,
    },
}


def _quote(name: str) -> str:
    return f'"{name}"'


def _arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(col, typ[1]) for col, typ in _TABLES[table].items()])


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables and the analyst views (:mod:`vanban.pipeline.views`); refuse a database of another schema version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    found = row[0] if row else None
    if (
        found is not None
        and found < SCHEMA_VERSION
        and all(v in _MIGRATIONS for v in range(found + 1, SCHEMA_VERSION + 1))
    ):
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[version]:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version])
        found = SCHEMA_VERSION
    if found is not None and found != SCHEMA_VERSION:
        raise DatabaseError(
            f"database has schema version {found}, this vanban writes version {SCHEMA_VERSION}; "
            "ingest into a new database file"
        )
    for table, columns in _TABLES.items():
        cols = ", ".join(f"{_quote(col)} {typ[0]}" for col, typ in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {_quote(table)} ({cols})")
    for statement in _ADDITIVE:
        con.execute(statement)
    create_views(con)
    if found is None:
        con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [SCHEMA_VERSION])


_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


def open_db(
    db_path: Path, read_only: bool = False, *, wait_s: float = 0.0, schema: bool = True
) -> duckdb.DuckDBPyConnection:
    """Connect to ``db_path``; a writable connection creates the file and schema when missing.

    DuckDB lets one process hold a database file for writing, and no other
    process open it meanwhile (not even read-only). When another process holds
    it, this waits up to ``wait_s`` seconds for it to be released (vanban's
    writer releases it between batches), then raises
    :class:`~vanban.errors.DatabaseBusyError` with one line naming the holder.
    ``schema=False`` skips the schema check (a writer re-opening a file it already set up).
    """
    db_path = Path(db_path)
    if read_only and not db_path.exists():
        raise DatabaseError(f"{db_path}: no such database (run `vanban ingest` first)")
    deadline = time.monotonic() + wait_s
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only)
            break
        except duckdb.Error as err:
            if "lock" not in str(err).lower():
                raise DatabaseError(f"{db_path}: cannot open database: {_first_line(err)}") from err
            if time.monotonic() >= deadline:
                holder = _LOCK_HOLDER.search(str(err))
                who = f"process {holder.group(1)}" if holder else "another process"
                raise DatabaseBusyError(
                    f"{db_path}: database is in use by {who}; waited {wait_s:g} s "
                    "(raise with --lock-timeout, or try again when it has finished)"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    if not read_only and schema:
        try:
            # One transaction: a run killed while creating the schema leaves none of it, never half.
            con.begin()
            ensure_schema(con)
            con.commit()
        except duckdb.Error as err:
            con.close()
            raise DatabaseError(f"{db_path}: cannot create schema: {_first_line(err)}") from err
    return con


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def run_query(db_path: Path, sql: str, *, wait_s: float = 30.0) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run SQL on a read-only connection; return column names and rows.

    While ``vanban ingest`` writes, the file is free between its batches: the
    query waits up to ``wait_s`` seconds for such a gap.
    """
    con = open_db(db_path, read_only=True, wait_s=wait_s)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()
    except duckdb.Error as err:
        raise DatabaseError(f"query failed: {err}") from err
    finally:
        con.close()


def arrow_table(result: ExtractionResult, table: str) -> pa.Table:
    """The rows ``table`` would receive for ``result``, as Arrow (keyed by the result's own doc_id)."""
    if table not in _TABLES or table == "findings":
        raise ValueError(f"no table {table!r}; one of {', '.join(t for t in _TABLES if t != 'findings')}")
    rows = _result_tables(result, result.document.doc_id, result.document.source)[table]
    return pa.Table.from_pylist(rows, schema=_arrow_schema(table))


def loaded_status(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, str] | None:
    """``(source, status)`` of a loaded document, or ``None`` when it is not in the database."""
    row = con.execute("SELECT source, status FROM documents WHERE doc_id = ?", [sha256]).fetchone()
    return (row[0], row[1]) if row else None


def load_result(
    con: duckdb.DuckDBPyConnection,
    result: ExtractionResult,
    sha256: str,
    source: str,
    findings: Sequence[Finding] = (),
    *,
    size: int | None = None,
    mtime_ns: int | None = None,
) -> dict[str, int]:
    """Replace every row of document ``sha256`` with ``result``, atomically.

    ``sha256`` and ``source`` win over whatever the records carry, so the key
    is always the content hash of the file that was read. Rows of *other*
    doc_ids that were loaded from the same ``source`` path are deleted too: a
    file edited in place is a new document (new hash), and the database should
    mirror the folder as it is now rather than keep every past version. A
    file removed from the folder is not noticed (nothing is deleted for it).
    ``findings`` (from :mod:`vanban.validation`) replace the document's
    previous findings in the same transaction; ``size`` and ``mtime_ns`` are
    the file's, so a re-run can skip it unread.

    Every row is converted to its table's Arrow schema *before* the
    transaction starts, so a value the database would reject (a surrogate in
    a string, an out-of-range number) fails this document alone with a
    :class:`~vanban.errors.DatabaseError` and nothing is half-written.
    Returns the number of rows inserted per table; raises
    :class:`~vanban.errors.DatabaseError` after rolling back.
    """
    try:
        tables = _result_tables(result, sha256, source)
        tables["documents"][0].update(size=size, mtime_ns=mtime_ns)
        tables["findings"] = [
            {
                **finding.model_dump(include={"code", "message", "page", "line", "excerpt"}),
                "severity": str(finding.severity),
                "doc_id": sha256,
                "source": source,
            }
            for finding in findings
        ]
    except Exception as err:  # malformed records from a worker: this document fails alone
        raise DatabaseError(f"records rejected before loading: {type(err).__name__}: {err}") from err
    arrow = _to_arrow(tables)
    with _transaction(con, sha256):
        _delete_document(con, sha256, source)
        _insert_rows(con, arrow)
    return {table: len(rows) for table, rows in tables.items()}


def load_failure(
    con: duckdb.DuckDBPyConnection,
    sha256: str,
    source: str,
    format: str | None,
    error: str,
    *,
    stage: str = "extract",
    size: int | None = None,
    mtime_ns: int | None = None,
) -> None:
    """Record a file that could not be extracted: a ``failed`` documents row plus an errors row."""
    document = {
        **dict.fromkeys(_TABLES["documents"]),
        "doc_id": sha256,
        "source": source,
        "format": format,
        "status": "failed",
        "error": error,
        "draft": False,
        "task_count": 0,
        "loaded_at": _now(),
        "size": size,
        "mtime_ns": mtime_ns,
    }
    tables = {
        "documents": [document],
        "errors": [{"doc_id": sha256, "source": source, "stage": stage, "message": error}],
    }
    arrow = _to_arrow(tables)
    with _transaction(con, sha256):
        _delete_document(con, sha256, source)
        _insert_rows(con, arrow)


def known_documents(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int | None, int | None]]:
    """``(doc_id, source, status, size, mtime_ns)`` of every loaded document (to plan a re-run)."""
    return con.execute("SELECT doc_id, source, status, size, mtime_ns FROM documents").fetchall()


def record_file_state(
    con: duckdb.DuckDBPyConnection, sha256: str, source: str, size: int, mtime_ns: int
) -> None:
    """Point document ``sha256`` at ``source`` (a moved or renamed file) with its current size and mtime.

    One transaction; the content is the same, so no row but the names changes.
    """
    with _transaction(con, sha256):
        for table in ("documents", "tasks", "errors", "findings"):
            con.execute(f"UPDATE {_quote(table)} SET source = ? WHERE doc_id = ?", [source, sha256])
        con.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE doc_id = ?", [size, mtime_ns, sha256])


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, sha256: str) -> Iterator[None]:
    """BEGIN/COMMIT, or ROLLBACK and re-raise (duckdb errors wrapped in DatabaseError)."""
    con.begin()
    try:
        yield
    except BaseException as err:
        con.rollback()
        if isinstance(err, duckdb.Error | pa.ArrowException):
            raise DatabaseError(f"loading document {sha256[:12]}: {_first_line(err)}") from err
        raise
    else:
        con.commit()


def _delete_document(con: duckdb.DuckDBPyConnection, sha256: str, source: str) -> None:
    """Delete rows of ``sha256`` and of older versions of the same source path from every table."""
    stale = [
        row[0] for row in con.execute("SELECT doc_id FROM documents WHERE source = ?", [source]).fetchall()
    ]
    doc_ids = sorted({sha256, *stale})
    placeholders = ", ".join("?" for _ in doc_ids)
    for table in _TABLES:
        con.execute(f"DELETE FROM {_quote(table)} WHERE doc_id IN ({placeholders})", doc_ids)


def _to_arrow(tables: dict[str, list[dict[str, Any]]]) -> dict[str, pa.Table]:
    """Each table's rows as Arrow, checked against the table's types; raises DatabaseError."""
    try:
        return {
            table: pa.Table.from_pylist(rows, schema=_arrow_schema(table))
            for table, rows in tables.items()
            if rows
        }
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as err:
        # UnicodeEncodeError (a ValueError) is a surrogate from an undecodable file name or byte.
        raise DatabaseError(f"records rejected before loading: {type(err).__name__}: {err}") from err


def _insert_rows(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Bulk insert each table through a registered Arrow table."""
    for table, arrow in tables.items():
        view = f"_vanban_in_{table}"
        cols = ", ".join(_quote(col) for col in _TABLES[table])
        con.register(view, arrow)
        try:
            con.execute(f"INSERT INTO {_quote(table)} ({cols}) SELECT {cols} FROM {view}")
        finally:
            con.unregister(view)


def _now() -> dt.datetime:
    """Load time in UTC, stored naive (DuckDB TIMESTAMP)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _result_tables(result: ExtractionResult, sha256: str, source: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table for one extraction result."""
    doc = result.document
    document = {
        **doc.model_dump(include=set(_TABLES["documents"])),
        "doc_id": sha256,
        "source": source,
        "task_count": len(result.tasks),
        "loaded_at": _now(),
    }
    tasks, units, task_refs = [], [], []
    for seq, task in zip(_sequence_numbers(result.tasks), result.tasks, strict=True):
        tasks.append(_task_row(task, sha256, source, seq))
        units.extend(
            {
                "doc_id": sha256,
                "task_seq": seq,
                "ord": ord_,
                "role": unit.role,
                "name": unit.name,
                "written": unit.written,
                "recognised": unit.recognised,
                "kind": unit.kind,
                "basis": unit.basis,
            }
            for ord_, unit in enumerate(_units_of(task))
        )
        task_refs.extend(
            {"doc_id": sha256, "task_seq": seq, "symbol": symbol} for symbol in dict.fromkeys(task.references)
        )
    references = [
        {
            **ref.model_dump(
                include={"symbol", "doc_type", "number", "issuer_code", "issued_on", "issuer", "written"}
            ),
            "doc_id": sha256,
            "page": ref.provenance.page,
            "line": ref.provenance.line,
        }
        for ref in result.references
    ]
    targets = [
        {
            **target.model_dump(include={"code", "text", "value", "unit", "comparator", "year"}),
            "doc_id": sha256,
            "page": target.provenance.page,
            "line": target.provenance.line,
        }
        for target in result.targets
    ]
    errors = [
        {"doc_id": sha256, "source": source, "stage": err.stage, "message": err.message}
        for err in result.errors
    ]
    return {
        "documents": [document],
        "tasks": tasks,
        "task_units": units,
        "references": references,
        "task_references": task_refs,
        "targets": targets,
        "errors": errors,
    }


def _sequence_numbers(tasks: Sequence[TaskRecord]) -> list[int]:
    """The tasks' own ``seq`` when they are distinct, else 1..n: ``(doc_id, seq)`` must be a key."""
    given = [task.seq for task in tasks]
    if len(set(given)) == len(given):
        return given
    return list(range(1, len(tasks) + 1))


def _task_row(task: TaskRecord, sha256: str, source: str, seq: int) -> dict[str, Any]:
    prov = task.provenance
    return {
        **task.model_dump(
            include={
                "section",
                "item",
                "text",
                "month",
                "quarter",
                "year",
                "deadline",
                "start",
                "deadline_text",
                "deadline_kind",
            }
        ),
        "doc_id": sha256,
        "seq": seq,
        "source": source,
        "page": prov.page,
        "line": prov.line,
        "span_start": prov.start,
        "span_end": prov.end,
        "table_no": prov.table,
        "row_no": prov.row,
    }


def _units_of(task: TaskRecord) -> Sequence[UnitAssignment]:
    """The task's unit assignments; plain name lists stand in when no assignments were built."""
    if task.units:
        return task.units
    return [
        UnitAssignment(name=name, written=name, role=role, recognised=False)
        for role, names in (("lead", task.lead_units), ("support", task.support_units))
        for name in names
    ]
