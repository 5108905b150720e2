"""Interpretation rules, Duckling style: mini-documents and the tasks they must give.

Each file under ``tests/cases/interpret/`` holds the cases of one rule. A case
is a short document (a standard header and title are put in front unless it
gives its own ``title``), the tasks it must give, in order, stating only the
fields that matter (``"__none__"`` for an empty one), and ``negative``: beginnings of lines that must not become
tasks. The documents run through the real pipeline (text extractor, layout,
interpretation), so a case fails if any stage breaks the rule.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from vanban.pipeline.extract import extract_file

CASES = Path(__file__).resolve().parent.parent / "cases" / "interpret"
HEADER = """ỦY BAN NHÂN DÂN
PHƯỜNG HỒNG GAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 125/CTr-UBND
Hồng Gai, ngày 25 tháng 9 năm 2026
"""
DEFAULT_TITLE = "CHƯƠNG TRÌNH CÔNG TÁC QUÝ IV NĂM 2026"
NONE = "__none__"  # TOML has no null: a field that must be empty
_FIELDS = ("month", "year", "deadline", "start", "lead_units", "support_units", "references", "owner_units")


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def _document(case: dict[str, Any]) -> str:
    return HEADER + case.get("title", DEFAULT_TITLE) + "\n" + case["text"].lstrip("\n")


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    path.write_text(_document(case), encoding="utf-8")
    tasks = extract_file(path).tasks
    expected = case.get("tasks", [])
    assert [t.text for t in tasks] == [e["text"] for e in expected]
    for task, want in zip(tasks, expected, strict=True):
        got = task.model_dump(mode="json")
        for field in _FIELDS:
            if field in want:
                value = None if want[field] == NONE else want[field]
                assert got[field] == value, f"{field} of {want['text']!r}"
    for start in case.get("negative", []):
        assert not any(t.text.startswith(start) for t in tasks), f"not a task: {start!r}"


def test_every_rule_has_negative_cases() -> None:
    for path in sorted(CASES.glob("*.toml")):
        cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        assert any(c.get("negative") for c in cases), f"{path.name} has no negative case"
