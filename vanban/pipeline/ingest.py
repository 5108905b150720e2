"""Ingest files into DuckDB: discover, extract each file in a sandboxed worker, load.

Input files are untrusted, so extraction never runs in the loading process:
each file goes to a worker process (``spawn`` context, so no parent state or
DuckDB handle is inherited) whose address space is capped with
``RLIMIT_AS`` and whose wall-clock time per file is bounded; a worker that
overruns is killed and replaced. Workers are long-lived (one spawn serves many
files) so the cost of importing the extractors is paid once per worker, not
once per file. The parent is the single DuckDB writer and loads each result as
soon as it arrives, one transaction per document, so an interrupted run keeps
everything already loaded and a re-run skips it.

Test hook: when the environment variable ``VANBAN_INGEST_EXTRACTOR`` is set to
``"package.module:function"``, workers call that function instead of
:func:`vanban.validation.engine.analyse_and_validate` (same signature; it may
return an ``ExtractionResult`` alone, or with its validation findings). It is read only
in the worker entry point, so tests can inject hanging or crashing extractors
into real worker processes.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from vanban.errors import ExtractionError, VanbanError
from vanban.pipeline.discover import SourceFile, discover
from vanban.pipeline.loader import load_failure, load_result, loaded_status, open_db
from vanban.schemas.records import ExtractionResult

EXTRACTOR_ENV = "VANBAN_INGEST_EXTRACTOR"
# What a worker sends back for a file it read: the records and their validation findings.
_Outcome = tuple[ExtractionResult, list[Any]]
# Extract and validate: findings are computed in the worker, next to the extraction.
_DEFAULT_EXTRACTOR = "vanban.validation.engine:analyse_and_validate"
# A worker must finish importing the extractors within this time (or the per-file timeout, if longer).
_STARTUP_S = 60.0
_MAX_STARTUP_FAILURES = 3
_SKIPPABLE = frozenset({"ok", "partial"})
# Format of a file that failed before content sniffing could say (a best guess from the suffix).
_FORMATS = {".txt": "text", ".text": "text", ".docx": "docx", ".pdf": "pdf", ".doc": "doc"}


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
    timeout_s: float = 120,
    memory_mb: int = 2048,
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[IngestEvent], None] | None = None,
) -> IngestReport:
    """Extract every file under ``paths`` and load it into the DuckDB file ``db_path``.

    A file whose content hash is already loaded (status ok or partial) from the
    same source path is skipped unless ``force``; failed files are retried.
    Files with identical content are extracted once (the first path wins, the
    others are reported in ``duplicates``) because the content hash is the
    document key. Each file is extracted in a worker with ``memory_mb`` of
    address space and ``timeout_s`` of wall-clock time; any failure becomes a
    ``failed`` documents row and the batch goes on.
    """
    db = Path(db_path)
    # The database may sit inside an ingested folder; it is never an input.
    files = discover(paths, exclude=[db, db.with_name(db.name + ".wal")])
    report = IngestReport()
    total = len(files)
    done = 0

    def emit(event: IngestEvent) -> None:
        if progress is not None:
            progress(event)

    con = open_db(db_path)
    try:
        jobs: list[SourceFile] = []
        first_source: dict[str, str] = {}
        for file in files:
            if file.sha256 in first_source:
                report.duplicates.append((file.source, first_source[file.sha256]))
            elif not force and _already_loaded(con, file):
                first_source[file.sha256] = file.source
            else:
                first_source[file.sha256] = file.source
                jobs.append(file)
                continue
            report.skipped += 1
            done += 1
            emit(IngestEvent(kind="skipped", source=file.source, done=done, total=total))

        pool = _extract_all(
            jobs, timeout_s=timeout_s, memory_mb=memory_mb, workers=workers or os.cpu_count() or 1
        )
        with contextlib.closing(pool):
            for file, outcome in pool:
                done += 1
                event = _load_outcome(con, file, outcome, report)
                emit(event.model_copy(update={"done": done, "total": total}))
    finally:
        con.close()
    report.failures.sort()
    return report


def _already_loaded(con: Any, file: SourceFile) -> bool:
    loaded = loaded_status(con, file.sha256)
    return loaded is not None and loaded[0] == file.source and loaded[1] in _SKIPPABLE


def _load_outcome(con: Any, file: SourceFile, outcome: _Outcome | str, report: IngestReport) -> IngestEvent:
    """Load a result (or record a failure), update the report, describe what happened."""
    findings: list[Any] = []
    if isinstance(outcome, tuple):
        outcome, findings = outcome
    if isinstance(outcome, ExtractionResult):
        try:
            counts = load_result(con, outcome, file.sha256, file.source, findings=findings)
        except VanbanError as err:
            outcome = f"load failed: {err}"
        else:
            status = outcome.document.status
            setattr(report, status, getattr(report, status) + 1)
            if status == "failed":
                report.failures.append((file.source, outcome.document.error or "failed"))
            report.tasks += counts["tasks"]
            report.units += counts["task_units"]
            report.references += counts["references"]
            report.targets += counts["targets"]
            kind = "failed" if status == "failed" else "loaded"
            return IngestEvent(
                kind=kind, source=file.source, status=status, tasks=counts["tasks"], done=0, total=0
            )
    load_failure(con, file.sha256, file.source, _FORMATS.get(file.path.suffix.lower()), outcome)
    report.failed += 1
    report.failures.append((file.source, outcome))
    return IngestEvent(kind="failed", source=file.source, status="failed", error=outcome, done=0, total=0)


# --- worker pool -------------------------------------------------------------------------------


@dataclass
class _Slot:
    """One worker process and the file it is working on."""

    process: BaseProcess
    conn: Connection
    deadline: float
    ready: bool = False
    job: SourceFile | None = None


def _extract_all(
    jobs: Sequence[SourceFile], *, timeout_s: float, memory_mb: int, workers: int
) -> Iterator[tuple[SourceFile, _Outcome | str]]:
    """Yield ``(file, result or error message)`` for every job, in completion order."""
    ctx = mp.get_context("spawn")
    pending = deque(jobs)
    slots: list[_Slot] = []
    startup_failures = 0
    try:
        while pending or any(slot.job for slot in slots):
            busy = sum(1 for slot in slots if slot.job is not None)
            while len(slots) < min(workers, busy + len(pending)):
                slots.append(_start_worker(ctx, memory_mb, max(timeout_s, _STARTUP_S)))
            for slot in slots:
                if slot.ready and slot.job is None and pending:
                    slot.job = pending.popleft()
                    slot.deadline = time.monotonic() + timeout_s
                    # A worker that died since it said ready is reported by _poll as a crash.
                    with contextlib.suppress(OSError):
                        slot.conn.send((str(slot.job.path), slot.job.source))
            _wait_any(slots)
            for slot in list(slots):
                was_ready = slot.ready
                event = _poll(slot, timeout_s, memory_mb)
                if event is None:
                    continue
                if event == "ready":
                    startup_failures = 0
                    continue
                job, outcome = event
                if not slot.process.is_alive():  # crashed or killed: a replacement starts next round
                    slot.conn.close()
                    slots.remove(slot)
                if job is None:  # an idle worker went away; only failures to start are fatal
                    startup_failures += 0 if was_ready else 1
                    if startup_failures >= _MAX_STARTUP_FAILURES:
                        raise VanbanError(f"extraction workers fail to start: {outcome}")
                    continue
                yield job, outcome
    finally:
        _shutdown(slots)


def _start_worker(ctx: Any, memory_mb: int, startup_s: float) -> _Slot:
    parent_conn, child_conn = ctx.Pipe(duplex=True)
    process = ctx.Process(
        target=_worker_main, args=(child_conn, memory_mb), daemon=True, name="vanban-extract"
    )
    process.start()
    child_conn.close()
    return _Slot(process=process, conn=parent_conn, deadline=time.monotonic() + startup_s)


def _wait_any(slots: list[_Slot]) -> None:
    """Block until a worker sends something, exits, or the nearest deadline passes."""
    if not slots:
        return
    nearest = min(slot.deadline for slot in slots)
    timeout = None if nearest == float("inf") else max(0.0, nearest - time.monotonic())
    wait([slot.conn for slot in slots] + [slot.process.sentinel for slot in slots], timeout=timeout)


def _poll(
    slot: _Slot, timeout_s: float, memory_mb: int
) -> Literal["ready"] | tuple[SourceFile | None, _Outcome | str] | None:
    """What happened to one worker: ``"ready"``, a finished ``(job, outcome)``, or ``None`` (nothing yet).

    A dead or killed worker yields ``(job, message)`` with ``job`` None when it
    died before taking a file; the caller drops such slots.
    """
    message: Any = None
    broken = False
    try:
        if slot.conn.poll():
            message = slot.conn.recv()
    except (EOFError, OSError):
        broken = True
    if message == ("ready",):
        slot.ready = True
        return "ready"
    if message is not None:
        job, slot.job = slot.job, None
        slot.deadline = float("inf")
        status, payload = message
        return job, payload if status == "ok" and isinstance(payload, tuple) else str(payload)
    if broken or not slot.process.is_alive():
        slot.process.join(timeout=5)
        if slot.process.is_alive():  # closed its pipe but did not exit
            slot.process.kill()
            slot.process.join()
        job, slot.job = slot.job, None
        return job, _crash_message(slot.process.exitcode, memory_mb)
    if time.monotonic() >= slot.deadline:
        _kill(slot)
        job, slot.job = slot.job, None
        if job is None:
            return None, "worker did not start in time"
        return job, f"timed out after {timeout_s:g} s"
    return None


def _crash_message(exitcode: int | None, memory_mb: int) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        if -exitcode == signal.SIGKILL:
            # The kernel OOM killer is the usual sender of an unrequested SIGKILL.
            return f"worker crashed ({name}; possibly exceeded memory limit of {memory_mb} MB)"
        return f"worker crashed ({name})"
    return f"worker crashed (exit code {exitcode})"


def _kill(slot: _Slot) -> None:
    slot.process.kill()
    slot.process.join()


def _shutdown(slots: list[_Slot]) -> None:
    """Stop idle workers politely, kill busy ones, never leave a process behind."""
    for slot in slots:
        if slot.job is None and slot.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
    deadline = time.monotonic() + 5
    for slot in slots:
        if slot.job is None:
            slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        slot.conn.close()
    slots.clear()


# --- inside the worker process ------------------------------------------------------------------


def _worker_main(conn: Connection, memory_mb: int) -> None:
    """Worker entry: cap memory, import the extractor once, then extract files until told to stop."""
    # Ctrl-C reaches the whole process group; the parent decides, and kills workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Numeric libraries reserve address space per thread; parallelism comes from processes.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    _limit_memory(memory_mb)
    try:
        extract: Callable[..., Any] | None = _load_extractor(
            os.environ.get(EXTRACTOR_ENV) or _DEFAULT_EXTRACTOR
        )
        setup_error = ""
    except MemoryError:
        extract, setup_error = None, f"exceeded memory limit ({memory_mb} MB) while loading the extractor"
    except Exception as err:  # reported per file so the run still records every input
        extract, setup_error = None, f"extractor unavailable: {type(err).__name__}: {err}"
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, source = job
        outcome = _extract_one(extract, setup_error, Path(path), source, memory_mb)
        try:
            conn.send(outcome)
        except MemoryError:
            conn.send(("failed", f"exceeded memory limit ({memory_mb} MB)"))


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _load_extractor(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _extract_one(
    extract: Callable[..., Any] | None, setup_error: str, path: Path, source: str, memory_mb: int
) -> tuple[str, Any]:
    """``("ok", ExtractionResult)`` or ``("failed", reason)``; never raises."""
    if extract is None:
        return "failed", setup_error
    try:
        result = extract(path, source=source)
    except MemoryError:
        return "failed", f"exceeded memory limit ({memory_mb} MB)"
    except ExtractionError as err:
        return "failed", err.reason
    except VanbanError as err:
        return "failed", str(err)
    except Exception as err:  # an extractor bug must cost one file, not the batch
        return "failed", f"unexpected {type(err).__name__}: {err}"
    findings: list[Any] = []
    if isinstance(result, tuple) and len(result) == 2:
        result, findings = result
    if not isinstance(result, ExtractionResult):
        return "failed", f"extractor returned {type(result).__name__}, not ExtractionResult"
    return "ok", (result, list(findings))
