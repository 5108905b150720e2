"""Hostile and unlucky inputs, built at test time: each gets its own clear row, good files load in full.

One real ingest (the sandboxed extractor, small budgets so every case is
fast) over a folder mixing two good documents with every bad-input class;
then the same cases through ``vanban extract``/``validate`` in a subprocess,
which must print one line per bad file and never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from vanban.budgets import Budgets
from vanban.extractors import doc as doc_extractor
from vanban.extractors.ocr import dpi_within
from vanban.pipeline.ingest import ingest

GOOD = """CHƯƠNG TRÌNH CÔNG TÁC THÁNG 01 NĂM 2026
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân xã xây dựng chương trình công tác như sau:
1. Tổ chức hội nghị tổng kết công tác năm 2025, triển khai nhiệm vụ năm 2026. Văn phòng HĐND và UBND chủ trì, hoàn thành trước ngày 15/01/2026.
2. Kiểm tra công tác phòng cháy chữa cháy tại các chợ trên địa bàn xã. Công an xã chủ trì, phối hợp Phòng Kinh tế.
3. Chuẩn bị các điều kiện tổ chức Tết Nguyên đán cho Nhân dân trên địa bàn xã. Phòng Văn hóa - Xã hội chủ trì.
"""
# Budgets small enough that every case below trips its own, and still far above the good files.
SMALL = Budgets(timeout_s=60, max_pages=3, max_paragraphs=200, max_xml_mb=1, max_numbering=10_000)


def _docx_from(document_xml: str, extra: dict[str, str] | None = None) -> bytes:
    """A minimal DOCX package around ``document_xml`` (and any extra parts)."""
    import io

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document {ns}><w:body>{document_xml}</w:body></w:document>',
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _roman_list_docx(path: Path) -> None:
    """A Word list in upper-case Roman numerals starting at 2,000,000,000."""
    import docx

    document = docx.Document()
    for line in GOOD.splitlines()[:2]:
        document.add_paragraph(line)
    for line in GOOD.splitlines()[2:]:
        document.add_paragraph(line.split(". ", 1)[1], style="List Number")
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    numbering = parts["word/numbering.xml"].decode()
    numbering = re.sub(r'<w:start w:val="\d+"/>', '<w:start w:val="2000000000"/>', numbering)
    numbering = numbering.replace('w:numFmt w:val="decimal"', 'w:numFmt w:val="upperRoman"')
    parts["word/numbering.xml"] = numbering.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _pdf_pages(path: Path, pages: int) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    document.save(str(path))


def build_hostile_folder(root: Path) -> dict[str, str]:
    """Write every case under ``root``; returns ``{name: expected fragment of its error or status}``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "good_1.txt").write_text(GOOD, encoding="utf-8")
    (root / "good_2.docx").write_bytes(_docx_from("".join(_para(line) for line in GOOD.splitlines())))
    expected = {"good_1.txt": "ok", "good_2.docx": "ok"}

    # A zip bomb: 3 MB of XML that deflates to a few kB.
    filler = _para("x" * 1000) * 3000
    (root / "bomb.docx").write_bytes(_docx_from(filler))
    expected["bomb.docx"] = "--max-xml-mb"
    many = "".join(_para(f"Dòng {i}") for i in range(300))
    (root / "many_paragraphs.docx").write_bytes(_docx_from(many))
    expected["many_paragraphs.docx"] = "--max-paragraphs"
    _pdf_pages(root / "pages.pdf", 5)
    expected["pages.pdf"] = "--max-pages"
    _roman_list_docx(root / "roman.docx")
    expected["roman.docx"] = "partial:--max-numbering"

    (root / "random.txt").write_bytes(bytes(b for b in os.urandom(20000) if b) * 1)
    expected["random.txt"] = "not readable Vietnamese text"
    damaged = GOOD.encode("utf-8")
    (root / "invalid_utf8.txt").write_bytes(damaged[:200] + b"\xff\xfe" + damaged[200:])
    expected["invalid_utf8.txt"] = "partial:replacement characters"
    (root / "controls.txt").write_text(GOOD + "\x1b[31m\x07\x08", encoding="utf-8")
    expected["controls.txt"] = "partial:control characters"
    (root / "page.doc").write_text("<!DOCTYPE html><html><body>Kế hoạch</body></html>", encoding="utf-8")
    expected["page.doc"] = "HTML page"
    (root / "random_ole2.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096))
    expected["random_ole2.doc"] = "not a Word .doc"
    if doc_extractor.find_soffice() is not None:
        rtf = "{\\rtf1\\ansi " + "\\par ".join(_rtf_escape(line) for line in GOOD.splitlines()) + "}"
        (root / "rtf_as.doc").write_text(rtf, encoding="ascii")
        expected["rtf_as.doc"] = "ok"

    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = "named pipe"
    (root / "passwd.txt").symlink_to("/etc/passwd")
    expected["passwd.txt"] = "outside the given folders"
    (root / "sub").mkdir()
    (root / "sub" / "loop").symlink_to(root)
    expected["sub/loop"] = "symbolic link loop"
    (root / "dangling.txt").symlink_to(root / "nowhere")
    expected["dangling.txt"] = "broken symbolic link"
    # A name that is not UTF-8 and holds a newline and an escape sequence: loaded, stored escaped.
    odd = os.fsencode(root) + b"/odd_\xff\n\x1b[2J.txt"
    with open(odd, "wb") as handle:
        handle.write(GOOD.replace("THÁNG 01", "THÁNG 02").encode("utf-8"))
    expected["odd_\\xff\n\x1b[2J.txt"] = "ok"
    return expected


def _rtf_escape(text: str) -> str:
    return "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in text)


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks (POSIX)")
def test_hostile_folder_every_case_has_its_row_and_good_files_load(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    expected = build_hostile_folder(folder)
    db = tmp_path / "v.duckdb"

    report = ingest([folder], db, budgets=SMALL, workers=2)

    rows = {
        source: (status, error)
        for source, status, error in _rows(db, "SELECT source, status, error FROM documents")
    }
    prefix = folder.as_posix() + "/"
    assert {source.removeprefix(prefix) for source in rows} == set(expected), rows
    for name, want in expected.items():
        status, error = rows[prefix + name]
        if want == "ok":
            assert status == "ok", (name, error)
        elif want.startswith("partial:"):
            assert status == "partial" and want.split(":", 1)[1] in error, (name, status, error)
        else:
            assert status == "failed" and want in error, (name, status, error)
    # Nothing from outside the roots was read.
    assert not _rows(db, "SELECT 1 FROM tasks WHERE text LIKE '%root:%' OR text LIKE '%/bin/%'")
    # The two good documents (and the oddly named copy) have all their tasks.
    assert _rows(db, "SELECT count(*) FROM tasks WHERE source LIKE '%good_1.txt'") == [(3,)]
    assert _rows(db, "SELECT count(*) FROM tasks WHERE source LIKE '%good_2.docx'") == [(3,)]
    # Every failure also has an errors row, and the report counts them.
    failed = [s for s, (status, _e) in rows.items() if status == "failed"]
    assert len(failed) == report.failed
    assert {s for (s,) in _rows(db, "SELECT DISTINCT source FROM errors")} >= set(failed)

    # A re-run reads nothing that is unchanged, and gives the same rows.
    before = _rows(db, "SELECT source, status, task_count FROM documents ORDER BY source")
    again = ingest([folder], db, budgets=SMALL, workers=2)
    assert (
        again.hashed == len(failed) - 4
    )  # only failed files are retried (the 4 walk problems are not files)
    assert _rows(db, "SELECT source, status, task_count FROM documents ORDER BY source") == before


def test_ocr_resolution_keeps_a_huge_page_within_the_pixel_budget() -> None:
    # A4 fits at 300 dpi; a 200-inch square page is rendered at a resolution that fits the budget.
    assert dpi_within(595, 842, 25_000_000) == 300
    dpi = dpi_within(200 * 72, 200 * 72, 25_000_000)
    assert dpi < 300 and (200 * dpi) ** 2 <= 25_000_000


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_cli_prints_one_escaped_line_per_bad_file_and_no_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "random.txt").write_bytes(bytes(b for b in os.urandom(8000) if b))
    os.mkfifo(folder / "pipe.txt")
    with open(os.fsencode(folder) + b"/bad\x1b[2J\n.txt", "wb") as handle:
        handle.write(bytes(b for b in os.urandom(8000) if b))
    vanban = [sys.executable, "-m", "vanban.cli"]
    for command in (
        ["extract", str(folder), "--format", "table", "--workers", "1"],
        ["validate", str(folder), "--workers", "1"],
        ["extract", str(folder / "pipe.txt")],
    ):
        done = subprocess.run(vanban + command, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr
        assert "\x1b" not in done.stderr and "\x1b" not in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "named pipe" in lines[0]


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads every folder whatever its mode"
)
def test_unreadable_folder_is_a_row_not_a_silent_skip(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "locked").chmod(0)
    try:
        report = ingest([folder], tmp_path / "v.duckdb", budgets=SMALL, workers=1)
    finally:
        (folder / "locked").chmod(0o755)
    assert report.failures == [((folder / "locked").as_posix(), "cannot read folder: Permission denied")]


def test_db_path_that_is_a_document_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD, encoding="utf-8")
    document = tmp_path / "report.pdf"
    document.write_bytes(b"%PDF-1.4 not a database")
    done = subprocess.run(
        [sys.executable, "-m", "vanban.cli", "ingest", str(tmp_path / "in"), "--db", str(document)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr  # a usage error
    assert len(done.stderr.strip().splitlines()) == 1 and "not a DuckDB database" in done.stderr
    assert document.read_bytes() == b"%PDF-1.4 not a database"
