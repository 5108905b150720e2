"""DuckDB loader: schema, one-transaction replace per document, failures, the v_tasks view."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from vanban.errors import DatabaseError
from vanban.pipeline import loader
from vanban.pipeline.loader import SCHEMA_VERSION, load_failure, load_result, loaded_status, open_db
from vanban.schemas.blocks import Provenance
from vanban.schemas.records import (
    DocumentRecord,
    ErrorRecord,
    ExtractionResult,
    ReferenceRecord,
    TargetRecord,
    TaskRecord,
    UnitAssignment,
)

SOURCE = "seeds/000_a9e4cef1ba2e8708.txt"
TABLES = ("documents", "tasks", "task_units", '"references"', "task_references", "targets", "errors")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def unit(name: str, role: str = "lead", written: str | None = None) -> UnitAssignment:
    return UnitAssignment(name=name, written=written or name, role=role, recognised=True, kind="phong")


def make_result(source: str = SOURCE, n_tasks: int = 2, status: str = "ok") -> ExtractionResult:
    """A result shaped like the first seed: a ward work program with January tasks."""
    prov = Provenance(source=source, line=20, start=100, end=180)
    tasks = [
        TaskRecord(
            source=source,
            seq=i + 1,
            section="1. Tháng 01/2026",
            text=f"Kế hoạch triển khai thực hiện chủ đề công tác năm 2026 ({i})",
            month=1,
            year=2026,
            deadline=dt.date(2026, 1, 31) if i == 0 else None,
            units=[
                unit("Phòng Văn hóa - Xã hội"),
                unit("Trung tâm Cung ứng dịch vụ"),
                unit("Công an phường", role="support"),
            ],
            references=["12-NQ/ĐU", "12-NQ/ĐU"] if i == 0 else [],
            provenance=prov,
        )
        for i in range(n_tasks)
    ]
    return ExtractionResult(
        document=DocumentRecord(
            source=source,
            doc_id="ignored",
            format="text",
            status=status,
            doc_type="Chương trình công tác",
            issuer="Ủy ban nhân dân phường Uông Bí",
            locality="phường Uông Bí",
            province="Quảng Ninh",
            year=2026,
            issued_on=dt.date(2025, 12, 20),
            task_count=n_tasks,
        ),
        tasks=tasks,
        references=[
            ReferenceRecord(
                source=source,
                symbol="12-NQ/ĐU",
                doc_type="Nghị quyết",
                number="12",
                issuer_code="ĐU",
                issued_on=dt.date(2025, 12, 9),
                written="Nghị quyết số 12-NQ/ĐU ngày 09/12/2025",
                provenance=Provenance(source=source, line=1),
            )
        ],
        targets=[
            TargetRecord(
                source=source,
                code="grdp_growth",
                text="Tốc độ tăng trưởng kinh tế đạt 12%",
                value=12.0,
                unit="%",
                comparator=">=",
                year=2026,
                provenance=Provenance(source=source, page=2, line=7),
            )
        ],
        errors=[ErrorRecord(source=source, stage="units", message="unrecognised unit 'tổ dân phố 3'")],
    )


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def con(tmp_path: Path):
    connection = open_db(tmp_path / "vanban.duckdb")
    yield connection
    connection.close()


def test_open_db_creates_schema_and_version(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    con = open_db(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert counts(con) == dict.fromkeys(TABLES, 0)
    con.close()
    # Reopening neither duplicates the version row nor fails on existing tables.
    con = open_db(db)
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
    con.close()
    ro = open_db(db, read_only=True)
    assert ro.execute("SELECT count(*) FROM v_tasks").fetchone()[0] == 0
    ro.close()


def test_open_db_read_only_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no such database"):
        open_db(tmp_path / "absent.duckdb", read_only=True)


def test_open_db_refuses_other_schema_version(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(db))
    raw.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    raw.execute("INSERT INTO schema_version VALUES (999, NULL)")
    raw.close()
    with pytest.raises(DatabaseError, match="schema version 999"):
        open_db(db)


def test_load_result_writes_every_table_keyed_by_sha(con) -> None:
    digest = sha("doc-a")
    got = load_result(con, make_result(), digest, SOURCE)
    assert got["tasks"] == 2 and got["task_units"] == 6 and got["task_references"] == 1
    assert counts(con) == {
        "documents": 1,
        "tasks": 2,
        "task_units": 6,
        '"references"': 1,
        "task_references": 1,  # the repeated citation is stored once
        "targets": 1,
        "errors": 1,
    }
    for table in TABLES:
        ids = con.execute(f"SELECT DISTINCT doc_id FROM {table}").fetchall()
        assert ids == [(digest,)], table
    doc = con.execute("SELECT source, status, issued_on, task_count, loaded_at FROM documents").fetchone()
    assert doc[:4] == (SOURCE, "ok", dt.date(2025, 12, 20), 2)
    assert isinstance(doc[4], dt.datetime)
    assert con.execute("SELECT deadline FROM tasks WHERE seq = 1").fetchone()[0] == dt.date(2026, 1, 31)
    assert con.execute("SELECT value, comparator FROM targets").fetchone() == (12.0, ">=")
    assert con.execute('SELECT issued_on FROM "references"').fetchone()[0] == dt.date(2025, 12, 9)
    assert loaded_status(con, digest) == (SOURCE, "ok")
    assert loaded_status(con, sha("other")) is None


def test_reload_replaces_instead_of_duplicating(con) -> None:
    digest = sha("doc-a")
    load_result(con, make_result(n_tasks=3), digest, SOURCE)
    first = counts(con)
    load_result(con, make_result(n_tasks=3), digest, SOURCE)
    assert counts(con) == first
    # A smaller re-extraction leaves no orphan rows of the larger one.
    load_result(con, make_result(n_tasks=1), digest, SOURCE)
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM task_units").fetchone()[0] == 3


def test_new_content_for_same_source_replaces_old_version(con) -> None:
    load_result(con, make_result(), sha("v1"), SOURCE)
    load_result(con, make_result(source="seeds/other.txt"), sha("other"), "seeds/other.txt")
    load_result(con, make_result(n_tasks=1), sha("v2"), SOURCE)
    docs = con.execute("SELECT doc_id, source FROM documents ORDER BY source").fetchall()
    assert docs == [(sha("v2"), SOURCE), (sha("other"), "seeds/other.txt")]
    assert con.execute("SELECT count(*) FROM tasks WHERE doc_id = ?", [sha("v1")]).fetchone()[0] == 0


def test_failure_mid_load_rolls_back_only_that_document(con, monkeypatch) -> None:
    load_result(con, make_result(source="a.txt"), sha("a"), "a.txt")
    load_result(con, make_result(source="b.txt", n_tasks=3), sha("b"), "b.txt")
    before = con.execute("SELECT * FROM tasks ORDER BY doc_id, seq").fetchall()

    def explode(_con, _tables) -> None:  # runs after the DELETE, inside the transaction
        raise duckdb.ConversionException("simulated failure while inserting")

    monkeypatch.setattr(loader, "_insert_rows", explode)
    with pytest.raises(DatabaseError, match="simulated failure"):
        load_result(con, make_result(source="b.txt", n_tasks=1), sha("b"), "b.txt")
    with pytest.raises(DatabaseError, match="simulated failure"):
        load_failure(con, sha("a"), "a.txt", "text", "boom")
    monkeypatch.undo()

    # Both documents still have all their previous rows; the connection is usable.
    assert con.execute("SELECT * FROM tasks ORDER BY doc_id, seq").fetchall() == before
    assert con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 2
    load_result(con, make_result(source="c.txt"), sha("c"), "c.txt")
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 3


def test_non_database_exception_also_rolls_back(con, monkeypatch) -> None:
    load_result(con, make_result(), sha("a"), SOURCE)
    monkeypatch.setattr(loader, "_insert_rows", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        load_result(con, make_result(n_tasks=5), sha("a"), SOURCE)
    monkeypatch.undo()
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 2


def test_load_failure_replaces_previous_rows(con) -> None:
    digest = sha("doc-a")
    load_result(con, make_result(), digest, SOURCE)
    load_failure(con, digest, SOURCE, "pdf", "not a PDF file (bad header)")
    assert con.execute("SELECT status, error, format, task_count FROM documents").fetchall() == [
        ("failed", "not a PDF file (bad header)", "pdf", 0)
    ]
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    assert con.execute("SELECT stage, message FROM errors").fetchall() == [
        ("extract", "not a PDF file (bad header)")
    ]


def test_partial_result_loads_normally(con) -> None:
    load_result(con, make_result(status="partial"), sha("p"), SOURCE)
    assert con.execute("SELECT status FROM documents").fetchone()[0] == "partial"
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 2


def test_v_tasks_one_row_per_task_with_units_aggregated_in_document_order(con) -> None:
    result = make_result(n_tasks=2)
    result.tasks.append(
        TaskRecord(
            source=SOURCE, seq=3, text="Task with no units", provenance=Provenance(source=SOURCE, line=40)
        )
    )
    load_result(con, result, sha("a"), SOURCE)
    rows = con.execute(
        "SELECT seq, doc_type, province, lead_units, support_units, month, line FROM v_tasks ORDER BY seq"
    ).fetchall()
    assert len(rows) == 3
    assert rows[0] == (
        1,
        "Chương trình công tác",
        "Quảng Ninh",
        ["Phòng Văn hóa - Xã hội", "Trung tâm Cung ứng dịch vụ"],
        ["Công an phường"],
        1,
        20,
    )
    assert rows[2][3:5] == ([], [])


def test_v_tasks_keeps_written_order_of_lead_units(con) -> None:
    result = make_result(n_tasks=1)
    result.tasks[0].units = [unit("Văn phòng HĐND và UBND"), unit("Phòng Kinh tế")]
    load_result(con, result, sha("a"), SOURCE)
    assert con.execute("SELECT lead_units FROM v_tasks").fetchone()[0] == [
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế",
    ]


def test_plain_unit_lists_are_used_when_no_assignments(con) -> None:
    result = make_result(n_tasks=1)
    result.tasks[0].units = []
    result.tasks[0].lead_units = ["Phòng Kinh tế, Hạ tầng và Đô thị"]
    load_result(con, result, sha("a"), SOURCE)
    assert con.execute("SELECT role, name, recognised FROM task_units").fetchall() == [
        ("lead", "Phòng Kinh tế, Hạ tầng và Đô thị", False)
    ]


def test_duplicate_task_seq_is_renumbered(con) -> None:
    result = make_result(n_tasks=3)
    for task in result.tasks:
        task.seq = 0  # an extractor that left the default
    load_result(con, result, sha("a"), SOURCE)
    assert con.execute("SELECT seq FROM tasks ORDER BY seq").fetchall() == [(1,), (2,), (3,)]
    assert con.execute("SELECT count(DISTINCT task_seq) FROM task_units").fetchone()[0] == 3


def test_bulk_load_of_many_tasks(con) -> None:
    load_result(con, make_result(n_tasks=5000), sha("big"), SOURCE)
    assert con.execute("SELECT count(*) FROM v_tasks").fetchone()[0] == 5000
    assert con.execute("SELECT count(*) FROM task_units").fetchone()[0] == 15000


def test_open_db_upgrades_a_version_1_database_in_place(tmp_path: Path) -> None:
    db = tmp_path / "v1.duckdb"
    raw = duckdb.connect(str(db))
    raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    raw.execute("INSERT INTO schema_version VALUES (1, current_timestamp)")
    # task_units as version 1 wrote it: no basis column.
    raw.execute(
        "CREATE TABLE task_units (doc_id VARCHAR, task_seq INTEGER, ord INTEGER, role VARCHAR, name VARCHAR, "
        "written VARCHAR, recognised BOOLEAN, kind VARCHAR)"
    )
    raw.execute(
        "INSERT INTO task_units VALUES ('d', 1, 0, 'lead', 'Công an phường', 'Công an phường', true, NULL)"
    )
    raw.close()
    con = open_db(db)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT name, basis FROM task_units").fetchall() == [("Công an phường", "stated")]
    con.close()


# --- many documents per transaction -------------------------------------------------------------


class _Counting:
    """A connection that counts the statements sent through it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.statements = 0

    def __getattr__(self, name: str):
        attr = getattr(self._con, name)
        if name in ("execute", "executemany", "begin", "commit", "rollback"):

            def counted(*args, **kwargs):
                self.statements += 1
                return attr(*args, **kwargs)

            return counted
        return attr


def _batch(names: list[str], n_tasks: int = 2) -> list[loader.DocumentRows]:
    return [loader.document_rows(make_result(source=n, n_tasks=n_tasks), sha(n), n) for n in names]


def test_a_batch_costs_the_same_statements_whatever_its_size(con) -> None:
    counting = _Counting(con)
    loader.load_documents(counting, _batch(["a.txt"]))
    one = counting.statements
    counting.statements = 0
    loader.load_documents(counting, _batch([f"{i}.txt" for i in range(200)]))
    assert counting.statements == one  # not 200 times as many
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 201
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 402
    # Replacing loaded documents adds the deletes, still per table and not per document.
    counting.statements = 0
    loader.load_documents(counting, _batch([f"{i}.txt" for i in range(200)], n_tasks=1))
    assert counting.statements <= one + len(loader.TABLES)
    assert con.execute("SELECT count(*) FROM tasks").fetchone()[0] == 200 + 2  # a.txt kept its two


def test_a_batch_replaces_each_document_and_older_versions_of_its_source(con) -> None:
    load_result(con, make_result(source="a.txt", n_tasks=3), sha("a-v1"), "a.txt")
    load_result(con, make_result(source="b.txt", n_tasks=3), sha("b"), "b.txt")
    load_result(con, make_result(source="keep.txt"), sha("keep"), "keep.txt")
    batch = [
        loader.document_rows(make_result(source="a.txt", n_tasks=1), sha("a-v2"), "a.txt"),
        loader.document_rows(make_result(source="b.txt", n_tasks=1), sha("b"), "b.txt"),
        loader.failure_rows(sha("c"), "c.txt", "pdf", "not a PDF file (bad header)"),
    ]
    loader.load_documents(con, batch)
    assert con.execute("SELECT source, status, task_count FROM documents ORDER BY source").fetchall() == [
        ("a.txt", "ok", 1),
        ("b.txt", "ok", 1),
        ("c.txt", "failed", 0),
        ("keep.txt", "ok", 2),
    ]
    assert con.execute("SELECT count(*) FROM tasks WHERE doc_id = ?", [sha("a-v1")]).fetchone()[0] == 0
    assert con.execute("SELECT source, count(*) FROM tasks GROUP BY source ORDER BY source").fetchall() == [
        ("a.txt", 1),
        ("b.txt", 1),
        ("keep.txt", 2),
    ]
    assert con.execute("SELECT source, message FROM errors WHERE stage = 'extract'").fetchall() == [
        ("c.txt", "not a PDF file (bad header)")
    ]


def test_a_batch_that_fails_half_way_leaves_nothing_of_itself(con, monkeypatch) -> None:
    load_result(con, make_result(source="a.txt", n_tasks=3), sha("a"), "a.txt")
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    real_insert = loader._insert_rows

    def insert_then_fail(con_, tables) -> None:  # the deletes and some inserts have run
        real_insert(con_, dict(list(tables.items())[:2]))
        raise duckdb.ConstraintException("simulated failure after the first tables")

    monkeypatch.setattr(loader, "_insert_rows", insert_then_fail)
    with pytest.raises(DatabaseError, match=r"a batch of 3 documents: .*simulated failure"):
        loader.load_documents(con, _batch(["a.txt", "b.txt", "c.txt"], n_tasks=1))
    monkeypatch.undo()
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES} == before


def test_rows_a_table_cannot_hold_are_rejected_before_any_transaction() -> None:
    result = make_result(source="a.txt")
    result.tasks[0].text = "bad \udcff surrogate from an undecodable byte"
    with pytest.raises(DatabaseError, match="records rejected before loading"):
        loader.document_rows(result, sha("a"), "a.txt")
