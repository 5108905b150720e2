"""Every usage error of the CLI: one line on stderr naming the path or option and the fix, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from vanban import __version__
from vanban.cli import app

runner = CliRunner()
SEED = str(ROOT / "data" / "raw" / "004_92049e2a4f22e81b.txt")


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("usage")
    not_db = root / "notes.duckdb"
    not_db.write_text("not a database", encoding="utf-8")
    locked = root / "locked.duckdb"
    locked.write_bytes(b"\0" * 8 + b"DUCK" + b"\0" * 100)
    locked.chmod(0)
    other = root / "other.duckdb"  # a DuckDB database, but not one vanban wrote
    import duckdb

    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE documents (a INTEGER)")
    con.close()
    return {"root": root, "not_db": not_db, "locked": locked, "folder_db": root, "other": other}


def _cases(files: dict[str, Path]) -> list[tuple[list[str], str]]:
    root, not_db = files["root"], str(files["not_db"])
    missing = str(root / "nope.txt")
    return [
        (["ingest", missing], "nope.txt"),
        (["extract", missing], "nope.txt"),
        (["validate", SEED, "--baseline", missing], "nope.txt"),
        (["validate", SEED, "--format", "sarif", "--statistics"], "--statistics"),
        (["ingest", SEED, "--workers", "0"], "--workers"),
        (["ingest", SEED, "--workers", "-1"], "--workers"),
        (["ingest", SEED, "--timeout", "0"], "--timeout"),
        (["ingest", SEED, "--timeout", "-5"], "--timeout"),
        (["ingest", SEED, "--db", not_db], "notes.duckdb"),
        (["ingest", SEED, "--db", str(files["folder_db"])], "--db"),
        (["query", "SELECT 1", "--db", not_db], "notes.duckdb"),
        (["query", "SELECT 1", "--db", str(root / "missing.duckdb")], "vanban ingest"),
        (["export", "--db", not_db, "-o", str(root / "x.csv")], "notes.duckdb"),
        (["report", "--db", str(root / "missing.duckdb")], "missing.duckdb"),
        (["report", "--db", not_db, "--as-of", "yesterday"], "--db"),
        (["validate", SEED, "--db", not_db], "notes.duckdb"),
        (["extract", "--format", "xml", SEED], "--format"),
        (["ingest", SEED, "--workers", "many"], "--workers"),
        (["ingest"], "paths"),
        (["frobnicate"], "frobnicate"),
        (["diff", missing, SEED], "nope.txt"),
        (["report", "--db", str(files["other"]), "-o", str(root / "r.html")], "vanban ingest"),
        (["export", "--db", str(files["other"]), "-o", str(root / "r.csv")], "other.duckdb"),
        (["ingest", SEED, "--db", str(files["other"])], "--db"),
        (["export", "-o", str(root / "no" / "x.csv"), "--db", not_db], "notes.duckdb"),
    ]


def test_every_usage_error_is_one_line_and_exit_2(bad_files: dict[str, Path]) -> None:
    for args, named in _cases(bad_files):
        result = runner.invoke(app, args)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2, (args, result.output)
        assert len(lines) == 1, (args, lines)
        assert named in lines[0], (args, lines)
        assert "Traceback" not in result.output


def test_validate_reports_a_missing_path_as_a_finding(bad_files: dict[str, Path]) -> None:
    """Unlike ingest and extract, a linter reports a missing path among its findings and checks the rest."""
    missing = str(bad_files["root"] / "nope.txt")
    result = runner.invoke(app, ["validate", missing, SEED, "--format", "json"])
    assert result.exit_code == 1, result.output
    import json

    data = json.loads(result.stdout)
    assert data[0]["code"] == "VB001" and data[0]["source"] == missing and data[0]["severity"] == "error"
    assert any(d["source"] == SEED for d in data)  # the other path was still validated


def test_unreadable_db_is_a_usage_error(bad_files: dict[str, Path]) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads any file: permissions cannot make the database unreadable")
    result = runner.invoke(app, ["query", "SELECT 1", "--db", str(bad_files["locked"])])
    assert result.exit_code == 2 and "locked.duckdb" in result.stderr


def test_real_entry_point_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vanban.cli", "extract", str(tmp_path / "thiếu.pdf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"vanban: error: {tmp_path / 'thiếu.pdf'}: no such file or folder (check the path)"
    ]


def test_help_and_version() -> None:
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"vanban {__version__}"
    for args in (["-h"], ["ingest", "-h"], ["export", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_quiet_verbose_and_summary_json(tmp_path: Path) -> None:
    import json

    summary = tmp_path / "s.json"
    quiet = runner.invoke(
        app,
        [
            "extract",
            str(ROOT / "data" / "raw"),
            "-q",
            "-o",
            str(tmp_path / "o.jsonl"),
            "--summary-json",
            str(summary),
        ],
    )
    assert quiet.exit_code == 0 and quiet.stderr == ""
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["documents"] == 5 and data["tasks"] == 352
    assert len((tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()) > 352
    # Not a terminal: one plain progress line per file on stderr.
    plain = runner.invoke(app, ["extract", str(ROOT / "data" / "raw"), "-f", "table", "--include", "*.txt"])
    progress = [line for line in plain.stderr.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in progress] == ["[1/3", "[2/3", "[3/3"]


def test_exclude_glob_and_verbose_note(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["extract", str(ROOT / "data" / "raw"), "--exclude", "samples/", "-v", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 0
    assert "sample_000.pdf: skipped (--include/--exclude)" in result.stderr
    assert "sample_" not in (tmp_path / "x").read_text(encoding="utf-8")


def test_timeout_message_names_the_flag() -> None:
    from vanban.cli import _with_flag_hint

    assert "--timeout" in _with_flag_hint("timed out after 120 s")
