"""End to end on the shared gold set, scored with ../shared/eval/score.py.

The thresholds are the acceptance figures of the end-to-end issue; a drop in
any format fails here before it reaches an analyst.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import shared_path
from vanban.pipeline.extract import extract_file


def _scorer() -> ModuleType:
    path = shared_path("eval", "score.py")
    spec = importlib.util.spec_from_file_location("vanban_gold_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(files: list[Path], **kwargs: bool) -> dict:
    records = []
    for path in files:
        result = extract_file(path)
        records += [json.loads(r.model_dump_json()) for r in result.records()]
    return _scorer().score(shared_path("eval", "gold"), records, **kwargs)


def test_seeds_as_text_meet_the_acceptance_figures() -> None:
    result = _score(sorted(shared_path("seeds").glob("*.txt")))
    assert result["overall"] >= 0.97
    assert result["task_f1"] >= 0.98
    assert result["month_accuracy"] >= 0.98
    assert result["deadline_accuracy"] >= 0.98
    assert result["lead_units_f1"] >= 0.97
    assert result["references_f1"] >= 0.98
    assert result["targets_f1"] >= 0.9
    assert result["document_province_accuracy"] == 1.0
    assert result["units_with_several_spellings"] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_seeds_as_docx_and_pdf(fmt: str) -> None:
    result = _score(sorted(shared_path("fixtures", fmt).glob(f"*.{fmt}")))
    assert result["overall"] >= 0.95
    assert result["units_with_several_spellings"] == []


def test_every_task_keeps_its_provenance() -> None:
    path = shared_path("fixtures", "pdf", "002_06c2cd78a0f32ca2.pdf")
    result = extract_file(path)
    assert result.tasks
    for task in result.tasks:
        assert task.provenance.source == str(path)
        assert task.provenance.page is not None and task.provenance.page >= 1
    table_tasks = [t for t in result.tasks if t.provenance.table is not None]
    assert len(table_tasks) > 100
