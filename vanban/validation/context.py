"""One document as the rules see it: records, paragraphs, and where each character came from."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from vanban.normalizers.dates import title_month
from vanban.normalizers.metadata import extract_metadata
from vanban.normalizers.text import clean_line
from vanban.pipeline.extract import Analysis
from vanban.schemas.blocks import Provenance
from vanban.schemas.records import DocumentRecord, ExtractionResult
from vanban.validation.mentions import opens_body, year_spans

if TYPE_CHECKING:
    from vanban.layout.paragraphs import Paragraph

_EXCERPT_WIDTH = 60
# "Hồng Gai, ngày 25 tháng 9 năm 2026": the issue line names the year it was written, not the one it is for.
_ISSUE_LINE = re.compile(r"ngày\s*\S*\s*tháng\s*\S*\s*năm\s*\d{4}", re.IGNORECASE)
_TITLE_PARAGRAPHS = 15


@dataclass
class Located:
    """A piece of text found in the document: its paragraph, offsets and provenance."""

    paragraph: int
    start: int
    end: int
    prov: Provenance
    excerpt: str


@dataclass
class DocContext:
    """Everything a rule may look at for one document (and, optionally, the database)."""

    analysis: Analysis
    db_path: str | None = None
    _offsets: dict[int, list[tuple[int, Provenance]]] = field(default_factory=dict, repr=False)

    @property
    def result(self) -> ExtractionResult:
        return self.analysis.result

    @property
    def document(self) -> DocumentRecord:
        return self.analysis.result.document

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.analysis.paragraphs

    @property
    def year(self) -> int | None:
        return self.document.year

    @cached_property
    def _block_lines(self) -> dict[tuple[int | None, int | None, int | None, int | None], str]:
        """Cleaned text of every block by its position (to map paragraph offsets back to lines)."""
        return {
            (b.prov.page, b.prov.line, b.prov.table, b.prov.row): clean_line(b.display_text)
            for b in self.analysis.raw.blocks
        }

    def _line_offsets(self, index: int) -> list[tuple[int, Provenance]]:
        """Start offset of each physical line inside paragraph ``index``."""
        if index not in self._offsets:
            paragraph = self.paragraphs[index]
            pos, offsets = 0, []
            for prov in paragraph.provs:
                line = self._block_lines.get((prov.page, prov.line, prov.table, prov.row), "")
                found = paragraph.text.find(line[:20], pos) if line else -1
                start = found if found >= 0 else pos
                offsets.append((start, prov))
                pos = start + max(len(line), 1)
            self._offsets[index] = offsets
        return self._offsets[index]

    def locate(self, index: int, start: int, end: int | None = None) -> Located:
        """Provenance (the physical line) and a short excerpt of ``text[start:end]`` in paragraph ``index``."""
        paragraph = self.paragraphs[index]
        end = start if end is None else end
        prov = paragraph.provs[0]
        for offset, line_prov in self._line_offsets(index):
            if offset <= start:
                prov = line_prov
        return Located(index, start, end, prov, excerpt_of(paragraph.text, start, end))

    def texts(self) -> Iterator[tuple[int, str]]:
        """``(paragraph index, text)`` of every body and header paragraph."""
        for index, paragraph in enumerate(self.paragraphs):
            yield index, paragraph.text

    def find_paragraph(self, needle: str, *, before_line: int | None = None) -> int | None:
        """Index of the last paragraph whose text is ``needle`` (stripped), at or before ``before_line``."""
        found = None
        for index, paragraph in enumerate(self.paragraphs):
            line = paragraph.provs[0].line
            if before_line is not None and line is not None and line > before_line:
                break
            if paragraph.text.strip().strip("\t") == needle.strip():
                found = index
        return found

    @cached_property
    def month_program(self) -> tuple[int, int] | None:
        """``(month, year)`` when the document is a monthly program.

        The month of the document's metadata (its title, or "chương trình công tác
        tháng 01/2026" in its body), else the one month its title names however
        written ("CHƯƠNG TRÌNH CÔNG TÁC THÁNG 10 NĂM 2026").
        """
        meta = extract_metadata(self.paragraphs)
        if meta.month and meta.year:
            return meta.month, meta.year
        title = self.document.title or meta.title
        month = title_month(title, ref_year=self.year) if title else None
        if month is not None and month.month and month.year:
            return month.month, month.year
        return None

    @cached_property
    def title_texts(self) -> list[str]:
        """The title and the paragraphs above the body (header, title lines)."""
        texts = [self.document.title or ""]
        for _index, text in list(self.texts())[:_TITLE_PARAGRAPHS]:
            if opens_body(text):
                break
            texts.append(text)
        return texts

    @cached_property
    def period_end_year(self) -> int | None:
        """Last year of the period the title names ("toàn khóa ... nhiệm kỳ 2025 - 2030"), else the document's."""
        ends = [span.last for text in self.title_texts for span in year_spans(text, "title_period")]
        return max([*ends, *([self.year] if self.year else [])], default=None)

    @cached_property
    def latest_period_year(self) -> int | None:
        """The last year a period heading of this document may name.

        The end of the period the title names, else the document's year; when
        the title names no year at all (the year is the issue date's), the next
        year too: a plan issued in December schedules the next year's months.
        """
        if self.year is None:
            return None
        end = self.period_end_year or self.year
        title = " ".join(
            self.title_texts[:1] + [t for t in self.title_texts[1:] if not _ISSUE_LINE.search(t)]
        )
        return end if re.search(rf"(?<!\d){self.year}(?!\d)", title) else end + 1

    @cached_property
    def latest_possible_issue(self) -> dt.date | None:
        """The issue date, else the last day of the program's month, else of the document's year."""
        if self.document.issued_on:
            return self.document.issued_on
        if self.month_program:
            month, year = self.month_program
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if self.year:
            return dt.date(self.year, 12, 31)
        return None

    @cached_property
    def latest_citation(self) -> dt.date | None:
        """The most recent date of a document this one cites (it was issued after that)."""
        limit = self.latest_possible_issue
        dates = [
            r.issued_on
            for r in self.result.references
            if r.issued_on and (limit is None or r.issued_on <= limit)
        ]
        return max(dates, default=None)


def excerpt_of(text: str, start: int, end: int) -> str:
    """The matched text with a little context, on one line, at most about 120 characters."""
    left = max(0, start - _EXCERPT_WIDTH // 2)
    right = min(len(text), max(end, start) + _EXCERPT_WIDTH)
    snippet = text[left:right].replace("\t", " | ")
    snippet = re.sub(r"\s+", " ", snippet).strip()
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")
