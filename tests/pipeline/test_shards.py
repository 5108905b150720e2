"""Batches, Parquet shards and the committer: the same database as ``vanban ingest``.

Ray runs are tested with a local Ray started inside the test, skipped with a
reason when Ray (the ``ray`` extra) is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, shared_path
from tests.pipeline.test_ingest import write
from vanban.cli import app
from vanban.pipeline.batch import Job, batch_id, extract_batch
from vanban.pipeline.discover import discover
from vanban.pipeline.engines.local import ingest_parquet
from vanban.pipeline.ingest import EXTRACTOR_ENV, ingest
from vanban.pipeline.loader import _TABLES
from vanban.pipeline.shards import commit, manifests, parse_shard

FAKE = "tests.pipeline.test_ingest:fake_extract"


def rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted; ``loaded_at`` (the time of loading) left out."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, columns in _TABLES.items():
            cols = ", ".join(f'"{c}"' for c in columns if c != "loaded_at")
            out[table] = con.execute(f'SELECT {cols} FROM "{table}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def misbehaving_folder(root: Path) -> Path:
    for i in range(6):
        write(root / f"doc{i}.txt", f"Tổ chức hội nghị {i}\nKiểm tra công tác {i}\n")
    write(root / "hang.txt", "HANG\n")
    write(root / "crash.txt", "CRASH\n")
    write(root / "dup.txt", "Tổ chức hội nghị 0\nKiểm tra công tác 0\n")
    return root


def test_shards_and_commit_equal_ingest_on_the_seeds(tmp_path: Path) -> None:
    seeds = shared_path("seeds")
    ingest([seeds], tmp_path / "local.duckdb", workers=2)
    report = ingest_parquet([seeds], tmp_path / "shards", batch_size=2, workers=2)
    assert report.ok == 5
    assert len(manifests(tmp_path / "shards")) == 3
    committed = commit(tmp_path / "shards", tmp_path / "sharded.duckdb")
    assert committed.ok == 5
    assert rows(tmp_path / "sharded.duckdb") == rows(tmp_path / "local.duckdb")
    # Committing again replaces each document's rows: nothing changes.
    commit(tmp_path / "shards", tmp_path / "sharded.duckdb")
    assert rows(tmp_path / "sharded.duckdb") == rows(tmp_path / "local.duckdb")


def test_sites_split_files_by_shard_and_failures_are_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, FAKE)
    folder = misbehaving_folder(tmp_path / "in")
    ingest([folder], tmp_path / "local.duckdb", timeout_s=2, memory_mb=1024, workers=2)
    reports = [
        ingest_parquet([folder], tmp_path / "shards", shard=parse_shard(f"{i}/2"), timeout_s=2, workers=2)
        for i in range(2)
    ]
    assert sum(r.ok for r in reports) == 6
    assert sum(r.failed for r in reports) == 2
    failures = dict(f for r in reports for f in r.failures)
    assert "timed out" in failures[(folder / "hang.txt").as_posix()]
    assert "crashed" in failures[(folder / "crash.txt").as_posix()]
    commit(tmp_path / "shards", tmp_path / "sharded.duckdb")
    assert rows(tmp_path / "sharded.duckdb") == rows(tmp_path / "local.duckdb")


def test_batch_id_is_a_hash_of_its_files_so_a_retry_overwrites_its_shards(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, FAKE)
    files = discover(
        [write(tmp_path / "in" / "a.txt", "Việc một\n"), write(tmp_path / "in" / "b.txt", "x\n")]
    )
    jobs = [Job.of(f) for f in files]
    assert batch_id(jobs) == batch_id(list(jobs)) != batch_id(jobs[:1])
    result = extract_batch(jobs, timeout_s=5, memory_mb=1024)
    assert [d.job.source for d in result.documents] == [j.source for j in jobs]
    assert result.batch_id == batch_id(jobs)
    for _ in range(2):
        ingest_parquet([tmp_path / "in"], tmp_path / "shards", timeout_s=5)
    assert len(manifests(tmp_path / "shards")) == 1
    assert len(list((tmp_path / "shards" / "documents").glob("*.parquet"))) == 1
    manifest = json.loads(manifests(tmp_path / "shards")[0].read_text(encoding="utf-8"))
    assert [d["source"] for d in manifest["documents"]] == [j.source for j in jobs]


def test_cli_parquet_then_commit(tmp_path: Path) -> None:
    seeds = shared_path("seeds")
    runner = CliRunner()
    out = tmp_path / "shards"
    for i in range(2):
        result = runner.invoke(app, ["ingest", str(seeds), "--parquet", str(out), "--shard", f"{i}/2"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["commit", str(out), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 0, result.output
    assert "5 ok" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lake", "ducklake:meta.ducklake"], "--lake"),
        (["--shard", "1/2"], "--shard needs --parquet"),
        (["--parquet", "OUT", "--shard", "2/2"], "0 <= i < N"),
    ],
)
def test_cli_usage_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_commit_of_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["commit", str(tmp_path), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "no batches" in result.output


needs_ray = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="Ray not installed (pip install 'vanban[ray]')"
)


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray for the module; its workers import the fake extractor from tests/.

    The variables are set before Ray starts, so its processes inherit them (a
    runtime_env would make Ray start a new worker pool, slowly, after each cancel).
    """
    import ray

    saved = {var: os.environ.get(var) for var in (EXTRACTOR_ENV, "PYTHONPATH")}
    os.environ.update({EXTRACTOR_ENV: FAKE, "PYTHONPATH": str(ROOT)})
    try:
        ray.init(include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        yield ray
        ray.shutdown()
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


@needs_ray
def test_ray_engine_equals_local_with_a_hang_and_a_crash(tmp_path: Path, monkeypatch, local_ray) -> None:
    from vanban.pipeline.engines import ray_engine

    monkeypatch.setenv(EXTRACTOR_ENV, FAKE)
    folder = misbehaving_folder(tmp_path / "in")
    ingest([folder], tmp_path / "local.duckdb", timeout_s=2, memory_mb=1024, workers=2)
    report = ray_engine.ingest([folder], tmp_path / "ray.duckdb", batch_size=3, timeout_s=2, memory_mb=1024)
    assert (report.ok, report.failed, report.skipped) == (6, 2, 1)
    assert rows(tmp_path / "ray.duckdb") == rows(tmp_path / "local.duckdb")
    again = ray_engine.ingest([folder], tmp_path / "ray.duckdb", batch_size=3, timeout_s=2, memory_mb=1024)
    assert (again.ok, again.failed) == (0, 2)  # failed files are retried, the rest is unchanged
    assert not list(tmp_path.glob(".ray.duckdb.shards-*"))


@needs_ray
def test_ray_driver_cancels_an_overdue_task_and_resubmits_its_files_one_by_one(
    tmp_path: Path, local_ray
) -> None:
    from vanban.pipeline.engines import ray_engine

    folder = tmp_path / "in"
    for i in range(3):
        write(folder / f"doc{i}.txt", f"Việc {i}\n")
    write(folder / "hang.txt", "HANG\n")
    # The sandbox would wait 60 s for the hung file; the driver gives each task 15 s.
    report = ray_engine.ingest(
        [folder], None, parquet_dir=tmp_path / "shards", batch_size=4, timeout_s=60, task_deadline_s=15
    )
    assert (report.ok, report.failed) == (3, 1), report.failures
    assert report.failures == [((folder / "hang.txt").as_posix(), "task deadline passed; cancelled")]
    committed = commit(tmp_path / "shards", tmp_path / "db.duckdb")
    assert (committed.ok, committed.failed) == (3, 1)


def test_a_shard_folder_inside_the_input_is_not_read_as_documents(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, FAKE)
    write(tmp_path / "a.txt", "Việc một\n")
    for _ in range(2):
        report = ingest_parquet([tmp_path], tmp_path / "shards", timeout_s=5)
        assert (report.ok, report.failed) == (1, 0)


@needs_ray
def test_ray_driver_killed_midway_resumes_and_commits_the_rest(
    tmp_path: Path, monkeypatch, local_ray
) -> None:
    from vanban.pipeline.engines import ray_engine

    monkeypatch.setenv(EXTRACTOR_ENV, FAKE)
    folder = tmp_path / "in"
    for i in range(6):
        write(folder / f"doc{i}.txt", f"Việc {i}\nViệc khác {i}\n")
    ingest([folder], tmp_path / "local.duckdb", timeout_s=5, memory_mb=1024, workers=2)
    seen: list[str] = []

    def die_after_first_batch(doc) -> None:
        seen.append(doc.job.source)
        if len(seen) == 2:
            raise KeyboardInterrupt  # the driver is killed after committing one batch

    with pytest.raises(KeyboardInterrupt):
        ray_engine.ingest(
            [folder], tmp_path / "ray.duckdb", batch_size=2, timeout_s=5, progress=die_after_first_batch
        )
    resumed = ray_engine.ingest([folder], tmp_path / "ray.duckdb", batch_size=2, timeout_s=5)
    assert (resumed.skipped, resumed.ok) == (2, 4)
    assert rows(tmp_path / "ray.duckdb") == rows(tmp_path / "local.duckdb")
    assert not list(tmp_path.glob(".ray.duckdb.shards-*"))
