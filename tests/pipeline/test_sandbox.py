"""The sandbox pool: reusable across batches, a time limit that grows with the pages, budgets in the worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

from vanban import budgets
from vanban.budgets import Budgets
from vanban.pipeline.sandbox import FileJob, SandboxPool


def pid_of(path: Path, *, source: str | None = None) -> int:
    return os.getpid()


def slow_many_pages(path: Path, *, source: str | None = None) -> str:
    """Reports 100 pages, then takes longer than the base time limit (but within the per-page one)."""
    if path.name.startswith("paged"):
        budgets.report_pages(100)
    time.sleep(2.5)
    return "done"


def active_budgets(path: Path, *, source: str | None = None) -> Budgets:
    return budgets.active()


def _jobs(tmp_path: Path, *names: str) -> list[FileJob]:
    jobs = []
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
        jobs.append(FileJob(path=tmp_path / name, source=name))
    return jobs


def test_one_pool_serves_several_batches_with_the_same_workers(tmp_path: Path) -> None:
    with SandboxPool(f"{__name__}:pid_of", workers=1) as pool:
        first = {outcome.value for _job, outcome in pool.run(_jobs(tmp_path, "a", "b"))}
        second = {outcome.value for _job, outcome in pool.run(_jobs(tmp_path, "c"))}
    assert len(first) == 1 and first == second != {os.getpid()}


def test_time_limit_grows_with_the_pages_the_extractor_reports(tmp_path: Path) -> None:
    limits = Budgets(timeout_s=1, timeout_per_page_s=0.1)
    with SandboxPool(f"{__name__}:slow_many_pages", budgets=limits, workers=2) as pool:
        outcomes = {job.source: outcome for job, outcome in pool.run(_jobs(tmp_path, "paged", "plain"))}
    assert outcomes["paged"].value == "done"
    assert outcomes["plain"].error == "timed out after 1 s"


def test_workers_run_under_the_given_budgets(tmp_path: Path) -> None:
    limits = Budgets(max_pages=7, max_numbering=99)
    with SandboxPool(f"{__name__}:active_budgets", budgets=limits, workers=1) as pool:
        ((_job, outcome),) = list(pool.run(_jobs(tmp_path, "a")))
    assert outcome.value == limits
