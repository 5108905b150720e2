"""A reusable pool of sandboxed worker processes: every command reads untrusted files here.

Input files are untrusted, so no command parses them in its own process: each
file goes to a worker (``spawn`` context, so no parent state or DuckDB handle
is inherited) that

* has its address space capped (``RLIMIT_AS``, ``Budgets.memory_mb``) and its
  CPU time capped per file (``RLIMIT_CPU``, the file's time limit);
* gets a wall-clock time limit per file that grows with its pages
  (``Budgets.time_limit``; the extractor reports the page count once it has
  opened the file);
* dies when the parent dies (``PR_SET_PDEATHSIG``), so even a parent killed
  with SIGKILL leaves no worker behind, and tells the parent the process group
  of every helper it starts (LibreOffice, Tesseract), so a worker killed for
  overrunning takes its helpers with it.

Workers are long-lived: one spawn serves many files and many batches, because
importing the extractors costs about a second. The pool is a context manager;
leaving it (normally, by an exception, Ctrl-C or SIGTERM) stops every worker
and helper it started.

A task is ``"package.module:function"`` called in the worker as
``function(path, source=source, **kwargs)``; whatever it returns must pickle.
A pool may also name a ``finish`` function, ``"package.module:function"`` run
in the worker on the task's return value as ``finish(value, source=source,
**job_kwargs(job))``: ``vanban ingest`` turns the records into the rows of
every table there, so the worker sends back compact Arrow tables and the
parent only loads them.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

from vanban import budgets as budget_hooks
from vanban.budgets import Budgets
from vanban.errors import ExtractionError, VanbanError

# A worker must finish importing its task within this time (or the per-file limit, if longer).
_STARTUP_S = 60.0
_MAX_STARTUP_FAILURES = 3


class Job(Protocol):
    """What the pool needs of an input: where the file is and the name records give it."""

    @property
    def path(self) -> Path: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class FileJob:
    """A plain job: a path and its source name."""

    path: Path
    source: str


@dataclass(frozen=True)
class Outcome:
    """What became of one file: the task's return value, or the reason it failed."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class _Slot:
    """One worker process and the file it is working on."""

    process: BaseProcess
    conn: Connection
    deadline: float
    ready: bool = False
    job: Any = None
    started: float = 0.0
    pages: int | None = None
    children: set[int] = field(default_factory=set)


class SandboxPool:
    """Worker processes that run ``task`` on files within ``budgets``; reusable across batches.

    >>> with SandboxPool("vanban.pipeline.extract:extract_file", workers=2) as pool:  # doctest: +SKIP
    ...     for job, outcome in pool.run(jobs):
    ...         ...
    """

    def __init__(
        self,
        task: str,
        *,
        budgets: Budgets | None = None,
        workers: int | None = None,
        kwargs: dict[str, Any] | None = None,
        finish: str | None = None,
        job_kwargs: Callable[[Any], dict[str, Any]] | None = None,
        preload: tuple[str, ...] = (),
    ) -> None:
        self.task = task
        self.finish = finish
        self.job_kwargs = job_kwargs
        # Modules the worker imports ("module:function": calls) at start-up, within the start-up
        # budget rather than its first file's time limit.
        self.preload = preload
        self.budgets = budgets or Budgets()
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.kwargs = kwargs or {}
        self._ctx = mp.get_context("spawn")
        self._slots: list[_Slot] = []
        self._startup_failures = 0
        self._old_sigterm: Any = None

    # -- lifetime

    def __enter__(self) -> SandboxPool:
        # SIGTERM becomes SystemExit so `finally` blocks (and __exit__) stop the workers.
        if threading.current_thread() is threading.main_thread():
            self._old_sigterm = signal.signal(signal.SIGTERM, _raise_exit)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        if self._old_sigterm is not None:
            signal.signal(signal.SIGTERM, self._old_sigterm)
            self._old_sigterm = None

    def close(self) -> None:
        """Stop idle workers politely, kill busy ones and their helpers; never leave a process behind."""
        slots, self._slots = self._slots, []
        for slot in slots:
            if slot.job is None and slot.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    slot.conn.send(None)
        deadline = time.monotonic() + 5
        for slot in slots:
            if slot.job is None:
                slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive() or slot.children:
                _kill(slot)
            slot.conn.close()

    # -- running

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Any, Outcome]]:
        """Yield ``(job, outcome)`` for every job, in completion order; never raises for a file."""
        pending = deque(jobs)
        slots = self._slots
        while pending or any(slot.job is not None for slot in slots):
            busy = sum(1 for slot in slots if slot.job is not None)
            while len(slots) < min(self.workers, busy + len(pending)):
                slots.append(self._start_worker())
            for slot in slots:
                if slot.ready and slot.job is None and pending:
                    self._assign(slot, pending.popleft())
            _wait_any(slots)
            for slot in list(slots):
                was_ready = slot.ready
                event = self._poll(slot)
                if event is None:
                    continue
                job, outcome = event
                if not slot.process.is_alive():  # crashed or killed: a replacement starts next round
                    slot.conn.close()
                    slots.remove(slot)
                if job is None:  # an idle worker went away; only failures to start are fatal
                    self._startup_failures += 0 if was_ready else 1
                    if self._startup_failures >= _MAX_STARTUP_FAILURES:
                        raise VanbanError(f"sandbox workers fail to start: {outcome.error}")
                    continue
                yield job, outcome

    def _assign(self, slot: _Slot, job: Job) -> None:
        slot.job = job
        slot.pages = None
        slot.started = time.monotonic()
        slot.deadline = slot.started + self.budgets.time_limit()
        # A worker that died since it said ready is reported by _poll as a crash.
        with contextlib.suppress(OSError):
            extra = self.job_kwargs(job) if self.job_kwargs is not None else {}
            slot.conn.send((str(job.path), job.source, extra))

    def _start_worker(self) -> _Slot:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, (self.task, self.finish, self.preload), self.kwargs, self.budgets, os.getpid()),
            daemon=True,
            name="vanban-sandbox",
        )
        process.start()
        child_conn.close()
        startup = max(self.budgets.timeout_s, _STARTUP_S)
        return _Slot(process=process, conn=parent_conn, deadline=time.monotonic() + startup)

    def _poll(self, slot: _Slot) -> tuple[Any, Outcome] | None:
        """A finished ``(job, outcome)`` of one worker, or ``None`` when nothing is finished yet.

        Progress messages (ready, pages, helper processes) are consumed here.
        A dead or killed worker yields ``(job, failure)`` with ``job`` None when
        it died before taking a file.
        """
        broken = False
        try:
            while slot.conn.poll():
                message = slot.conn.recv()
                kind = message[0]
                if kind == "ready":
                    slot.ready = True
                    self._startup_failures = 0
                elif kind == "pages":
                    slot.pages = message[1]
                    slot.deadline = slot.started + self.budgets.time_limit(slot.pages)
                elif kind == "child":
                    (slot.children.add if message[2] else slot.children.discard)(message[1])
                elif kind == "done":
                    job, slot.job = slot.job, None
                    slot.deadline = float("inf")
                    _, status, payload = message
                    if status == "ok":
                        return job, Outcome(value=payload)
                    return job, Outcome(error=str(payload))
        except (EOFError, OSError):
            broken = True
        if broken or not slot.process.is_alive():
            slot.process.join(timeout=5)
            if slot.process.is_alive() or slot.children:  # closed its pipe but did not exit
                _kill(slot)
            job, slot.job = slot.job, None
            return job, Outcome(error=_crash_message(slot.process.exitcode, self.budgets, slot.pages))
        if time.monotonic() >= slot.deadline:
            _kill(slot)
            job, slot.job = slot.job, None
            if job is None:
                return None, Outcome(error="worker did not start in time")
            return job, Outcome(error=_timeout_message(self.budgets, slot.pages))
        return None


def _raise_exit(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def _timeout_message(budgets: Budgets, pages: int | None) -> str:
    limit = budgets.time_limit(pages)
    if pages and budgets.timeout_per_page_s:
        basis = f"{budgets.timeout_s:g} s + {budgets.timeout_per_page_s:g} s × {pages} pages"
        return f"timed out after {limit:g} s ({basis}; raise with --timeout or --timeout-per-page)"
    return f"timed out after {limit:g} s"


def _crash_message(exitcode: int | None, budgets: Budgets, pages: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        signum = -exitcode
        if signum == signal.SIGXCPU:
            limit = budgets.time_limit(pages)
            return f"exceeded the CPU time budget of {limit:g} s (raise with --timeout)"
        name = signal.Signals(signum).name
        if signum == signal.SIGKILL:
            # The kernel OOM killer is the usual sender of an unrequested SIGKILL.
            return f"worker crashed ({name}; possibly exceeded memory limit of {budgets.memory_mb} MB)"
        return f"worker crashed ({name})"
    return f"worker crashed (exit code {exitcode})"


def _wait_any(slots: list[_Slot]) -> None:
    """Block until a worker sends something, exits, or the nearest deadline passes."""
    if not slots:
        return
    nearest = min(slot.deadline for slot in slots)
    timeout = None if nearest == float("inf") else max(0.0, nearest - time.monotonic())
    wait([slot.conn for slot in slots] + [slot.process.sentinel for slot in slots], timeout=timeout)


def _kill(slot: _Slot) -> None:
    """Kill a worker and every helper process group it registered."""
    for pgid in slot.children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    slot.children.clear()
    if slot.process.is_alive():
        slot.process.kill()
    slot.process.join()


# --- inside the worker process ------------------------------------------------------------------


def _worker_main(
    conn: Connection,
    tasks: tuple[str, str | None, tuple[str, ...]],
    kwargs: dict[str, Any],
    budgets: Budgets,
    parent: int,
) -> None:
    """Worker entry: limits, import the task (its finish, preloads) once, then run files until told to stop."""
    task, finish_spec, preload = tasks
    budget_hooks.die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        return
    # Ctrl-C reaches the whole process group; the parent decides, and kills workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Numeric libraries reserve address space per thread; parallelism comes from processes.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    _limit_memory(budgets.memory_mb)
    budget_hooks.install(budgets)
    try:
        function: Callable[..., Any] | None = _load(task)
        finish = _load(finish_spec) if finish_spec else None
        for spec in preload:  # a module to import, or a "module:function" to call once
            if ":" in spec:
                _load(spec)()
            else:
                importlib.import_module(spec)
        setup_error = ""
    except MemoryError:
        function, finish = None, None
        setup_error = f"exceeded memory limit ({budgets.memory_mb} MB) while loading {task}"
    except Exception as err:  # reported per file so the run still records every input
        function, finish, setup_error = None, None, f"extractor unavailable: {type(err).__name__}: {err}"

    def on_pages(pages: int) -> None:
        _limit_cpu(budgets.time_limit(pages), started_cpu)
        conn.send(("pages", pages))

    def on_child(pgid: int, started: bool) -> None:
        conn.send(("child", pgid, started))

    budget_hooks.set_hooks(on_pages, on_child)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, source, extra = job
        started_cpu = _cpu_used()
        _limit_cpu(budgets.time_limit(), started_cpu)
        status, payload = _run_one(function, setup_error, Path(path), source, kwargs, budgets)
        if status == "ok" and finish is not None:
            status, payload = _run_one(finish, setup_error, payload, source, extra, budgets)
        try:
            conn.send(("done", status, payload))
        except MemoryError:
            conn.send(("done", "failed", f"exceeded memory limit ({budgets.memory_mb} MB)"))


def _cpu_used() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_cpu(seconds: float, started_cpu: float) -> None:
    """Let the current file use ``seconds`` of CPU beyond what the worker had used before it."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    # +1: RLIMIT_CPU counts whole seconds; the wall-clock limit should normally fire first.
    soft = int(started_cpu + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _load(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _run_one(
    function: Callable[..., Any] | None,
    setup_error: str,
    path: Any,
    source: str,
    kwargs: dict[str, Any],
    budgets: Budgets,
) -> tuple[str, Any]:
    """``("ok", value)`` or ``("failed", reason)`` of ``function(path, ...)``; never raises.

    ``path`` is the file, or for a pool's ``finish`` the task's return value.
    """
    if function is None:
        return "failed", setup_error
    try:
        return "ok", function(path, source=source, **kwargs)
    except MemoryError:
        return "failed", f"exceeded memory limit ({budgets.memory_mb} MB)"
    except ExtractionError as err:
        return "failed", err.reason
    except VanbanError as err:
        return "failed", str(err)
    except RecursionError:
        return "failed", "document nesting too deep (recursion limit)"
    except Exception as err:  # an extractor bug must cost one file, not the batch
        return "failed", f"unexpected {type(err).__name__}: {err}"
