"""Helpers for validation tests: lint a text written to a temporary file, or a seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import shared_path
from vanban.validation import Finding, ValidateConfig, validate_file

HEADER = "UBND PHƯỜNG HÒA BÌNH\nSố: 12/CTr-UBND\nHòa Bình, ngày 29 tháng 12 năm 2025\n"


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., list[Finding]]:
    """``lint(text, select="VB2")``: findings of ``text`` saved as a UTF-8 .txt file."""

    def run(text: str, select: str | None = None, **kwargs: object) -> list[Finding]:
        path = tmp_path / "doc.txt"
        path.write_text(text, encoding="utf-8")
        config = ValidateConfig(select=[select] if select else [])
        return validate_file(path, config, **kwargs)  # type: ignore[arg-type]

    return run


def seed_findings(name: str, select: str | None = None) -> list[Finding]:
    """Findings of a seed document (``002`` -> seeds/002_*.txt)."""
    path = next(shared_path("seeds").glob(f"{name}_*.txt"))
    return validate_file(path, ValidateConfig(select=[select] if select else []))


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]
