"""Every span of every record slices the extracted text to what the record says it came from.

Run on every seed, fixture and corpus document of ``../shared``. A reference's
span holds the symbol as written (a symbol broken over a line end included); a
task's span starts with its text's first words and ends with its last (a task
joined from an item and its continuation lines spans them all); a target's
span holds its quantity. Text is compared without spacing and markup, the only
things cleaning changes (``chủtrì`` -> ``chủ trì``, ``**bold**``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from tests.conftest import SHARED
from vanban.pipeline.extract import Analysis, analyse_file

_SUFFIXES = {".txt", ".md", ".docx", ".doc", ".pdf"}
_NOISE = re.compile(r"[\s*\u00ad\u200b]+|</?(?:i|b|u|em|strong|sup|sub)>", re.IGNORECASE)
_EDGE = 12  # characters compared at each end of a task


def _documents() -> list[Path]:
    roots = [SHARED / "seeds", SHARED / "fixtures", SHARED / "corpus"]
    return sorted(
        p
        for root in roots
        if root.is_dir()
        for p in root.rglob("*")
        if p.suffix.lower() in _SUFFIXES and "refdata" not in p.parts and p.name != "README.md"
    )


def _skeleton(text: str) -> str:
    # The reference grammar reads the look-alike Ð (U+00D0) as Đ.
    return _NOISE.sub("", unicodedata.normalize("NFC", text)).replace("–", "-").replace("Ð", "Đ")


@cache
def _analysis(path: Path) -> Analysis:
    return analyse_file(path)


def _slice(analysis: Analysis, start: int | None, end: int | None) -> str:
    assert start is not None and end is not None, "a record without a span"
    assert 0 <= start <= end <= len(analysis.raw.text)
    return _skeleton(analysis.raw.text[start:end])


DOCUMENTS = _documents()


@pytest.mark.skipif(not DOCUMENTS, reason="../shared (seeds, fixtures, corpus) is not beside the checkout")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_spans_slice_to_their_text(path: Path) -> None:
    try:
        analysis = _analysis(path)
    except Exception as error:  # a file this machine cannot read (no LibreOffice): nothing to check
        pytest.skip(f"{path.name} not readable here: {error}")
    ocr = any(b.confidence is not None for b in analysis.raw.blocks)
    flattened = analysis.raw.format == "text"
    for ref in analysis.result.references:
        got = _slice(analysis, ref.provenance.start, ref.provenance.end)
        assert got == _skeleton(ref.written), f"reference {ref.symbol}: span holds {got!r}"
    for task in analysis.result.tasks:
        got = _slice(analysis, task.provenance.start, task.provenance.end)
        want = _skeleton(task.text)
        if ocr:  # OCR repair rewrites misread letters: the span holds the text, give or take a letter
            assert fuzz.partial_ratio(want, got) >= 80, f"task {task.text[:60]!r}: span holds {got[:60]!r}"
            continue
        if flattened and task.provenance.table is not None:
            # A table the text layer flattened spreads each cell over several lines: its span
            # starts at the cell's first words and covers the fragments of the cells beside it.
            assert got.startswith(want[:_EDGE]), f"task {task.text[:60]!r}: span holds {got[:40]!r}"
            continue
        assert got.startswith(want[:_EDGE]) and got.endswith(want[-_EDGE:]), (
            f"task {task.text[:60]!r}: span holds {got[:40]!r}...{got[-40:]!r}"
        )
    for target in analysis.result.targets:
        # A target's span is its quantity ("trên 90%", "1.600 lao động"): the number as printed.
        got = _slice(analysis, target.provenance.start, target.provenance.end)
        number = f"{target.value:g}".split(".")[0]
        written = "không" if target.value == 0 else number  # "không có hộ nghèo" is a zero
        assert written in got.replace(".", "").replace(",", ""), f"target ({target.code}): span holds {got!r}"
