"""Legacy .doc extractor: LibreOffice conversion, then the DOCX reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_path
from vanban.errors import ExtractionError, UnsupportedFormatError
from vanban.extractors import doc, extract, sniff

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
needs_soffice = pytest.mark.skipif(
    doc.find_soffice() is None, reason="LibreOffice (soffice) is not installed"
)


def test_ole2_is_sniffed_as_doc(tmp_path: Path) -> None:
    path = tmp_path / "old.bin"
    path.write_bytes(_OLE2 + b"\x00" * 512)
    assert sniff(path) == "doc"


def test_missing_libreoffice_says_how_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(_OLE2 + b"\x00" * 512)
    monkeypatch.setattr(doc, "find_soffice", lambda: None)
    with pytest.raises(
        ExtractionError, match=r"apt-get install libreoffice-writer-nogui\) or save the file as \.docx"
    ):
        extract(path)


@needs_soffice
def test_damaged_ole2_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(_OLE2 + b"\x00" * 512)
    with pytest.raises(UnsupportedFormatError, match="without a WordDocument stream"):
        extract(path)


@needs_soffice
def test_real_doc_reads_like_docx() -> None:
    path = shared_path("corpus", "luongminh", "luongminh_99_2025_NQ-HDND_685704.doc")
    raw = extract(path)
    assert raw.format == "docx"
    assert all(b.prov.source == str(path) for b in raw.blocks)
    texts = [b.text for b in raw.blocks]
    assert "Số: 99/2025/NQ-HĐND" in texts
    assert any(b.role == "header_table" for b in raw.blocks)
