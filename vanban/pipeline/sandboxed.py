"""The read-only commands (``extract``, ``validate``, ``diff``) run through the same sandbox as ``ingest``.

Each function walks its inputs with :func:`~vanban.pipeline.discover.scan`
(so a FIFO or a link out of the roots is a clear per-file error, never a
hang), runs every file in one :class:`~vanban.pipeline.sandbox.SandboxPool`
and returns the outcomes in input order, failures included, so the CLI
prints one line per failed file and carries on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.budgets import Budgets
from vanban.errors import ExtractionError
from vanban.pipeline.discover import Problem, SourceFile, fingerprint, scan
from vanban.pipeline.sandbox import Outcome, SandboxPool
from vanban.schemas.records import DocumentRecord, ErrorRecord, ExtractionResult

EXTRACT_TASK = "vanban.pipeline.extract:extract_file"
VALIDATE_TASK = "vanban.validation.engine:validate_file"
DIFF_VIEW_TASK = "vanban.pipeline.diff:document_view"
LAYOUT_TASK = "vanban.pipeline.sandboxed:layout_of"


def layout_of(path: Path, *, source: str | None = None) -> Any:
    """The layout model (``AdminDocument`` or None) of one file: the ``vanban layout`` task run in the sandbox."""
    from vanban.pipeline.extract import analyse_file

    return analyse_file(path, source=source).layout


@dataclass(frozen=True)
class FileOutcome:
    """One input and what the sandboxed task made of it (``error`` set when it failed)."""

    source: str
    path: Path | None
    value: Any = None
    error: str | None = None


def run_files(
    paths: Sequence[Path],
    task: str,
    *,
    budgets: Budgets | None = None,
    workers: int | None = None,
    kwargs: dict[str, Any] | None = None,
    follow_symlinks: bool = False,
) -> list[FileOutcome]:
    """Run ``task`` on every file under ``paths`` in the sandbox; outcomes in input order.

    A path that does not exist, and every entry the walk skipped, is a failed
    outcome with its reason.
    """
    files: list[SourceFile | FileOutcome] = []
    for path in paths:
        try:
            found = scan([path], follow_symlinks=follow_symlinks)
        except ExtractionError as err:
            files.append(FileOutcome(source=err.source, path=None, error=err.reason))
            continue
        files.extend(found.files)
        files.extend(FileOutcome(source=p.source, path=None, error=p.reason) for p in found.problems)
    jobs = [f for f in files if isinstance(f, SourceFile)]
    done: dict[str, Outcome] = {}
    if jobs:
        count = min(len(jobs), workers or os.cpu_count() or 1)
        with SandboxPool(task, budgets=budgets, workers=count, kwargs=kwargs) as pool:
            for job, outcome in pool.run(jobs):
                done[job.source] = outcome
    return [
        f
        if isinstance(f, FileOutcome)
        else FileOutcome(source=f.source, path=f.path, value=done[f.source].value, error=done[f.source].error)
        for f in files
    ]


def run_selected(
    items: Iterable[SourceFile | Problem],
    task: str,
    *,
    budgets: Budgets | None = None,
    workers: int | None = None,
    kwargs: dict[str, Any] | None = None,
) -> Iterator[FileOutcome]:
    """Run ``task`` on already selected files in the sandbox; outcomes in input order, as soon as known.

    A :class:`~vanban.pipeline.discover.Problem` (an entry the walk could not
    read) is a failed outcome with its reason. Results that finish early wait
    for the ones before them, so a stream of records keeps the input order.
    """
    items = list(items)
    jobs = [item for item in items if isinstance(item, SourceFile)]
    pending: dict[str, Outcome] = {}
    results = iter(())
    pool: SandboxPool | None = None
    if jobs:
        count = min(len(jobs), workers or os.cpu_count() or 1)
        pool = SandboxPool(task, budgets=budgets, workers=count, kwargs=kwargs)
    with pool if pool is not None else contextlib.nullcontext():
        if pool is not None:
            results = pool.run(jobs)
        for item in items:
            if isinstance(item, Problem):
                yield FileOutcome(source=item.source, path=None, error=item.reason)
                continue
            while item.source not in pending:
                job, outcome = next(results)
                pending[job.source] = outcome
            outcome = pending.pop(item.source)
            yield FileOutcome(source=item.source, path=item.path, value=outcome.value, error=outcome.error)


def failed_result(outcome: FileOutcome) -> ExtractionResult:
    """The records of a file that could not be read: a failed document with the reason.

    The doc_id is the content hash when the file is a readable regular file
    (hashed without blocking: a FIFO is never opened for reading), else a hash of its name.
    """
    reason = outcome.error or "failed"
    doc_id = hashlib.sha256(f"unreadable:{outcome.source}".encode()).hexdigest()
    if outcome.path is not None:
        doc_id = fingerprint(SourceFile(path=outcome.path, source=outcome.source)).sha256
    document = DocumentRecord(source=outcome.source, doc_id=doc_id, status="failed", error=reason)
    return ExtractionResult(
        document=document,
        errors=[ErrorRecord(source=outcome.source, doc_id=doc_id, stage="extract", message=reason)],
    )
