"""Ingest orchestration: discovery, sandboxed workers, failures, idempotent re-runs.

Workers are real spawned processes. They run :func:`fake_extract` (through the
``VANBAN_INGEST_EXTRACTOR`` hook read by the worker entry point), which mimics
the real extractor on text files and misbehaves on demand: a file whose first
line is ``HANG`` sleeps forever, ``CRASH`` kills its process, ``MEMORY``
allocates beyond the limit, ``BUG`` raises a non-vanban exception.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import shared_path
from vanban.errors import DatabaseError, ExtractionError
from vanban.pipeline.discover import discover
from vanban.pipeline.ingest import EXTRACTOR_ENV, IngestEvent, ingest
from vanban.schemas.blocks import Provenance
from vanban.schemas.records import DocumentRecord, ExtractionResult, TaskRecord, UnitAssignment

TABLES = ("documents", "tasks", "task_units", '"references"', "task_references", "targets", "errors")
FAST = {"timeout_s": 2.0, "memory_mb": 1024, "workers": 2}


def fake_extract(path: Path, *, source: str | None = None) -> ExtractionResult:
    """A stand-in extractor: one task per line of a .txt file, with one lead unit each."""
    source = source or str(path)
    if path.suffix != ".txt":
        raise ExtractionError(source, f"unsupported format {path.suffix}")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    command = lines[0] if lines else ""
    if command == "HANG":
        time.sleep(3600)
    elif command == "CRASH":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif command == "MEMORY":
        hog = bytearray(8 * 1024**3)
        return hog  # never reached
    elif command == "BUG":
        raise ValueError("bad index in table row")
    tasks = [
        TaskRecord(
            source=source,
            seq=i + 1,
            text=line,
            month=1,
            units=[
                UnitAssignment(
                    name="Phòng Văn hóa - Xã hội", written="phòng VH-XH", role="lead", recognised=True
                )
            ],
            provenance=Provenance(source=source, line=i + 1),
        )
        for i, line in enumerate(lines)
    ]
    status = "partial" if command == "PARTIAL" else "ok"
    document = DocumentRecord(source=source, doc_id="", format="text", status=status, task_count=len(tasks))
    return ExtractionResult(document=document, tasks=tasks)


@pytest.fixture
def fake_extractor(monkeypatch) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, f"{__name__}:fake_extract")


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery ---------------------------------------------------------------------------------


def test_discover_walks_sorted_skips_hidden_and_lock_files(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "a.txt", "a")
    write(tmp_path / "sub" / "c.docx", "c")
    write(tmp_path / ".git" / "config", "x")
    write(tmp_path / ".hidden.txt", "x")
    write(tmp_path / "~$c.docx", "lock")
    os.mkfifo(tmp_path / "pipe.txt")  # must never be opened: reading a FIFO blocks
    files = discover([tmp_path])
    assert [f.path.relative_to(tmp_path).as_posix() for f in files] == ["a.txt", "b.txt", "sub/c.docx"]
    a = files[0]
    assert a.size == 1
    assert a.sha256 == hashlib.sha256(b"a").hexdigest()
    assert a.source == (tmp_path / "a.txt").as_posix()


def test_discover_direct_file_and_dedup(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "a")
    files = discover([f, tmp_path])
    assert [x.source for x in files] == [f.as_posix()]


def test_discover_excludes_given_files_without_reading_them(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "a")
    db = tmp_path / "v.duckdb"
    db.write_bytes(b"db")
    db.chmod(0)  # would fail to hash if it were read (when not running as root)
    assert [f.path.name for f in discover([tmp_path], exclude=[db])] == ["a.txt"]


def test_discover_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="no such file"):
        discover([tmp_path / "absent"])


# --- ingest with the fake extractor -------------------------------------------------------------


def test_reingest_is_idempotent_and_fast(tmp_path: Path, fake_extractor) -> None:
    docs = tmp_path / "docs"
    write(docs / "000.txt", "Kế hoạch triển khai chủ đề năm 2026\nTổ chức Lễ khai mạc lễ hội")
    write(docs / "001.txt", "Kế hoạch tuyên truyền kỷ niệm 96 năm thành lập Đảng")
    write(docs / "sub" / "002.txt", "PARTIAL\nBáo cáo tình hình kinh tế - xã hội")
    write(docs / "~$000.txt", "lock file")
    db = tmp_path / "v.duckdb"

    first = ingest([docs], db, **FAST)
    assert (first.ok, first.partial, first.failed, first.skipped) == (2, 1, 0, 0)
    assert first.tasks == 5 and first.units == 5
    before = counts(db)
    ids = query(db, "SELECT doc_id, source FROM documents ORDER BY doc_id")
    assert before["documents"] == 3 and before["tasks"] == 5

    events: list[IngestEvent] = []
    second = ingest([docs], db, progress=events.append, **FAST)
    assert (second.ok, second.partial, second.failed, second.skipped) == (0, 0, 0, 3)
    assert [e.kind for e in events] == ["skipped"] * 3
    assert counts(db) == before
    assert query(db, "SELECT doc_id, source FROM documents ORDER BY doc_id") == ids

    forced = ingest([docs], db, force=True, **FAST)
    assert (forced.ok, forced.partial, forced.skipped) == (2, 1, 0)
    assert counts(db) == before
    assert query(db, "SELECT doc_id, source FROM documents ORDER BY doc_id") == ids


def test_changed_file_replaces_its_old_version(tmp_path: Path, fake_extractor) -> None:
    f = write(tmp_path / "a.txt", "one\ntwo")
    db = tmp_path / "v.duckdb"
    ingest([tmp_path / "a.txt"], db, **FAST)
    old_id = query(db, "SELECT doc_id FROM documents")[0][0]
    write(f, "one\ntwo\nthree")
    report = ingest([f], db, **FAST)
    assert report.ok == 1
    rows = query(db, "SELECT doc_id FROM documents")
    assert len(rows) == 1 and rows[0][0] != old_id
    assert query(db, "SELECT count(*) FROM tasks") == [(3,)]


def test_identical_content_is_extracted_once(tmp_path: Path, fake_extractor) -> None:
    write(tmp_path / "a.txt", "same")
    write(tmp_path / "copy_of_a.txt", "same")
    db = tmp_path / "v.duckdb"
    report = ingest([tmp_path], db, **FAST)
    assert (report.ok, report.skipped) == (1, 1)
    assert report.duplicates == [((tmp_path / "copy_of_a.txt").as_posix(), (tmp_path / "a.txt").as_posix())]
    # A second run is stable: the same path stays the loaded one.
    again = ingest([tmp_path], db, **FAST)
    assert (again.ok, again.skipped) == (0, 2)
    assert query(db, "SELECT source FROM documents") == [((tmp_path / "a.txt").as_posix(),)]


def test_misbehaving_files_fail_alone_and_the_batch_continues(tmp_path: Path, fake_extractor) -> None:
    docs = tmp_path / "docs"
    write(docs / "01_good.txt", "Kế hoạch triển khai chủ đề năm 2026")
    write(docs / "02_hang.txt", "HANG")
    write(docs / "03_crash.txt", "CRASH")
    write(docs / "04_memory.txt", "MEMORY")
    write(docs / "05_bug.txt", "BUG")
    (docs / "06_random.pdf").write_bytes(os.urandom(4096))
    write(docs / "07_good.txt", "Tổ chức Lễ khai mạc lễ hội\nBáo cáo quý I")
    db = tmp_path / "v.duckdb"
    events: list[IngestEvent] = []

    report = ingest([docs], db, progress=events.append, **FAST)

    assert (report.ok, report.failed) == (2, 5)
    errors = dict(report.failures)
    src = {name: (docs / name).as_posix() for name in os.listdir(docs)}
    assert errors[src["02_hang.txt"]] == "timed out after 2 s"
    assert errors[src["03_crash.txt"]] == "worker crashed (SIGSEGV)"
    assert errors[src["04_memory.txt"]] == "exceeded memory limit (1024 MB)"
    assert errors[src["05_bug.txt"]] == "unexpected ValueError: bad index in table row"
    assert errors[src["06_random.pdf"]] == "unsupported format .pdf"
    rows = dict(query(db, "SELECT source, status FROM documents"))
    assert rows == {s: ("ok" if "good" in name else "failed") for name, s in src.items()}
    assert query(db, "SELECT format FROM documents WHERE source LIKE '%.pdf'") == [("pdf",)]
    assert query(db, "SELECT count(*) FROM tasks") == [(3,)]
    assert sorted(e.done for e in events) == list(range(1, 8))
    assert {e.total for e in events} == {7}

    # Failed files are retried on the next run, loaded ones skipped.
    write(docs / "02_hang.txt", "now fine")
    rerun = ingest([docs], db, **FAST)
    assert (rerun.ok, rerun.failed, rerun.skipped) == (1, 4, 2)


def test_database_error_on_one_document_is_recorded_and_the_batch_continues(
    tmp_path: Path, fake_extractor, monkeypatch
) -> None:
    from vanban.pipeline import ingest as ingest_module

    real_load = ingest_module.load_documents

    def flaky_load(con, docs):
        # The database refuses any transaction holding b.txt: the batch is retried one by one.
        if any(doc.source.endswith("b.txt") and doc.status != "failed" for doc in docs):
            raise DatabaseError("Conversion Error: value out of range")
        return real_load(con, docs)

    monkeypatch.setattr(ingest_module, "load_documents", flaky_load)
    write(tmp_path / "a.txt", "one")
    write(tmp_path / "b.txt", "two")
    write(tmp_path / "c.txt", "three")
    db = tmp_path / "v.duckdb"
    report = ingest([tmp_path], db, **FAST)
    assert (report.ok, report.failed) == (2, 1)
    assert report.failures == [
        ((tmp_path / "b.txt").as_posix(), "load failed: Conversion Error: value out of range")
    ]
    assert query(db, "SELECT count(*) FROM tasks") == [(2,)]


def test_extractor_that_cannot_be_imported_fails_each_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(EXTRACTOR_ENV, "vanban.no_such_module:extract_file")
    write(tmp_path / "a.txt", "x")
    report = ingest([tmp_path], tmp_path / "v.duckdb", **FAST)
    assert report.failed == 1
    assert report.failures[0][1].startswith("extractor unavailable: ModuleNotFoundError")


def test_no_files_no_workers(tmp_path: Path) -> None:
    report = ingest([tmp_path], tmp_path / "v.duckdb", **FAST)
    assert report.documents == 0


# --- the real extractor --------------------------------------------------------------------------


def _corrupt_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    random_pdf = folder / "random.pdf"
    random_pdf.write_bytes(os.urandom(8192))
    empty_docx = folder / "empty.docx"
    empty_docx.write_bytes(b"")
    truncated = folder / "truncated.docx"
    buffer = folder / "full.zip.tmp"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>" + "x" * 20000 + "</w:document>")
    truncated.write_bytes(buffer.read_bytes()[:1500])
    buffer.unlink()
    return {"random.pdf": random_pdf, "empty.docx": empty_docx, "truncated.docx": truncated}


def test_real_ingest_of_seeds_and_docx_with_corrupt_files(tmp_path: Path) -> None:
    pytest.importorskip("vanban.pipeline.extract", reason="vanban.pipeline.extract not written yet")
    seeds = shared_path("seeds")
    docx = shared_path("fixtures", "docx")
    corrupt = _corrupt_files(tmp_path / "corrupt")
    db = tmp_path / "v.duckdb"

    report = ingest([seeds, docx, tmp_path / "corrupt"], db, timeout_s=120, workers=2)

    assert report.ok + report.partial == 10, report.failures
    assert report.failed == 3
    errors = dict(report.failures)
    for path in corrupt.values():
        message = errors[path.as_posix()]
        assert message and not message.startswith(("unexpected", "worker crashed", "timed out")), message
    assert report.tasks > 0
    before = counts(db)
    assert query(db, "SELECT count(*) FROM v_tasks") == [(before["tasks"],)]
    again = ingest([seeds, docx, tmp_path / "corrupt"], db, timeout_s=120, workers=2)
    assert again.skipped == 10 and again.failed == 3
    assert counts(db) == before
