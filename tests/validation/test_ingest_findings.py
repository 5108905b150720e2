"""Findings are computed during ``ingest`` (in the workers) and stored with the document's rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.conftest import shared_path
from vanban.pipeline.extract import extract_file
from vanban.pipeline.ingest import ingest
from vanban.pipeline.loader import load_result, open_db
from vanban.validation import validate_file


def test_ingest_stores_findings(tmp_path: Path) -> None:
    src = next(shared_path("seeds").glob("004_*.txt"))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(src, folder / "004.txt")
    db = tmp_path / "v.duckdb"
    report = ingest([folder], db, workers=1)
    assert report.ok == 1
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT code, severity, line, excerpt FROM findings ORDER BY line, code").fetchall()
    con.close()
    assert [(r[0], r[2]) for r in rows] == [
        ("VB501", 1),
        ("VB502", 1),
        ("VB401", 13),
        ("VB302", 165),
        ("VB302", 167),
        ("VB305", 167),
    ]
    assert rows[-1][1] == "error" and "71-NQ/TW" in rows[-1][3]


def test_findings_replaced_with_the_document(tmp_path: Path) -> None:
    src = next(shared_path("seeds").glob("003_*.txt"))
    result = extract_file(src)
    findings = validate_file(src)
    con = open_db(tmp_path / "v.duckdb")
    try:
        load_result(con, result, "abc", "003.txt", findings)
        load_result(con, result, "abc", "003.txt", findings[:1])  # reloaded: old findings replaced
        assert con.execute("SELECT count(*) FROM findings WHERE doc_id = 'abc'").fetchone() == (1,)
        load_result(con, result, "abc", "003.txt")  # no findings given: none kept
        assert con.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    finally:
        con.close()
