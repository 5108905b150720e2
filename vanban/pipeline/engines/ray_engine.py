"""``vanban ingest --engine ray``: batches on a Ray cluster, Parquet shards, one committer.

Each Ray task runs :func:`~vanban.pipeline.batch.extract_batch` over its batch
(today's sandbox: per-file time and memory limits, crash isolation) and writes
the batch's shards (:mod:`vanban.pipeline.shards`). The driver keeps a bounded
number of batches in flight, commits finished batches in submission order (one
transaction each), and watches a deadline per task: a task that overruns it
(a sandbox that hangs as a whole, a lost node Ray does not notice) is
cancelled and its files are resubmitted one by one; a single file that overruns
again is recorded as failed. Ray retries a task whose worker or node died
(``max_retries``). Shards must be on storage every node can write (with
``--parquet DIR`` on a cluster, a shared file system).

Ray is optional (``pip install 'vanban[ray]'``); without it this module raises a
:class:`~vanban.errors.VanbanError` naming the extra.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vanban.errors import VanbanError
from vanban.pipeline.batch import DocumentOutcome, Job, chunks, count, outcome_rows, outside, plan
from vanban.pipeline.ingest import EXTRACTOR_ENV, IngestReport

# Time a task may take beyond its files' own limits: starting the sandbox's worker process.
_TASK_SLACK_S = 60.0


class RayUnavailable(VanbanError):
    """Ray is not installed or the cluster cannot be reached."""


def _ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise RayUnavailable("--engine ray needs Ray: pip install 'vanban[ray]'") from err
    return ray


def ray_engine_ready() -> None:
    """Raise :class:`RayUnavailable` when Ray is not installed (before any work starts)."""
    _ray()


def _run_batch(jobs: list[Job], shard_dir: str, order: str, timeout_s: float, memory_mb: int) -> str:
    """Body of a Ray task: extract the batch in the sandbox, write its shards, return the manifest."""
    from vanban.pipeline.batch import extract_batch
    from vanban.pipeline.shards import write_shards

    result = extract_batch(jobs, timeout_s=timeout_s, memory_mb=memory_mb, workers=1)
    return str(write_shards(result, Path(shard_dir), order))


@dataclass
class _Slot:
    """One ordered position of the run: a batch, or the single files it was split into."""

    seq: int
    outstanding: set[str] = field(default_factory=set)  # order keys still running
    manifests: list[str] = field(default_factory=list)


@dataclass
class _Task:
    seq: int
    order: str
    jobs: list[Job]
    deadline: float


def run(
    jobs: Sequence[Job],
    shard_dir: Path,
    *,
    address: str | None = None,
    batch_size: int = 50,
    timeout_s: float = 120,
    memory_mb: int = 2048,
    max_in_flight: int | None = None,
    max_retries: int = 3,
    task_deadline_s: float | None = None,
    on_batch: Callable[[list[str]], None] | None = None,
) -> None:
    """Extract ``jobs`` on Ray into ``shard_dir``; call ``on_batch(manifests)`` per batch, in order.

    ``address`` None starts a local Ray for the run (and stops it after);
    otherwise the driver joins that cluster (``HOST:PORT`` of the head). A
    task's deadline is ``task_deadline_s`` when given, else its files' time
    limits plus a minute for starting its sandbox.
    """
    if not jobs:
        return  # nothing changed: no cluster to start
    ray = _ray()
    started = not ray.is_initialized()
    if started:
        _init(ray, address)
    try:
        remote = ray.remote(num_cpus=1, max_retries=max_retries)(_run_batch)
        # One task per core in flight: a task's deadline runs from its submission, so it
        # must not wait in Ray's queue behind others.
        limit = max_in_flight or max(1, int(ray.cluster_resources().get("CPU", 1)))
        budget = _Budget(timeout_s, memory_mb, task_deadline_s)
        _drive(ray, remote, list(jobs), Path(shard_dir), batch_size, budget, limit, on_batch)
    finally:
        if started:
            ray.shutdown()


def _init(ray: Any, address: str | None) -> None:
    # A local Ray's processes inherit this environment; a cluster's workers are given the
    # extractor hook and PYTHONPATH explicitly (a runtime_env costs a worker pool of its own).
    env = {var: os.environ[var] for var in (EXTRACTOR_ENV, "PYTHONPATH") if os.environ.get(var)}
    if address is None:
        env = {}
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level="ERROR",
            runtime_env={"env_vars": env} if env else None,
        )
    except Exception as err:  # Ray raises ConnectionError, RuntimeError, ValueError ...
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise RayUnavailable(f"cannot start or join {where}: {err}") from err


@dataclass(frozen=True)
class _Budget:
    """Limits of one file in the sandbox, and the driver's deadline for a whole task."""

    timeout_s: float
    memory_mb: int
    task_deadline_s: float | None = None

    def deadline(self, files: int) -> float:
        """Seconds a task of ``files`` files may run before the driver cancels it."""
        if self.task_deadline_s is not None:
            return self.task_deadline_s
        return self.timeout_s * files + _TASK_SLACK_S


def _drive(
    ray: Any,
    remote: Any,
    jobs: list[Job],
    shard_dir: Path,
    batch_size: int,
    budget: _Budget,
    limit: int,
    on_batch: Callable[[list[str]], None] | None,
) -> None:
    """Submit, watch deadlines, split overrunning batches, commit finished positions in order."""
    queue: list[_Task] = []
    slots: list[_Slot] = []
    for seq, batch in enumerate(chunks(jobs, batch_size)):
        order = f"0000-{seq:08d}"
        queue.append(_Task(seq, order, batch, 0.0))
        slots.append(_Slot(seq, {order}))
    queue.reverse()  # pop() from the end takes the earliest batch
    running: dict[Any, _Task] = {}
    committed = 0
    try:
        while queue or running:
            while queue and len(running) < limit:
                task = queue.pop()
                task.deadline = time.monotonic() + budget.deadline(len(task.jobs))
                ref = remote.remote(task.jobs, str(shard_dir), task.order, budget.timeout_s, budget.memory_mb)
                running[ref] = task
            nearest = min(t.deadline for t in running.values())
            ready, _ = ray.wait(list(running), num_returns=1, timeout=max(0.0, nearest - time.monotonic()))
            for ref in ready:
                task = running.pop(ref)
                try:
                    manifest = ray.get(ref)
                except Exception as err:  # the task failed after Ray's retries: split, or record the file
                    _split_or_fail(task, f"task failed: {type(err).__name__}", queue, slots, shard_dir)
                else:
                    _done(slots[task.seq], task.order, manifest)
            now = time.monotonic()
            for ref, task in list(running.items()):
                if now >= task.deadline:
                    ray.cancel(ref, force=True)
                    del running[ref]
                    _split_or_fail(task, "task deadline passed; cancelled", queue, slots, shard_dir)
            while committed < len(slots) and not slots[committed].outstanding:
                if on_batch is not None:
                    on_batch(sorted(slots[committed].manifests))
                committed += 1
    except BaseException:
        # Interrupted (Ctrl-C, a failed commit): stop the tasks still running, so none
        # writes shards after the driver has gone; committed batches stay committed.
        for ref in running:
            ray.cancel(ref, force=True)
        raise


def _done(slot: _Slot, order: str, manifest: str) -> None:
    slot.outstanding.discard(order)
    slot.manifests.append(manifest)


def _split_or_fail(task: _Task, reason: str, queue: list[_Task], slots: list[_Slot], shard_dir: Path) -> None:
    """Resubmit a batch's files one by one; a single file that failed this way is recorded failed."""
    from vanban.pipeline.batch import BatchResult, batch_id
    from vanban.pipeline.shards import write_shards

    slot = slots[task.seq]
    slot.outstanding.discard(task.order)
    if len(task.jobs) == 1:
        outcome = outcome_rows(task.jobs[0], reason)
        result = BatchResult(batch_id=batch_id(task.jobs), documents=[outcome])
        slot.manifests.append(str(write_shards(result, shard_dir, task.order)))
        return
    for k, job in enumerate(task.jobs):
        order = f"{task.order}-{k:04d}"
        slot.outstanding.add(order)
        queue.append(_Task(task.seq, order, [job], 0.0))


def ingest(
    paths: Sequence[Path],
    db_path: Path | None,
    *,
    parquet_dir: Path | None = None,
    address: str | None = None,
    batch_size: int = 50,
    timeout_s: float = 120,
    memory_mb: int = 2048,
    force: bool = False,
    task_deadline_s: float | None = None,
    progress: Callable[[DocumentOutcome], None] | None = None,
) -> IngestReport:
    """``vanban ingest --engine ray``: into ``db_path`` (committed batch by batch), or shards only.

    With ``parquet_dir`` the shards stay there and nothing is committed
    (``vanban commit DIR --db FILE`` loads them later); otherwise they go to a
    temporary folder beside the database, removed after the run.
    """
    from vanban.pipeline.discover import discover
    from vanban.pipeline.loader import known_documents, open_db
    from vanban.pipeline.shards import commit_batch

    _ray()  # fail before discovery when Ray is missing
    report = IngestReport()
    exclude = [db_path, db_path.with_name(db_path.name + ".wal")] if db_path is not None else []
    files = outside(discover(paths, exclude=exclude), parquet_dir)
    con = open_db(db_path) if db_path is not None and parquet_dir is None else None
    try:
        # The skip rule of `vanban ingest` itself: same content, same path, ok or partial.
        done = (
            {(doc_id, source) for doc_id, source, status, *_ in known_documents(con) if status != "failed"}
            if con is not None and not force
            else None
        )
        loaded = (lambda file: (file.sha256, file.source) in done) if done is not None else None
        jobs = plan(files, report, loaded=loaded)
        shard_dir = parquet_dir
        if shard_dir is None:
            assert db_path is not None
            shard_dir = Path(tempfile.mkdtemp(prefix=f".{db_path.name}.shards-", dir=db_path.parent))
        shard_dir.mkdir(parents=True, exist_ok=True)

        def on_batch(manifests: list[str]) -> None:
            from vanban.pipeline.shards import read_documents

            for manifest in manifests:
                docs = commit_batch(con, shard_dir, Path(manifest)) if con else read_documents(manifest)
                for doc in docs:
                    count(report, doc)
                    if progress is not None:
                        progress(doc)

        try:
            run(
                jobs,
                shard_dir,
                address=address,
                batch_size=batch_size,
                timeout_s=timeout_s,
                memory_mb=memory_mb,
                task_deadline_s=task_deadline_s,
                on_batch=on_batch,
            )
        finally:
            if parquet_dir is None:
                shutil.rmtree(shard_dir, ignore_errors=True)
    finally:
        if con is not None:
            con.close()
    report.failures.sort()
    return report
