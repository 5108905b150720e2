"""``vanban diff``: tasks matched by similarity; added, removed, changed; deadlines, units, references."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import shared_path
from vanban.cli import app
from vanban.pipeline.diff import TaskView, diff_paths, match_tasks, render_text
from vanban.pipeline.ingest import ingest

runner = CliRunner()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """Seed 002 and an edited copy: a deadline moved, a task removed, a lead unit changed, a citation added."""
    old = tmp_path / "old" / "002.txt"
    new = tmp_path / "new" / "002.txt"
    old.parent.mkdir()
    new.parent.mkdir()
    shutil.copy(next(shared_path("seeds").glob("002_*.txt")), old)
    text = old.read_text(encoding="utf-8")
    text = text.replace(
        "Ra quân huấn luyện năm 2026\tBCH Quân sự\t01/3/2026",
        "Ra quân huấn luyện năm 2026\tBCH Quân sự\t03/3/2026",
    )
    text = text.replace("2\tGiao quân năm 2026\tBCH Quân sự\t04/3/2026\n", "")
    text = text.replace(
        "Kế hoạch Công tác Dân vận năm 2026\tPhòng Văn hóa - Xã hội",
        "Kế hoạch Công tác Dân vận năm 2026 theo Kế hoạch số 15/KH-UBND ngày 02/01/2026\tCông an phường",
    )
    new.write_text(text, encoding="utf-8")
    return old, new


def test_document_diff(versions: tuple[Path, Path]) -> None:
    report = diff_paths(*versions)
    (doc,) = report.documents
    assert [t.text for t in doc.tasks_removed] == ["Giao quân năm 2026"]
    assert doc.tasks_added == []
    assert doc.deadlines_moved == 1 and doc.units_changed == 1
    moved = next(c for c in doc.tasks_changed if "deadline" in c.changes)
    assert str(moved.changes["deadline"].new) == "2026-03-03"
    assert doc.references_added == ["15/KH-UBND"] and doc.references_removed == []
    text = render_text(report)
    assert "- task 51: Giao quân năm 2026" in text
    assert "deadline: 01/03/2026 -> 03/03/2026" in text


def test_same_file_has_no_change(versions: tuple[Path, Path]) -> None:
    old, _new = versions
    report = diff_paths(old, old)
    assert report.documents[0].empty
    assert "no change" in render_text(report)


def test_databases(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = versions
    ingest([old.parent], tmp_path / "old.duckdb", workers=1)
    ingest([new.parent], tmp_path / "new.duckdb", workers=1)
    result = runner.invoke(
        app, ["diff", str(tmp_path / "old.duckdb"), str(tmp_path / "new.duckdb"), "--format", "json"]
    )
    assert result.exit_code == 1, result.output  # the records differ, like diff(1)
    (doc,) = json.loads(result.output)["documents"]  # renamed folder: the lone pair is compared
    assert doc["deadlines_moved"] == 1 and doc["references_added"] == ["15/KH-UBND"]
    assert [t["text"] for t in doc["tasks_removed"]] == ["Giao quân năm 2026"]


def test_cli_text_and_usage_error(versions: tuple[Path, Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", *map(str, versions)])
    assert result.exit_code == 1 and "+ reference 15/KH-UBND" in result.output
    db = tmp_path / "x.duckdb"
    ingest([versions[0].parent], db, workers=1)
    assert runner.invoke(app, ["diff", str(versions[0]), str(db)]).exit_code == 2


def test_matching_prefers_the_most_similar_pair() -> None:
    old = [
        TaskView(seq=1, text="Kế hoạch cải cách hành chính năm 2026"),
        TaskView(seq=2, text="Giao quân năm 2026"),
    ]
    new = [
        TaskView(seq=1, text="Giao quân đợt 1 năm 2026"),
        TaskView(seq=2, text="Kế hoạch cải cách hành chính nhà nước năm 2026"),
    ]
    assert [(i, j) for i, j, _s in match_tasks(old, new)] == [(0, 1), (1, 0)]
    assert match_tasks(old, [TaskView(seq=1, text="Tổng kết thi đua khen thưởng")]) == []
