"""Crash safety and concurrency of ``vanban ingest``, on the real CLI in subprocesses.

The extractor is replaced through the ``VANBAN_INGEST_EXTRACTOR`` hook by
:func:`slow_extract` (one task per line, a short sleep per file) so a run
lasts long enough to be killed or overlapped, and the database is the thing
under test. Assertions are about rows and exit codes, never timings.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from vanban.pipeline.ingest import EXTRACTOR_ENV
from vanban.schemas.blocks import Provenance
from vanban.schemas.records import DocumentRecord, ExtractionResult, TaskRecord

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("documents", "tasks", "task_units", "errors")


def slow_extract(path: Path, *, source: str | None = None) -> ExtractionResult:
    """One task per line; sleeps a little so runs overlap with kills and other processes."""
    source = source or str(path)
    time.sleep(0.05)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tasks = [
        TaskRecord(
            source=source, seq=i + 1, text=line, month=1, provenance=Provenance(source=source, line=i + 1)
        )
        for i, line in enumerate(lines)
    ]
    document = DocumentRecord(source=source, doc_id="", format="text", task_count=len(tasks))
    return ExtractionResult(document=document, tasks=tasks)


def _folder(root: Path, count: int, tag: str) -> Path:
    root.mkdir(parents=True)
    for i in range(count):
        lines = [f"{tag} văn bản {i} nhiệm vụ {j}" for j in range(1 + i % 7)]
        (root / f"{tag}_{i:03d}.txt").write_text("\n".join(lines), encoding="utf-8")
    return root


def _env() -> dict[str, str]:
    return {**os.environ, EXTRACTOR_ENV: f"{__name__}:slow_extract", "PYTHONPATH": str(ROOT)}


def _vanban(*args: str) -> list[str]:
    return [sys.executable, "-m", "vanban.cli", *args]


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _vanban(*args), capture_output=True, text=True, timeout=timeout, env=_env(), cwd=ROOT, check=False
    )


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def _half_loaded(db: Path) -> list[tuple]:
    """Documents whose task rows do not match their task_count (none may exist, ever)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT d.source, d.task_count, count(t.seq) FROM documents d "
            "LEFT JOIN tasks t USING (doc_id) GROUP BY ALL HAVING count(t.seq) <> d.task_count"
        ).fetchall()
    finally:
        con.close()


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def _gone(pids: set[int], within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        alive = {p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in _state(p)}
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find worker processes")
def test_sigkill_at_random_points_loses_nothing_and_leaves_no_process(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "docs", 60, "a")
    clean_db = tmp_path / "clean.duckdb"
    assert _run("ingest", str(folder), "--db", str(clean_db), "--workers", "2").returncode == 0
    clean = _counts(clean_db)

    db = tmp_path / "killed.duckdb"
    rng = random.Random(9)
    kills = 0
    rounds = int(os.environ.get("VANBAN_KILL_ROUNDS", "5"))  # more on demand: VANBAN_KILL_ROUNDS=20
    for round_no in range(rounds):
        # Later rounds re-ingest over a full database (--force): every document is replaced.
        extra = ["--force"] if round_no >= rounds // 2 else []
        process = subprocess.Popen(
            _vanban("ingest", str(folder), "--db", str(db), "--workers", "2", *extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
            cwd=ROOT,
        )
        time.sleep(rng.uniform(0.8, 3.0))
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += process.returncode == -signal.SIGKILL
        assert _gone(workers), f"workers {workers} outlived their killed parent"
        if db.exists():
            assert _half_loaded(db) == []
    assert kills >= 1
    done = _run("ingest", str(folder), "--db", str(db), "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert _half_loaded(db) == []
    assert _counts(db) == clean


def test_two_ingests_and_queries_at_once_lose_nothing(tmp_path: Path) -> None:
    first = _folder(tmp_path / "first", 25, "b")
    second = _folder(tmp_path / "second", 25, "c")
    db = tmp_path / "shared.duckdb"
    expected = {"documents": 50, "tasks": sum(1 + i % 7 for i in range(25)) * 2}

    ingests = [
        subprocess.Popen(
            _vanban("ingest", str(folder), "--db", str(db), "--workers", "2"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            cwd=ROOT,
        )
        for folder in (first, second)
    ]
    queries = []
    while any(p.poll() is None for p in ingests):
        if db.exists():
            queries.append(
                _run("query", "SELECT count(*) FROM documents", "--db", str(db), "--format", "csv")
            )
        time.sleep(0.2)
    for process in ingests:
        _out, err = process.communicate()
        assert process.returncode == 0, err
        assert "Traceback" not in err
    assert queries, "the ingests finished before any query ran"
    for done in queries:
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert {t: n for t, n in _counts(db).items() if t in expected} == expected


def test_busy_database_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    holder = duckdb.connect(str(db))  # this process holds the write lock
    try:
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "a.txt").write_text("một dòng", encoding="utf-8")
        done = _run("ingest", str(tmp_path / "in"), "--db", str(db), "--lock-timeout", "0.5")
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().count("\n") == 0 and "in use by" in done.stderr
        query = _run("query", "SELECT 1", "--db", str(db), "--lock-timeout", "0.5")
        assert query.returncode == 1 and "in use by" in query.stderr and "Traceback" not in query.stderr
    finally:
        holder.close()
