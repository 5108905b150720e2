"""DuckDB schema and the loader: many documents per transaction, each document's rows replaced whole.

Every table carries ``doc_id`` (the sha256 of the file content), and loading a
document replaces all of its rows: re-ingesting the same file changes nothing.
:func:`load_documents` loads a batch of documents (their rows built, converted
to Arrow and checked by :mod:`vanban.pipeline.rows`, in the sandbox worker)
in one transaction: one ``DELETE`` and one ``INSERT ... SELECT FROM`` a
registered Arrow table per table for the whole batch, about twenty statements
whatever its size, instead of some seventeen per document. A process killed
mid-batch leaves none of the batch (the transaction never committed) and
everything committed before it.

``references`` is a reserved word in SQL, so the table is always written
``"references"``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from vanban.errors import DatabaseBusyError, DatabaseError
from vanban.pipeline.rows import (
    TABLES,
    DocumentRows,
    _result_tables,
    arrow_schema,
    concat,
    document_rows,
    failure_rows,
)
from vanban.pipeline.views import create_views

if TYPE_CHECKING:
    import pyarrow as pa

    from vanban.schemas.records import ExtractionResult
    from vanban.validation.findings import Finding

__all__ = ["DocumentRows", "document_rows", "failure_rows", "load_documents", "open_db"]

# The names other modules knew the table definitions by before they moved to rows.py.
_TABLES = TABLES
_arrow_schema = arrow_schema

SCHEMA_VERSION = 2
# The ingest writer's DuckDB settings (see open_db).
WRITER_CONFIG = {"threads": 1, "memory_limit": "256MB"}
# Columns added since version 1, so an older database is upgraded in place.
_MIGRATIONS = {2: ["ALTER TABLE task_units ADD COLUMN IF NOT EXISTS basis VARCHAR DEFAULT 'stated'"]}
# Nullable columns added without a version bump (an older vanban ignores them): run on every open.
_ADDITIVE = [
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS size BIGINT",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS mtime_ns BIGINT",
]


def _quote(name: str) -> str:
    return f'"{name}"'


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
    db_path: Path,
    read_only: bool = False,
    *,
    wait_s: float = 0.0,
    schema: bool = True,
    writer: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Connect to ``db_path``; a writable connection creates the file and schema when missing.

    DuckDB lets one process hold a database file for writing, and no other
    process open it meanwhile (not even read-only). When another process holds
    it, this waits up to ``wait_s`` seconds for it to be released (vanban's
    writer releases it between batches), then raises
    :class:`~vanban.errors.DatabaseBusyError` with one line naming the holder.
    ``schema=False`` skips the schema check (a writer re-opening a file it already set up).
    ``writer=True`` is ingest's loading connection: one thread (its statements
    are small; DuckDB's thread pool would spin on every one of them, a third
    of the loader's CPU) and a bounded memory limit, so the loading process
    stays small whatever the size of the run.
    """
    config = dict(WRITER_CONFIG) if writer else {}
    db_path = Path(db_path)
    if read_only and not db_path.exists():
        raise DatabaseError(f"{db_path}: no such database (run `vanban ingest` first)")
    deadline = time.monotonic() + wait_s
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only, config=config)
            break
        except duckdb.Error as err:
            locked = "lock" in str(err).lower()
            if not locked and (not _being_created(db_path, err) or time.monotonic() >= deadline):
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


def _being_created(db_path: Path, err: BaseException) -> bool:
    """Whether ``err`` says the file is not a database yet because another process is creating it.

    Two ingests started together race to create the file: the second can read
    it before the first has written its header. A file modified seconds ago is
    waited for like a locked one; an old file that is not a database is refused at once.
    """
    if "not a valid duckdb database" not in str(err).lower():
        return False
    try:
        return time.time() - db_path.stat().st_mtime < 5.0
    except OSError:
        return False


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
    import pyarrow as pa

    if table not in _TABLES or table == "findings":
        raise ValueError(f"no table {table!r}; one of {', '.join(t for t in _TABLES if t != 'findings')}")
    rows = _result_tables(result, result.document.doc_id, result.document.source)[table]
    return pa.Table.from_pylist(rows, schema=arrow_schema(table))


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
    rows = document_rows(result, sha256, source, findings, size=size, mtime_ns=mtime_ns)
    load_documents(con, [rows])
    return rows.counts


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
    rows = failure_rows(sha256, source, format, error, stage=stage, size=size, mtime_ns=mtime_ns)
    load_documents(con, [rows])


def load_documents(con: duckdb.DuckDBPyConnection, docs: Sequence[DocumentRows]) -> None:
    """Replace the rows of every document of ``docs`` in one transaction (all of them, or none).

    Each document's previous rows go, and so do those of older versions of
    the same source path (as :func:`load_result` does for one); the batch's
    sources and doc_ids must be distinct, as a run's are. Raises
    :class:`~vanban.errors.DatabaseError` after rolling back: the caller can
    load the documents one by one to find the one the database refuses.
    """
    if not docs:
        return
    label = f"document {docs[0].doc_id[:12]}" if len(docs) == 1 else f"a batch of {len(docs)} documents"
    tables = concat(docs)
    with _transaction(con, label):
        _delete_documents(con, [doc.doc_id for doc in docs], [doc.source for doc in docs])
        _insert_rows(con, tables)


def known_documents(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int | None, int | None]]:
    """``(doc_id, source, status, size, mtime_ns)`` of every loaded document (to plan a re-run)."""
    return con.execute("SELECT doc_id, source, status, size, mtime_ns FROM documents").fetchall()


def record_file_states(con: duckdb.DuckDBPyConnection, states: Sequence[tuple[str, str, int, int]]) -> None:
    """Point documents at their files' current ``(sha256, source, size, mtime_ns)``, in one transaction.

    A moved or renamed file keeps its content, so no row but the names and the
    file state changes.
    """
    if not states:
        return
    import pyarrow as pa

    doc_ids, sources, sizes, mtimes = (list(column) for column in zip(*states, strict=True))
    known = pa.table(
        {
            "doc_id": pa.array(doc_ids, pa.string()),
            "source": pa.array(sources, pa.string()),
            "size": pa.array(sizes, pa.int64()),
            "mtime_ns": pa.array(mtimes, pa.int64()),
        }
    )
    label = f"document {doc_ids[0][:12]}" if len(states) == 1 else f"{len(states)} documents"
    con.register("_vanban_files", known)
    try:
        with _transaction(con, label):
            for table in ("documents", "tasks", "errors", "findings"):
                con.execute(
                    f"UPDATE {_quote(table)} AS t SET source = k.source FROM _vanban_files AS k "
                    "WHERE t.doc_id = k.doc_id AND t.source IS DISTINCT FROM k.source"
                )
            con.execute(
                "UPDATE documents AS t SET size = k.size, mtime_ns = k.mtime_ns FROM _vanban_files AS k "
                "WHERE t.doc_id = k.doc_id"
            )
    finally:
        con.unregister("_vanban_files")


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection, label: str) -> Iterator[None]:
    """BEGIN/COMMIT, or ROLLBACK and re-raise (duckdb errors wrapped in DatabaseError)."""
    con.begin()
    try:
        yield
    except BaseException as err:
        con.rollback()
        if isinstance(err, duckdb.Error) or type(err).__module__.startswith("pyarrow"):
            raise DatabaseError(f"loading {label}: {_first_line(err)}") from err
        raise
    else:
        con.commit()


def _delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str], sources: Sequence[str]) -> None:
    """Delete the rows of ``doc_ids``, and of every document loaded from one of ``sources``, from every table.

    One statement per table for the whole batch, and none when no document
    of the batch is loaded yet (a first ingest): every row of a document is
    written with its ``documents`` row, so that table says which exist. The
    keys are registered as an Arrow table and joined, never spliced into the SQL.
    """
    import pyarrow as pa

    keys = pa.table({"doc_id": pa.array(doc_ids, pa.string()), "source": pa.array(sources, pa.string())})
    con.register("_vanban_keys", keys)
    try:
        found = con.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (SELECT doc_id FROM _vanban_keys) "
            "OR source IN (SELECT source FROM _vanban_keys)"
        ).fetchall()
    finally:
        con.unregister("_vanban_keys")
    if not found:
        return
    gone = sorted({row[0] for row in found})
    con.register("_vanban_gone", pa.table({"doc_id": pa.array(gone, pa.string())}))
    try:
        for table in _TABLES:
            con.execute(f"DELETE FROM {_quote(table)} WHERE doc_id IN (SELECT doc_id FROM _vanban_gone)")
    finally:
        con.unregister("_vanban_gone")


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
