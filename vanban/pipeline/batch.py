"""One batch of files through the per-file sandbox: the only call an engine makes.

An engine (the local loop, a Ray task, a site running ``--shard i/N``) hands
:func:`extract_batch` a list of planned files and gets back a
:class:`BatchResult`: for every file, the rows it contributes to each table,
exactly the rows ``vanban ingest`` would load for it (a file that could not be
read gives its ``failed`` documents row and an errors row). Extraction runs in
today's sandboxed worker processes (time and memory limit per file, crash
isolation), so a hung or crashing file costs that file only.

The batch id is a hash of the batch's files (source and content hash), so a
batch that is retried, on this machine or another, writes the same shards.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vanban.pipeline.discover import SourceFile
from vanban.pipeline.ingest import IngestReport

# Rows per table, in the loader's column layout.
Rows = dict[str, list[dict[str, Any]]]

# Format of a file that failed before content sniffing could say (a best guess from the suffix);
# the same guess the ingest loop records.
_FORMATS = {".txt": "text", ".text": "text", ".docx": "docx", ".pdf": "pdf", ".doc": "doc"}


@dataclass(frozen=True)
class Job:
    """A file to extract, as planned by the driver (picklable, paths as strings)."""

    path: str
    source: str
    sha256: str
    size: int | None = None  # recorded so a re-run skips the unchanged file without reading it
    mtime_ns: int | None = None

    @classmethod
    def of(cls, file: SourceFile) -> Job:
        """The job of a discovered file."""
        return cls(
            path=str(file.path),
            source=file.source,
            sha256=file.sha256,
            size=file.size,
            mtime_ns=file.mtime_ns,
        )


@dataclass
class DocumentOutcome:
    """What one file gave: its status, the reason when it failed, and its rows per table."""

    job: Job
    status: str
    error: str | None
    rows: Rows


@dataclass
class BatchResult:
    """The outcome of every file of one batch, in the order the jobs were given."""

    batch_id: str
    documents: list[DocumentOutcome] = field(default_factory=list)

    def tables(self) -> Rows:
        """Rows of the whole batch per table (every table of the schema, empty ones included)."""
        from vanban.pipeline.rows import TABLES

        out: Rows = {table: [] for table in TABLES}
        for doc in self.documents:
            for table, rows in doc.rows.items():
                out[table].extend(rows)
        return out


def batch_id(jobs: Sequence[Job]) -> str:
    """Stable id of a batch: a hash of its files' sources and content hashes, in order."""
    digest = hashlib.sha256()
    for job in jobs:
        digest.update(f"{job.source}\t{job.sha256}\n".encode())
    return digest.hexdigest()[:20]


def extract_batch(
    jobs: Sequence[Job], *, timeout_s: float = 120, memory_mb: int = 2048, workers: int = 1
) -> BatchResult:
    """Extract every job in sandboxed worker processes; never raises for a bad file.

    ``workers`` processes share the batch (a Ray task uses one: Ray already
    runs one task per core). Each file gets ``timeout_s`` of wall-clock time and
    ``memory_mb`` of address space.
    """
    from vanban.budgets import Budgets
    from vanban.pipeline.ingest import EXTRACTOR_ENV, extractor_task, split_outcome
    from vanban.pipeline.sandbox import SandboxPool

    files = [
        SourceFile(path=Path(j.path), source=j.source, sha256=j.sha256, size=j.size or 0, mtime_ns=j.mtime_ns)
        for j in jobs
    ]
    by_source: dict[str, DocumentOutcome] = {}
    budgets = Budgets().with_overrides(timeout_s=timeout_s, memory_mb=memory_mb)
    task = extractor_task(os.environ.get(EXTRACTOR_ENV))
    with SandboxPool(task, budgets=budgets, workers=max(1, workers)) as pool:
        for file, outcome in pool.run(files):
            result, findings = split_outcome(outcome.value) if outcome.ok else (None, [])
            value: Any = (result, findings) if result is not None else (outcome.error or "no records")
            by_source[file.source] = outcome_rows(Job.of(file), value)
    return BatchResult(batch_id=batch_id(jobs), documents=[by_source[j.source] for j in jobs])


def outcome_rows(job: Job, outcome: Any) -> DocumentOutcome:
    """The rows of one sandbox outcome: ``(result, findings)`` or an error message."""
    from vanban.pipeline.rows import TABLES, _now, _result_tables
    from vanban.schemas.records import ExtractionResult

    if isinstance(outcome, tuple) and isinstance(outcome[0], ExtractionResult):
        result, findings = outcome
        rows = _result_tables(result, job.sha256, job.source)
        rows["documents"][0].update(size=job.size, mtime_ns=job.mtime_ns)
        rows["findings"] = [
            {
                **finding.model_dump(include={"code", "message", "page", "line", "excerpt"}),
                "severity": str(finding.severity),
                "doc_id": job.sha256,
                "source": job.source,
            }
            for finding in findings
        ]
        document = result.document
        return DocumentOutcome(job, document.status, document.error, rows)
    error = str(outcome)
    # The rows ``load_failure`` writes for a file the sandbox could not read.
    failed = {
        **dict.fromkeys(TABLES["documents"]),
        "doc_id": job.sha256,
        "source": job.source,
        "format": _FORMATS.get(Path(job.path).suffix.lower()),
        "status": "failed",
        "error": error,
        "draft": False,
        "task_count": 0,
        "loaded_at": _now(),
    }
    rows = {
        "documents": [failed],
        "errors": [{"doc_id": job.sha256, "source": job.source, "stage": "extract", "message": error}],
    }
    return DocumentOutcome(job, "failed", error, rows)


def plan(
    files: Sequence[SourceFile], report: IngestReport, *, loaded: Callable[[SourceFile], bool] | None = None
) -> list[Job]:
    """The jobs of a run: each distinct content once, files already loaded skipped.

    Same rule as ``vanban ingest``: the first path with a given content wins and
    the others are reported as duplicates; ``loaded(file)`` says a file is in
    the database already (ok or partial, same source), so it is skipped.
    """
    jobs: list[Job] = []
    first_source: dict[str, str] = {}
    for file in files:
        if file.sha256 in first_source:
            report.duplicates.append((file.source, first_source[file.sha256]))
            report.skipped += 1
            continue
        first_source[file.sha256] = file.source
        if loaded is not None and loaded(file):
            report.skipped += 1
            continue
        jobs.append(Job.of(file))
    return jobs


def outside(files: Sequence[SourceFile], folder: Path | None) -> list[SourceFile]:
    """The files not under ``folder`` (a shard folder inside an input folder is no input)."""
    if folder is None:
        return list(files)
    root = Path(folder).resolve()
    return [file for file in files if not file.path.resolve().is_relative_to(root)]


def count(report: IngestReport, outcome: DocumentOutcome) -> None:
    """Add one committed document to the run's report."""
    setattr(report, outcome.status, getattr(report, outcome.status) + 1)
    if outcome.status == "failed":
        report.failures.append((outcome.job.source, outcome.error or "failed"))
    report.tasks += len(outcome.rows.get("tasks", []))
    report.units += len(outcome.rows.get("task_units", []))
    report.references += len(outcome.rows.get("references", []))
    report.targets += len(outcome.rows.get("targets", []))


def chunks(jobs: Sequence[Job], size: int) -> list[list[Job]]:
    """Consecutive batches of at most ``size`` jobs."""
    size = max(1, size)
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]
