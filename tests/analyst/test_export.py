"""`vanban export` on the data/raw database: every format opened by the tool its users open it with."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vanban.cli import app
from vanban.pipeline.export import calendar, escape_text, fold

runner = CliRunner()


def _export(raw_db: Path, out: Path, *args: str) -> None:
    result = runner.invoke(app, ["export", "--db", str(raw_db), "-o", str(out), *args])
    assert result.exit_code == 0, result.output


def test_csv_with_bom_opens_in_excel_encoding(raw_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.csv"
    _export(raw_db, out, "--bom", "--where", "year = 2026 AND quarter = 1")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert len(rows) == 129
    assert any(r["lead_units"] == "Phòng Văn hóa - Xã hội" for r in rows)
    assert all(r["deadline"] == "" or r["deadline"].startswith("2026-") for r in rows)


def test_xlsx_has_typed_dates_frozen_header_and_filters(raw_db: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "tasks.xlsx"
    _export(raw_db, out)
    sheet = openpyxl.load_workbook(out)["tasks"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == 353  # 352 tasks + header
    deadline = header.index("deadline")
    dates = [row[deadline].value for row in sheet.iter_rows(min_row=2) if row[deadline].value]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)
    texts = [row[header.index("text")].value for row in sheet.iter_rows(min_row=2)]
    assert any("Nghị quyết" in t for t in texts)  # Vietnamese intact


def test_parquet_and_jsonl_keep_lists(raw_db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    _export(raw_db, tmp_path / "t.parquet")
    table = pq.read_table(tmp_path / "t.parquet")
    assert table.num_rows == 352
    assert str(table.schema.field("lead_units").type).startswith("list")
    _export(raw_db, tmp_path / "t.jsonl", "--where", "len(lead_units) > 1")
    records = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records and all(len(r["lead_units"]) > 1 for r in records)


def test_ics_validates_with_icalendar(raw_db: Path, tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    out = tmp_path / "deadlines.ics"
    _export(raw_db, out)
    data = out.read_bytes()
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 132  # tasks with a deadline day
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event in events:
        assert event.get("DTSTAMP") is not None and event.get("DTSTART") is not None
        assert "Nguồn: " in str(event["DESCRIPTION"]) and "Chủ trì: " in str(event["DESCRIPTION"])


def test_fold_never_splits_a_vietnamese_letter() -> None:
    line = "SUMMARY:" + "Triển khai thực hiện Nghị quyết số 57-NQ/TW " * 5
    folded = fold(line)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert folded.replace("\r\n ", "") == line
    for part in parts:
        part.decode("utf-8")  # each physical line is valid UTF-8


def test_escape_text_rfc5545() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_calendar_skips_tasks_without_a_day() -> None:
    text = calendar(
        [
            {"doc_id": "x" * 64, "seq": 1, "text": "A", "deadline": dt.date(2026, 3, 5), "source": "a.txt"},
            {"doc_id": "x" * 64, "seq": 2, "text": "B", "deadline": None, "start": None, "source": "a.txt"},
        ],
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert text.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20260305" in text


def test_export_usage_errors(raw_db: Path, tmp_path: Path) -> None:
    bad_where = runner.invoke(
        app, ["export", "--db", str(raw_db), "-o", str(tmp_path / "x.csv"), "--where", "("]
    )
    unknown = runner.invoke(app, ["export", "--db", str(raw_db), "-o", str(tmp_path / "x.doc")])
    for result in (bad_where, unknown):
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1


def test_excel_csv_keeps_formula_like_text_as_text() -> None:
    from vanban.pipeline.export import excel_safe

    assert excel_safe("- Triển khai") == "'- Triển khai"
    assert excel_safe("=1+1") == "'=1+1"
    assert excel_safe("Triển khai") == "Triển khai" and excel_safe(3) == 3
