"""The rows one document gives each table, as Arrow: built in the sandbox worker, loaded by the parent.

``TABLES`` defines every table once, both sides of every insert (the DuckDB
type and the Arrow type of each column). :func:`document_rows` turns an
extraction result and its findings into one :class:`DocumentRows` - each
table's rows converted to its Arrow schema and so checked before any
transaction starts - and :func:`failure_rows` does the same for a file that
could not be read. ``vanban ingest`` builds them in the worker process, next to
the extraction, so the single DuckDB writer only concatenates and inserts
(:func:`vanban.pipeline.loader.load_documents`). This module needs no DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vanban.errors import DatabaseError, VanbanError

if TYPE_CHECKING:
    import pyarrow as pa

    from vanban.schemas.records import ExtractionResult, TaskRecord, UnitAssignment
    from vanban.validation.findings import Finding

# Column name -> (DuckDB type, Arrow type); one place defines both sides of every insert. Arrow
# types are named (see _ARROW) so that a run with nothing to load never imports pyarrow.
_STR, _INT, _BOOL, _DATE, _DBL = (
    ("VARCHAR", "string"),
    ("INTEGER", "int32"),
    ("BOOLEAN", "bool"),
    ("DATE", "date32"),
    ("DOUBLE", "float64"),
)
_TS = ("TIMESTAMP", "timestamp")
_BIG = ("BIGINT", "int64")

TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "documents": {
        "doc_id": ("VARCHAR PRIMARY KEY", "string"),
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


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``'s rows."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int32": pa.int32(),
        "bool": pa.bool_(),
        "date32": pa.date32(),
        "float64": pa.float64(),
        "timestamp": pa.timestamp("us"),
        "int64": pa.int64(),
    }
    return pa.schema([(col, types[typ[1]]) for col, typ in TABLES[table].items()])


@dataclass(frozen=True)
class DocumentRows:
    """One document's rows per table, as Arrow tables of the table's schema (empty tables left out).

    Picklable and compact: a sandbox worker returns it to the parent, which
    loads many at once. ``status`` and ``error`` are the document's;
    ``counts`` gives the rows per table (every table named, zeros included).
    """

    doc_id: str
    source: str
    status: str
    error: str | None
    tables: dict[str, pa.Table]
    counts: dict[str, int]


@dataclass(frozen=True)
class RejectedRows:
    """A result whose rows do not fit the schema (a surrogate in a string, a number out of range)."""

    doc_id: str
    source: str
    reason: str


def document_rows(
    result: ExtractionResult,
    sha256: str,
    source: str,
    findings: Sequence[Finding] = (),
    *,
    size: int | None = None,
    mtime_ns: int | None = None,
) -> DocumentRows:
    """The rows of ``result`` keyed by ``sha256`` and ``source`` (which win over the records' own).

    ``findings`` (from :mod:`vanban.validation`) become the findings rows;
    ``size`` and ``mtime_ns`` are the file's, so a re-run can skip it unread.
    Raises :class:`~vanban.errors.DatabaseError` when a value does not fit its
    column: this document fails alone, before anything is written.
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
    document = result.document
    return DocumentRows(
        doc_id=sha256,
        source=source,
        status=document.status,
        error=document.error,
        tables=_to_arrow(tables),
        counts={table: len(tables.get(table, ())) for table in TABLES},
    )


def finish_rows(
    value: Any, *, source: str, doc_id: str, size: int | None = None, mtime_ns: int | None = None
) -> DocumentRows | RejectedRows:
    """The ``finish`` of ``vanban ingest``'s sandbox pool: what the extractor returned, as rows.

    Runs in the worker, so the parent receives Arrow tables (small to send,
    nothing to convert) instead of the records. ``value`` is an
    ``ExtractionResult``, or a result and its validation findings; anything
    else is a :class:`~vanban.errors.VanbanError` (the file fails). Rows that
    do not fit the schema come back as :class:`RejectedRows`.
    """
    result, findings = split_result(value)
    if result is None:
        raise VanbanError(f"extractor returned {type(value).__name__}, not ExtractionResult")
    try:
        return document_rows(result, doc_id, source, findings, size=size, mtime_ns=mtime_ns)
    except DatabaseError as err:
        return RejectedRows(doc_id=doc_id, source=source, reason=str(err))


def warm_up() -> None:
    """Build one document's rows, so a worker pays pyarrow's first-use cost (0.3 CPU-s) before any file."""
    failure_rows("0" * 64, "warm-up", None, "warm-up")


def split_result(value: Any) -> tuple[ExtractionResult | None, list[Any]]:
    """``(result, findings)`` from what the extractor returned (a result, or a result and its findings)."""
    from vanban.schemas.records import ExtractionResult

    findings: list[Any] = []
    if isinstance(value, tuple) and len(value) == 2:
        value, findings = value
    if not isinstance(value, ExtractionResult):
        return None, []
    return value, list(findings)


def failure_rows(
    sha256: str,
    source: str,
    format: str | None,
    error: str,
    *,
    stage: str = "extract",
    size: int | None = None,
    mtime_ns: int | None = None,
) -> DocumentRows:
    """The rows of a file that could not be extracted: a ``failed`` documents row plus an errors row."""
    document = {
        **dict.fromkeys(TABLES["documents"]),
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
    return DocumentRows(
        doc_id=sha256,
        source=source,
        status="failed",
        error=error,
        tables=_to_arrow(tables),
        counts={table: len(tables.get(table, ())) for table in TABLES},
    )


def concat(docs: Sequence[DocumentRows]) -> dict[str, pa.Table]:
    """The rows of many documents per table, in document order (tables with no rows left out)."""
    import pyarrow as pa

    out: dict[str, pa.Table] = {}
    for table in TABLES:
        parts = [doc.tables[table] for doc in docs if table in doc.tables]
        if parts:
            out[table] = parts[0] if len(parts) == 1 else pa.concat_tables(parts)
    return out


def _to_arrow(tables: dict[str, list[dict[str, Any]]]) -> dict[str, pa.Table]:
    """Each table's rows as Arrow, checked against the table's types; raises DatabaseError."""
    import pyarrow as pa

    try:
        return {
            table: pa.Table.from_pylist(rows, schema=arrow_schema(table))
            for table, rows in tables.items()
            if rows
        }
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as err:
        # UnicodeEncodeError (a ValueError) is a surrogate from an undecodable file name or byte.
        raise DatabaseError(f"records rejected before loading: {type(err).__name__}: {err}") from err


def _now() -> dt.datetime:
    """Load time in UTC, stored naive (DuckDB TIMESTAMP)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _result_tables(result: ExtractionResult, sha256: str, source: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table for one extraction result."""
    doc = result.document
    document = {
        **doc.model_dump(include=set(TABLES["documents"])),
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
    from vanban.schemas.records import UnitAssignment

    if task.units:
        return task.units
    return [
        UnitAssignment(name=name, written=name, role=role, recognised=False)
        for role, names in (("lead", task.lead_units), ("support", task.support_units))
        for name in names
    ]
