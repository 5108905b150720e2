"""The analyst views answer the README's questions on data/raw, checked against hand-counted values.

Hand counts come from the seed texts in ../shared/seeds (data/raw holds each seed
once: 000 as PDF, 002 as DOCX, the others as text).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vanban.pipeline.views import level_of


@pytest.fixture(scope="module")
def con(raw_db: Path):
    connection = duckdb.connect(str(raw_db), read_only=True)
    yield connection
    connection.close()


def test_data_raw_holds_each_seed_once_in_three_formats(con) -> None:
    rows = con.execute("SELECT format, count(*) FROM documents GROUP BY ALL ORDER BY ALL").fetchall()
    assert rows == [("docx", 1), ("pdf", 1), ("text", 3)]
    assert con.execute("SELECT count(DISTINCT doc_id) FROM documents").fetchone()[0] == 5


def test_every_task_with_a_period_or_deadline_has_month_quarter_and_due_by(con) -> None:
    missing = con.execute(
        """SELECT count(*) FROM v_tasks
           WHERE (month IS NOT NULL OR deadline IS NOT NULL) AND (quarter IS NULL OR due_by IS NULL)"""
    ).fetchone()[0]
    assert missing == 0
    # A month-only task is due on the last day of its month.
    row = con.execute(
        "SELECT due_by, due_by_kind FROM v_tasks WHERE deadline IS NULL AND year = 2026 AND month = 2 LIMIT 1"
    ).fetchone()
    assert str(row[0]) == "2026-02-28" and row[1] == "month"


def test_quarter_two_is_found(con) -> None:
    # The raw `tasks.quarter` is empty for month headings; v_tasks derives it.
    assert con.execute("SELECT count(*) FROM tasks WHERE quarter = 2").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM v_tasks WHERE year = 2026 AND quarter = 2").fetchone()[0] > 0


def test_tasks_per_unit_per_quarter_keep_the_locality(con) -> None:
    # Seed 002 (Lê Ích Mộc) names "Công an phường" as lead on lines 52, 87, 90 (Q1), 132 (Q2), 180, 194 (Q4).
    rows = con.execute(
        """SELECT u.unit_key, t.quarter, count(*) FROM v_tasks t
           JOIN v_task_units u ON u.doc_id = t.doc_id AND u.task_seq = t.seq AND u.role = 'lead'
           WHERE u.name = 'Công an phường' AND u.locality = 'phường Lê Ích Mộc' AND t.year = 2026
           GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    assert rows == [
        ("Công an phường · phường Lê Ích Mộc", 1, 3),
        ("Công an phường · phường Lê Ích Mộc", 2, 1),
        ("Công an phường · phường Lê Ích Mộc", 4, 2),
    ]
    keys = con.execute("SELECT DISTINCT unit_key FROM v_task_units WHERE name = 'Công an phường'").fetchall()
    assert len(keys) == 3  # three wards, three offices


def test_due_next_week_includes_month_only_tasks(con) -> None:
    # From 25/3/2026: two rows of seed 002 fall due on 25/3; the March items without a day
    # (9 bullets of seed 000, 5 + 11 items of seed 003) are due by 31/3.
    rows = con.execute(
        """SELECT due_by_kind, count(*) FROM due_at(DATE '2026-03-25')
           WHERE days_left BETWEEN 0 AND 7 GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    assert rows == [("day", 2), ("month", 25)]


def test_most_cited_central_documents(con) -> None:
    # grep -l in the seeds: 57-NQ/TW in 000, 001, 002, 004; 71-NQ/TW in 001, 002, 004; 59-NQ/TW in 001, 004.
    rows = con.execute(
        """SELECT symbol, count(DISTINCT doc_id) AS citing FROM citations WHERE level = 'central'
           GROUP BY symbol ORDER BY citing DESC, symbol LIMIT 3"""
    ).fetchall()
    assert rows == [("57-NQ/TW", 4), ("71-NQ/TW", 3), ("59-NQ/TW", 2)]


def test_tasks_without_a_lead(con) -> None:
    # Seed 004's table has no lead column: none of its 20 items names a lead.
    rows = dict(
        con.execute(
            "SELECT regexp_extract(source, '(\\d{3})_', 1), count(*) FROM v_tasks WHERE len(lead_units) = 0 "
            "AND source LIKE '%.txt' GROUP BY ALL"
        ).fetchall()
    )
    assert rows == {"004": 20}


def test_unit_load_counts_lead_and_support(con) -> None:
    row = con.execute(
        "SELECT sum(lead_tasks), sum(tasks) FROM v_unit_load WHERE unit_key LIKE 'Công an phường · phường Đồ Sơn'"
    ).fetchone()
    assert row[0] == 9 and row[1] >= row[0]


def test_citations_vocabulary_matches_documents(con) -> None:
    codes = {row[0] for row in con.execute("SELECT doc_type_code FROM v_documents").fetchall()}
    assert codes == {"CTr", "NQ"}
    names = dict(con.execute("SELECT DISTINCT doc_type, doc_type_name FROM citations").fetchall())
    assert names["NQ"] == "Nghị quyết" and names["QĐ"] == "Quyết định" and names["KH"] == "Kế hoạch"


def test_every_column_is_commented(con) -> None:
    from vanban.pipeline.views import COMMENTED

    bare = con.execute(
        f"SELECT table_name, column_name FROM duckdb_columns() WHERE comment IS NULL "
        f"AND table_name IN ({', '.join(repr(t) for t in COMMENTED)})"
    ).fetchall()
    assert bare == []
    comment = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'v_tasks' AND column_name = 'due_by'"
    ).fetchone()[0]
    assert "last day" in comment


@pytest.mark.parametrize(
    ("code", "issuer", "level"),
    [
        ("TW", None, "central"),
        ("CP", "Chính phủ", "central"),
        ("QH15", None, "central"),
        ("UBTVQH15-CP-ĐCTUBTWMTTQVN", None, "central"),
        ("UBPLTP15", "Ủy ban Pháp luật và Tư pháp", "central"),
        ("HĐBCQG", None, "central"),
        ("HĐBC-QH", None, "central"),
        ("TU", "Ban Thường vụ Tỉnh ủy", "province"),
        ("UBND", "UBND tỉnh", "province"),
        ("UBND", "Ủy ban nhân dân thành phố Hải Phòng", "province"),
        ("UBND", "UBND phường", "local"),
        ("ĐU", None, "local"),
        ("UBND", None, None),
    ],
)
def test_level_of_issuer(code: str, issuer: str | None, level: str | None) -> None:
    assert level_of(code, issuer) == level
