"""The Python API: `import vanban` stays light, the verbs work, the README's examples run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import vanban
from tests.conftest import RAW, ROOT
from vanban.errors import VanbanError


def test_import_is_light_and_all_is_declared() -> None:
    code = (
        "import sys, vanban; heavy = {'duckdb', 'pyarrow', 'spacy', 'pdfplumber', 'pypdfium2', 'docx'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
    assert set(vanban.__all__) >= {"extract", "ingest", "validate", "connect"}


def test_extract_a_path_or_the_text_itself() -> None:
    seed = RAW / "004_92049e2a4f22e81b.txt"
    from_path = vanban.extract(seed)
    from_text = vanban.extract(seed.read_text(encoding="utf-8"))
    assert len(from_path.tasks) == len(from_text.tasks) == 20
    assert from_text.document.source == "<text>"
    table = from_path.to_arrow()
    assert table.num_rows == 20 and "deadline" in table.column_names
    with pytest.raises(VanbanError):
        vanban.extract("no/such/file.pdf")


def test_connect_is_read_only(raw_db: Path) -> None:
    import duckdb

    con = vanban.connect(raw_db)
    try:
        assert con.execute("SELECT count(*) FROM v_tasks").fetchone()[0] == 352
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM tasks")
    finally:
        con.close()


def test_readme_python_example_runs(raw_db: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "README has a Python example"
    db = tmp_path / "vanban.duckdb"
    shutil.copy(raw_db, db)  # already loaded from data/raw: the example's ingest skips every file
    for code in blocks:
        code = code.replace('"data/out/vanban.duckdb"', repr(str(db))).replace('"data/raw', f'"{RAW}')
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert "Lạng Sơn 20" in result.stdout


@pytest.mark.parametrize("kwargs", [{"workers": -1}, {"workers": 0}, {"timeout": 0}])
def test_ingest_refuses_impossible_limits(kwargs: dict, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        vanban.ingest(RAW, db=tmp_path / "x.duckdb", **kwargs)


def test_validate_reports_a_missing_path_and_an_unreadable_file_as_findings(tmp_path: Path) -> None:
    good = tmp_path / "Kế hoạch.txt"
    good.write_text(
        "ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG GAI\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nCông tác năm 2026\n\n"
        "1. Tổng kết công tác năm, hoàn thành trước ngày 31/4/2026 (Văn phòng HĐND và UBND chủ trì).\n",
        encoding="utf-8",
    )
    broken = tmp_path / "hỏng.docx"
    broken.write_bytes(b"PK\x03\x04 not a real zip archive")
    findings = vanban.validate([good, broken, tmp_path / "missing.pdf"])
    by_code = {f.code: f.source for f in findings}
    assert by_code["VB001"].endswith("missing.pdf")
    assert by_code["VB002"].endswith("hỏng.docx")
    assert by_code["VB201"].endswith("Kế hoạch.txt")  # the readable file is still checked
    assert vanban.validate([tmp_path / "missing.pdf"], ignore=["VB001"]) == []
