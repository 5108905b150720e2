"""The CLI through its real entry point: records, failures, exit codes, queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import ROOT, shared_path
from vanban.cli import app

runner = CliRunner()


def test_extract_jsonl_follows_the_contract() -> None:
    seed = shared_path("seeds", "004_92049e2a4f22e81b.txt")
    result = runner.invoke(app, ["extract", str(seed)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["kind"] == "document" and records[0]["province"] == "Lạng Sơn"
    tasks = [r for r in records if r["kind"] == "task"]
    assert len(tasks) == 20
    for key in ("text", "month", "year", "deadline", "start", "deadline_text", "lead_units", "support_units"):
        assert key in tasks[0]
    assert any(r["kind"] == "reference" and r["symbol"] == "57-NQ/TW" for r in records)


def test_unreadable_file_gets_one_line_a_failed_record_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "hỏng.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    good = shared_path("seeds", "004_92049e2a4f22e81b.txt")
    result = runner.invoke(app, ["extract", str(bad), str(good)])
    assert result.exit_code == 1
    assert str(bad) in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    failed = [r for r in records if r["kind"] == "document" and r["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["error"]
    assert any(r["kind"] == "task" for r in records)


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["extract", "--format", "xml", "x.txt"])
    assert result.exit_code == 2


def test_schema_is_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "anyOf" in schema or "oneOf" in schema


def test_ingest_then_query_read_only(tmp_path: Path) -> None:
    db = tmp_path / "v.duckdb"
    seeds = shared_path("seeds")
    result = runner.invoke(app, ["ingest", str(seeds), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "tasks: 352" in result.stdout
    query = runner.invoke(
        app, ["query", "--db", str(db), "--format", "json", "SELECT count(*) AS n FROM v_tasks"]
    )
    assert json.loads(query.stdout) == [{"n": 352}]
    write = runner.invoke(app, ["query", "--db", str(db), "DELETE FROM tasks"])
    assert write.exit_code != 0


def test_readme_queries_run_and_give_the_hand_counted_answers(raw_db: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    queries = re.findall(r"```sql\n(.*?)```", readme, flags=re.DOTALL)
    assert len(queries) >= 5
    answers = []
    for sql in queries:
        result = runner.invoke(app, ["query", "--db", str(raw_db), "--format", "json", sql])
        assert result.exit_code == 0, (sql, result.output)
        answers.append(json.loads(result.stdout))
    per_quarter, due, central, without_lead = answers[:4]
    assert {
        "unit_key": "Công an phường · phường Lê Ích Mộc",
        "year": 2026,
        "quarter": 1,
        "tasks": 3,
    } in per_quarter
    assert len(due) == 27 and sum(r["due_by_kind"] == "month" for r in due) == 25
    assert [(r["symbol"], r["citing_documents"]) for r in central[:3]] == [
        ("57-NQ/TW", 4),
        ("71-NQ/TW", 3),
        ("59-NQ/TW", 2),
    ]
    assert (
        without_lead[0]["source"].endswith("004_92049e2a4f22e81b.txt")
        and without_lead[0]["without_lead"] == 20
    )


def test_layout_shows_the_outline_of_a_real_document(tmp_path: Path) -> None:
    seed = next(shared_path("seeds").glob("003_*.txt"))
    result = runner.invoke(app, ["layout", str(seed)])
    assert result.exit_code == 0, result.output
    assert "== section [tasks]" in result.output and "[lead_support, group]" in result.output
    as_json = runner.invoke(app, ["layout", str(seed), "--format", "json"])
    assert json.loads(as_json.output)["sections"]
    missing = runner.invoke(app, ["layout", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output
