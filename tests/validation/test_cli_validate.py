"""``vanban validate``: exit codes follow --fail-on; a clean document exits 0; usage errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import shared_path
from tests.validation.conftest import HEADER
from vanban.cli import app

runner = CliRunner()
CLEAN = (
    HEADER
    + "CHƯƠNG TRÌNH\nCông tác năm 2026\nI. NHIỆM VỤ\n1. Tháng 3/2026\n- Ra quân huấn luyện năm 2026 (Ban Chỉ huy quân sự phường chuẩn bị).\n"
)


@pytest.fixture(autouse=True)
def _no_project_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml / vanban.toml is picked up


def seed(name: str) -> str:
    return str(next(shared_path("seeds").glob(f"{name}_*.txt")))


def test_clean_document_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--fail-on", "info"])
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output


@pytest.mark.parametrize(
    "args, code",
    [
        ([], 1),  # seed 003 has an error (VB402)
        (["--ignore", "VB402"], 0),  # only warnings left, fail-on error
        (["--ignore", "VB402", "--fail-on", "warning"], 1),
        (["--select", "VB1", "--fail-on", "info"], 0),  # no structure finding in seed 003
    ],
)
def test_exit_code_follows_fail_on(args: list[str], code: int) -> None:
    result = runner.invoke(app, ["validate", seed("003"), *args])
    assert result.exit_code == code, result.output


def test_json_output_fields_and_english() -> None:
    result = runner.invoke(
        app, ["validate", seed("004"), "--format", "json", "--lang", "en", "--select", "VB3"]
    )
    data = json.loads(result.output)
    assert [(d["code"], d["line"]) for d in data] == [("VB302", 165), ("VB302", 167), ("VB305", 167)]
    assert data[2]["message"] == "71-NQ/TW was issued on 22/08/2025, not 22/08/2026"
    assert {"source", "code", "severity", "message", "page", "line", "excerpt"} <= set(data[0])


def test_config_file_option(tmp_path: Path) -> None:
    config = tmp_path / "vb.toml"
    config.write_text(
        '[validate]\nignore = ["VB402"]\n[validate.severity]\nVB503 = "error"\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", seed("003"), "--config", str(config), "--format", "json"])
    assert result.exit_code == 1
    assert {d["severity"] for d in json.loads(result.output)} == {"error"}


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--select", "ZZ1", "x"],
        ["validate", "x", "--format", "xml"],
        ["validate", "x", "--baseline", "b.json", "--write-baseline", "c.json"],
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "x").write_text(CLEAN, encoding="utf-8")
    assert runner.invoke(app, args).exit_code == 2


def test_folder_is_searched(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text(
        CLEAN.replace("2026 (Ban", "2026 (Ban") + "Bầu cử HĐND nhiệm kỳ 2026-2034.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", "docs", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=docs/b.txt,line=")
