"""Validation rules, Duckling style: mini-documents and the findings they must give.

Each file under ``tests/cases/validation/`` holds the cases of one rule (its
``code``). A case is a short document (a ward's header and a program title are
put in front unless it gives its own ``header`` or ``title``) and the findings of
that rule it must give, in order: each with the ``excerpt`` text it must contain
and, when it matters, its ``line``. A negative case gives ``findings = []``. The
documents run through the real pipeline (text extractor, layout, interpretation,
rules), so a case fails if any stage breaks the rule.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from vanban.validation import ValidateConfig, validate_file
from vanban.validation.findings import rule_catalogue

CASES = Path(__file__).resolve().parent.parent / "cases" / "validation"
HEADER = """ỦY BAN NHÂN DÂN
PHƯỜNG HỒNG GAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 125/CTr-UBND
Hồng Gai, ngày 25 tháng 9 năm 2026
"""
DEFAULT_TITLE = "CHƯƠNG TRÌNH CÔNG TÁC QUÝ IV NĂM 2026"


def _files() -> list[Path]:
    return sorted(CASES.glob("*.toml"))


def _cases() -> list[Any]:
    params = []
    for path in _files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            params.append(pytest.param(data["code"], case, id=f"{path.stem}: {case['name']}"))
    return params


def _document(case: dict[str, Any]) -> str:
    return case.get("header", HEADER) + case.get("title", DEFAULT_TITLE) + "\n" + case["text"].lstrip("\n")


@pytest.mark.parametrize(("code", "case"), _cases())
def test_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    path.write_text(_document(case), encoding="utf-8")
    found = validate_file(path, ValidateConfig(select=[code]))
    expected = case["findings"]
    assert len(found) == len(expected), [(f.line, f.excerpt, f.message) for f in found]
    for finding, want in zip(found, expected, strict=True):
        assert finding.code == code
        assert want["excerpt"] in finding.excerpt, (finding.excerpt, finding.message)
        if "line" in want:
            assert finding.line == want["line"], (finding.line, finding.excerpt)
        if "message" in want:
            assert want["message"] in finding.message, finding.message


def test_every_rule_file_has_positive_and_negative_cases() -> None:
    catalogue = rule_catalogue()
    assert _files()
    for path in _files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["code"] in catalogue, path.name
        assert path.stem == data["code"], "one file per rule, named by its code"
        assert any(c["findings"] for c in data["case"]), f"{path.name} has no positive case"
        assert any(not c["findings"] for c in data["case"]), f"{path.name} has no negative case"
