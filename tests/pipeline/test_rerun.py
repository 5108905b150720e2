"""Cheap re-runs: unchanged files are skipped by (source, size, mtime_ns) unread; moved files by hash."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.pipeline.test_ingest import FAST, write
from vanban.pipeline.ingest import EXTRACTOR_ENV, ingest


@pytest.fixture
def fake_extractor(monkeypatch) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, "tests.pipeline.test_ingest:fake_extract")


def _sources(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source, task_count FROM documents ORDER BY source").fetchall()
    finally:
        con.close()


def test_unchanged_files_are_not_read_again(tmp_path: Path, fake_extractor, monkeypatch) -> None:
    docs = tmp_path / "docs"
    for i in range(5):
        write(docs / f"{i}.txt", f"nhiệm vụ {i}\n" * (i + 1))
    db = tmp_path / "v.duckdb"
    first = ingest([docs], db, **FAST)
    assert (first.ok, first.hashed) == (5, 5)

    # Nothing may be opened for hashing on a no-op re-run.
    from vanban.pipeline import ingest as ingest_module

    def no_reading(file):
        raise AssertionError(f"{file.source} was read")

    with monkeypatch.context() as patch:
        patch.setattr(ingest_module, "fingerprint", no_reading)
        again = ingest([docs], db, **FAST)
    assert (again.skipped, again.hashed, again.ok) == (5, 0, 0)

    # Touched but unchanged: hashed, not extracted, and remembered so the next run skips it unread.
    path = docs / "0.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    touched = ingest([docs], db, **FAST)
    assert (touched.hashed, touched.ok, touched.skipped) == (1, 0, 5)
    assert ingest([docs], db, **FAST).hashed == 0


def test_moved_file_is_recognised_by_its_hash(tmp_path: Path, fake_extractor) -> None:
    docs = tmp_path / "docs"
    write(docs / "old_name.txt", "nhiệm vụ một\nnhiệm vụ hai")
    db = tmp_path / "v.duckdb"
    ingest([docs], db, **FAST)
    (docs / "old_name.txt").rename(docs / "new_name.txt")

    report = ingest([docs], db, **FAST)

    assert (report.moved, report.ok, report.skipped) == (1, 0, 1)
    assert _sources(db) == [((docs / "new_name.txt").as_posix(), 2)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert {s for (s,) in con.execute("SELECT DISTINCT source FROM tasks").fetchall()} == {
            (docs / "new_name.txt").as_posix()
        }
    finally:
        con.close()


def mutating_extract(path: Path, *, source: str | None = None):
    """Reads the file, then the file changes (as if someone saved it during the run)."""
    from tests.pipeline.test_ingest import fake_extract

    result = fake_extract(path, source=source)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nthêm một dòng")
    return result


def test_file_changed_while_read_is_not_loaded_under_its_old_hash(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, f"{__name__}:mutating_extract")
    write(tmp_path / "docs" / "a.txt", "nhiệm vụ một")
    db = tmp_path / "v.duckdb"
    report = ingest([tmp_path / "docs"], db, **FAST)
    assert report.failures == [
        (
            (tmp_path / "docs" / "a.txt").as_posix(),
            "file changed while it was read; a re-run loads the new version",
        )
    ]


def test_a_run_with_nothing_to_do_never_opens_the_database_for_writing(
    tmp_path: Path, fake_extractor, monkeypatch
) -> None:
    docs = tmp_path / "docs"
    for i in range(3):
        write(docs / f"{i}.txt", f"nhiệm vụ {i}\n")
    db = tmp_path / "v.duckdb"
    ingest([docs], db, **FAST)
    before = db.stat().st_mtime_ns

    from vanban.pipeline import ingest as ingest_module

    real_open = ingest_module.open_db
    modes: list[bool] = []

    def watching_open(path, read_only=False, **kwargs):
        modes.append(read_only)
        return real_open(path, read_only, **kwargs)

    monkeypatch.setattr(ingest_module, "open_db", watching_open)
    again = ingest([docs], db, **FAST)
    assert (again.skipped, again.ok, again.hashed) == (3, 0, 0)
    assert modes == [True]  # one read-only connection to plan the run, nothing else
    assert db.stat().st_mtime_ns == before

    # A new file is loaded (the writer opens then), the others are still skipped unread.
    write(docs / "new.txt", "nhiệm vụ mới\n")
    modes.clear()
    third = ingest([docs], db, **FAST)
    assert (third.ok, third.skipped, third.hashed) == (1, 3, 1)
    assert modes[0] is True and False in modes[1:]
