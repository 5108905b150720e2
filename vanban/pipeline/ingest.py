"""Ingest files into DuckDB: discover, extract each file in the sandbox pool, load.

Input files are untrusted, so extraction never runs in the loading process:
files go to :class:`~vanban.pipeline.sandbox.SandboxPool` workers (time,
memory and CPU limits, crash isolation). The parent is the single DuckDB
writer and never lets one document cost the batch:

* each document's rows are built, converted to Arrow and checked in the
  worker that extracted it (:mod:`vanban.pipeline.rows`, the pool's
  ``finish``), so the parent receives compact tables and only loads them;
* results are committed in batches (at most ``batch_s`` seconds apart), each
  batch in one transaction of a few statements per table
  (:func:`~vanban.pipeline.loader.load_documents`); when the database refuses
  a batch, its documents are loaded one by one and the one it rejects becomes
  a ``failed`` row with the database error (and an ``errors`` row);
* the database file is *closed between batches*, so ``vanban query`` and a
  second ``vanban ingest`` get the file in the gaps (they wait for it up to
  their lock timeout) instead of failing, and a run with nothing to load only
  opens it read-only;
* an interrupted run keeps every document already committed, and a re-run
  skips it: files whose ``(source, size, mtime_ns)`` match the database are
  not even read, changed ones are hashed, and a file moved or renamed (its
  old path gone, its content hash loaded) is re-pointed without extraction.

Test hook: when the environment variable ``VANBAN_INGEST_EXTRACTOR`` is set to
``"package.module:function"``, workers call that function instead of
:func:`vanban.validation.engine.analyse_and_validate` (same signature; it may
return an ``ExtractionResult`` alone, or with its validation findings). It is
read when the pool starts, so tests can inject hanging or crashing extractors
into real worker processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb
from pydantic import BaseModel, Field

from vanban.budgets import Budgets
from vanban.errors import DatabaseBusyError, DatabaseError
from vanban.pipeline.discover import Problem, SourceFile, fingerprint, scan
from vanban.pipeline.loader import (
    SCHEMA_VERSION,
    known_documents,
    load_documents,
    open_db,
    record_file_states,
)
from vanban.pipeline.rows import DocumentRows, RejectedRows, failure_rows, split_result
from vanban.pipeline.sandbox import Outcome, SandboxPool

if TYPE_CHECKING:
    from vanban.schemas.records import ExtractionResult

EXTRACTOR_ENV = "VANBAN_INGEST_EXTRACTOR"
# Extract and validate: findings are computed in the worker, next to the extraction.
_DEFAULT_EXTRACTOR = "vanban.validation.engine:analyse_and_validate"
# Run in the worker on the extractor's result: the rows of every table, as Arrow.
ROWS_FINISH = "vanban.pipeline.rows:finish_rows"
# What the finish needs, made ready when a worker starts rather than in its first file's time limit.
ROWS_PRELOAD = ("vanban.schemas.records", "vanban.pipeline.rows:warm_up")
_SKIPPABLE = frozenset({"ok", "partial"})
# Format of a file that failed before content sniffing could say (a best guess from the suffix).
_FORMATS = {".txt": "text", ".text": "text", ".docx": "docx", ".pdf": "pdf", ".doc": "doc"}
# Commit what has arrived at least this often, and release the file between commits.
BATCH_S = 2.0
FIRST_GAP_S = 0.25
BATCH_DOCS = 500
LOCK_TIMEOUT_S = 60.0


class IngestEvent(BaseModel):
    """Progress of one file: reported once when its outcome is known."""

    kind: Literal["loaded", "failed", "skipped"]
    source: str
    status: str | None = None
    tasks: int = 0
    error: str | None = None
    done: int
    total: int


class IngestReport(BaseModel):
    """What an ingest run did; counts of rows are those loaded by this run."""

    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    moved: int = 0
    hashed: int = 0
    load_errors: int = 0
    tasks: int = 0
    units: int = 0
    references: int = 0
    targets: int = 0
    failures: list[tuple[str, str]] = Field(default_factory=list, description="(source, error)")
    duplicates: list[tuple[str, str]] = Field(
        default_factory=list, description="(source, source with identical content that was used)"
    )

    @property
    def documents(self) -> int:
        """Files seen by the run, skipped ones included."""
        return self.ok + self.partial + self.failed + self.skipped


def ingest(
    paths: Sequence[Path],
    db_path: Path,
    *,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[IngestEvent], None] | None = None,
    budgets: Budgets | None = None,
    follow_symlinks: bool = False,
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    batch_s: float = BATCH_S,
) -> IngestReport:
    """Extract every file under ``paths`` and load it into the DuckDB file ``db_path``.

    A file already loaded (status ok or partial) from the same source path is
    skipped unless ``force``: by ``(size, mtime_ns)`` without reading it, else
    by content hash; failed files are retried. Files with identical content are
    extracted once (the first path wins, the others are reported in
    ``duplicates``) because the content hash is the document key. Each file is
    extracted in the sandbox within ``budgets`` (``timeout_s`` and
    ``memory_mb`` override theirs); any failure becomes a ``failed`` documents
    row and the batch goes on. Entries the walk skipped (FIFOs, links out of
    the roots, unreadable folders) are recorded as failed rows too. Raises
    :class:`~vanban.errors.DatabaseError` only when the database itself cannot
    be opened (not a DuckDB file, or held by another process past ``lock_timeout_s``).
    """
    budgets = (budgets or Budgets()).with_overrides(timeout_s=timeout_s, memory_mb=memory_mb)
    db = Path(db_path)
    # The database may sit inside an ingested folder; it is never an input.
    found = scan(paths, exclude=[db, db.with_name(db.name + ".wal")], follow_symlinks=follow_symlinks)
    report = IngestReport()
    writer = _Writer(db, lock_timeout_s, report)
    plan = _plan(found.files, writer.known_documents(), force, report)
    states = [(f.sha256, f.source, f.size, f.mtime_ns) for f, _old in plan.moves] + [
        (f.sha256, f.source, f.size, f.mtime_ns) for f in plan.touch
    ]
    if found.problems or states:
        with writer.connection() as con:
            writer.record_problems(con, found.problems)
            record_file_states(con, states)
    report.moved += len(plan.moves)
    total = len(found.files) + len(found.problems)
    done = 0

    def emit(event: IngestEvent) -> None:
        if progress is not None:
            progress(event)

    for problem in found.problems:
        done += 1
        emit(
            IngestEvent(
                kind="failed",
                source=problem.source,
                status="failed",
                error=problem.reason,
                done=done,
                total=total,
            )
        )

    for file in plan.skipped:
        done += 1
        emit(IngestEvent(kind="skipped", source=file.source, done=done, total=total))
    if plan.jobs:
        task = os.environ.get(EXTRACTOR_ENV) or _DEFAULT_EXTRACTOR
        buffer: list[tuple[SourceFile, Outcome]] = []
        # The first result is committed at once and the gap then doubles up to batch_s: a
        # terminal shows progress as soon as files are done, a long run commits every batch_s.
        last, interval = time.monotonic(), 0.0
        pool = SandboxPool(
            task,
            budgets=budgets,
            workers=workers or os.cpu_count(),
            finish=ROWS_FINISH,
            job_kwargs=_row_key,
            preload=ROWS_PRELOAD,
        )
        with pool:
            try:
                for file, outcome in pool.run(plan.jobs):
                    buffer.append((file, outcome))
                    if len(buffer) >= BATCH_DOCS or time.monotonic() - last >= interval:
                        for event in writer.flush(buffer):
                            done += 1
                            emit(event.model_copy(update={"done": done, "total": total}))
                        buffer, last = [], time.monotonic()
                        interval = min(batch_s, max(FIRST_GAP_S, 2 * interval))
            finally:
                # Whatever was extracted is committed, even when the run is interrupted.
                for event in writer.flush(buffer):
                    done += 1
                    emit(event.model_copy(update={"done": done, "total": total}))
    report.failures.sort()
    return report


@dataclass
class _Plan:
    jobs: list[SourceFile]
    skipped: list[SourceFile]
    touch: list[SourceFile]  # unchanged content, new mtime: remember it so the next run skips unread
    moves: list[tuple[SourceFile, str]]  # (file at its new path, the path it was loaded from)


def _plan(
    files: Sequence[SourceFile],
    known: Sequence[tuple[str, str, str, int | None, int | None]],
    force: bool,
    report: IngestReport,
) -> _Plan:
    """Decide what to extract; hash only files whose ``(size, mtime_ns)`` differ from the database."""
    by_source = {source: (doc_id, status, size, mtime) for doc_id, source, status, size, mtime in known}
    by_hash = {doc_id: (source, status) for doc_id, source, status, _size, _mtime in known}
    plan = _Plan([], [], [], [])
    first_source: dict[str, str] = {}
    for file in files:
        seen = by_source.get(file.source)
        if (
            not force
            and seen is not None
            and seen[1] in _SKIPPABLE
            and (seen[2], seen[3]) == (file.size, file.mtime_ns)
        ):
            first_source.setdefault(seen[0], file.source)
            report.skipped += 1
            plan.skipped.append(file)
            continue
        file = fingerprint(file)
        report.hashed += 1
        if file.sha256 in first_source:
            report.duplicates.append((file.source, first_source[file.sha256]))
            report.skipped += 1
            plan.skipped.append(file)
            continue
        first_source[file.sha256] = file.source
        loaded = by_hash.get(file.sha256)
        if force or loaded is None or loaded[1] not in _SKIPPABLE:
            plan.jobs.append(file)
        elif loaded[0] == file.source:
            plan.touch.append(file)
            report.skipped += 1
            plan.skipped.append(file)
        elif not os.path.lexists(loaded[0]):
            plan.moves.append((file, loaded[0]))
            report.skipped += 1
            plan.skipped.append(file)
        else:  # the same content is loaded from another path that still exists
            report.duplicates.append((file.source, loaded[0]))
            report.skipped += 1
            plan.skipped.append(file)
    return plan


def _row_key(file: SourceFile) -> dict[str, Any]:
    """What the worker keys a file's rows by: the content hash read here, and the size and mtime."""
    return {"doc_id": file.sha256, "size": file.size, "mtime_ns": file.mtime_ns}


@dataclass
class _Pending:
    """A document about to be loaded: its rows, whether they are a failed row made here, and why."""

    rows: DocumentRows
    failure: bool = False  # a failed row built by the writer (the extractor gave no rows)
    load_error: bool = False  # the document's rows were refused by the database stage


class _Writer:
    """The single DuckDB writer: opens the file per batch and loads the batch in one transaction."""

    def __init__(self, db: Path, lock_timeout_s: float, report: IngestReport) -> None:
        self.db = db
        self.lock_timeout_s = lock_timeout_s
        self.report = report
        self._schema_checked = False

    def connection(self) -> Any:
        """A writable connection (waiting for the file when another process holds it)."""
        # The schema is checked on the first open only: re-opening per batch must stay cheap.
        con = open_db(self.db, wait_s=self.lock_timeout_s, schema=not self._schema_checked, writer=True)
        self._schema_checked = True
        return contextlib.closing(con)

    def known_documents(self) -> list[tuple[str, str, str, int | None, int | None]]:
        """What the database holds, to plan the run; read-only when the file is there and current.

        A re-run with nothing to do then never opens the file for writing (no
        schema check, no checkpoint on close). A new, empty or older
        database is opened for writing, which creates or upgrades the schema.
        """
        if self.db.is_file() and self.db.stat().st_size > 0:
            try:
                con = open_db(self.db, read_only=True, wait_s=self.lock_timeout_s)
            except DatabaseBusyError:
                raise
            except DatabaseError:
                con = None  # not a database: the writable open below says so
            if con is not None:
                try:
                    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
                    if row is not None and row[0] == SCHEMA_VERSION:
                        return known_documents(con)
                except duckdb.Error:
                    pass  # an older layout: the writable open upgrades it
                finally:
                    con.close()
        with self.connection() as con:
            return known_documents(con)

    def flush(self, batch: list[tuple[SourceFile, Outcome]]) -> list[IngestEvent]:
        """Load a batch of outcomes in one connection and one transaction; the file is released afterwards."""
        if not batch:
            return []
        pending = [self._pending(file, outcome) for file, outcome in batch]
        with self.connection() as con:
            self._load(con, pending)
        return [self._account(item) for item in pending]

    def record_problems(self, con: duckdb.DuckDBPyConnection, problems: Sequence[Problem]) -> None:
        """Entries the walk skipped: failed rows keyed by their path (there is no content to hash)."""
        pending = [
            _Pending(
                failure_rows(
                    hashlib.sha256(f"skipped:{problem.source}".encode()).hexdigest(),
                    problem.source,
                    None,
                    problem.reason,
                    stage="discover",
                ),
                failure=True,
            )
            for problem in problems
        ]
        self._load(con, pending)
        for item in pending:
            self._account(item)

    def _pending(self, file: SourceFile, outcome: Outcome) -> _Pending:
        """The rows to load for one outcome: the worker's, or a failed row with the reason."""
        error = outcome.error
        if error is None:
            error = _changed_since_hashed(file)
        load_error = False
        if error is None:
            value = outcome.value
            if isinstance(value, DocumentRows):
                return _Pending(value)
            if isinstance(value, RejectedRows):
                error, load_error = f"load failed: {value.reason}", True
            else:  # not from the rows finish: a pool was given another task
                error = f"extractor returned {type(value).__name__}, not rows"
        # No size/mtime: a failed file is retried by the next run.
        rows = failure_rows(file.sha256, file.source, _FORMATS.get(file.path.suffix.lower()), error)
        return _Pending(rows, failure=True, load_error=load_error)

    def _load(self, con: duckdb.DuckDBPyConnection, pending: list[_Pending]) -> None:
        """Load ``pending`` in one transaction; when the database refuses, one by one to find the culprit.

        A document the database refuses is loaded as a failed row with the
        database's error instead; when even that is refused, its error says so.
        """
        if not pending:
            return
        try:
            load_documents(con, [item.rows for item in pending])
            return
        except DatabaseError as err:
            if len(pending) > 1:
                for item in pending:
                    self._load(con, [item])
                return
            reason = str(err)
        item = pending[0]
        if item.failure:  # a failed row the database will not take either: say it is missing
            item.rows = _note(item.rows, f"{item.rows.error}; not recorded: {reason}")
            return
        guess = _FORMATS.get(Path(item.rows.source).suffix.lower())
        failed = failure_rows(item.rows.doc_id, item.rows.source, guess, f"load failed: {reason}")
        item.rows, item.load_error, item.failure = failed, True, True
        try:
            load_documents(con, [failed])
        except DatabaseError as again:
            item.rows = _note(failed, f"{failed.error}; not recorded: {again}")

    def _account(self, item: _Pending) -> IngestEvent:
        """Count one loaded document in the report and describe it."""
        report, rows = self.report, item.rows
        report.load_errors += item.load_error
        status = rows.status
        setattr(report, status, getattr(report, status) + 1)
        if status == "failed":
            report.failures.append((rows.source, rows.error or "failed"))
            return IngestEvent(
                kind="failed", source=rows.source, status=status, error=rows.error, done=0, total=0
            )
        counts = rows.counts
        report.tasks += counts["tasks"]
        report.units += counts["task_units"]
        report.references += counts["references"]
        report.targets += counts["targets"]
        return IngestEvent(
            kind="loaded", source=rows.source, status=status, tasks=counts["tasks"], done=0, total=0
        )


def _note(rows: DocumentRows, error: str) -> DocumentRows:
    """``rows`` whose error says more (it was not recorded, and why)."""
    return DocumentRows(rows.doc_id, rows.source, "failed", error, rows.tables, rows.counts)


def _changed_since_hashed(file: SourceFile) -> str | None:
    """A reason when the file's size or mtime moved since it was hashed: the records may not match the key."""
    if file.size < 0:
        return None
    try:
        info = os.stat(file.path)
    except OSError:
        return None  # gone after it was read: what was read is still consistent with its hash
    if (info.st_size, info.st_mtime_ns) != (file.size, file.mtime_ns):
        return "file changed while it was read; a re-run loads the new version"
    return None


def extractor_task(name: str | None) -> str:
    """The sandbox task that extracts a file: ``name`` (``module:function``), else extraction with validation."""
    return name or _DEFAULT_EXTRACTOR


def split_outcome(value: Any) -> tuple[ExtractionResult | None, list[Any]]:
    """``(result, findings)`` from what the extractor returned (a result, or a result and its findings)."""
    return split_result(value)
