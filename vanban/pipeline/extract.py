"""One file in, every record out: extract, normalize, build records."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from vanban import extractors
from vanban.errors import ExtractionError
from vanban.interpret.document import document_tasks
from vanban.layout.document import build_document, paragraph_text
from vanban.layout.flat_tables import rebuild_flat_tables
from vanban.layout.furniture import drop_furniture
from vanban.layout.model import AdminDocument
from vanban.layout.paragraphs import Paragraph, footnotes, to_paragraphs
from vanban.layout.tables import cell_texts
from vanban.normalizers.integrity import IntegrityReport, integrity_report
from vanban.normalizers.metadata import extract_metadata
from vanban.normalizers.ocr_repair import repair
from vanban.normalizers.references import find_references
from vanban.normalizers.targets import find_targets, targets_region
from vanban.schemas.blocks import RawDocument
from vanban.schemas.records import (
    DocumentRecord,
    ErrorRecord,
    ExtractionResult,
    ReferenceRecord,
    TargetRecord,
)


def file_sha256(path: Path) -> str:
    """Content hash of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _references(
    paragraphs: list[Paragraph], extracted: str, source: str, own_symbol: str | None
) -> list[ReferenceRecord]:
    """Distinct cited documents; the first mention that carries a date gives ``issued_on``."""
    by_symbol: dict[str, ReferenceRecord] = {}
    for paragraph in paragraphs:
        texts = (
            cell_texts(paragraph, extracted)
            if paragraph.kind == "table_row"
            else [paragraph_text(paragraph, extracted)]
        )
        for text in texts:
            for cite in find_references(text.text, own_symbol=own_symbol):
                record = by_symbol.get(cite.symbol)
                if record is None:
                    by_symbol[cite.symbol] = ReferenceRecord(
                        source=source,
                        symbol=cite.symbol,
                        doc_type=cite.doc_type,
                        number=cite.number,
                        issuer_code=cite.issuer_code,
                        issued_on=cite.issued_on,
                        issuer=cite.issuer,
                        written=cite.written,
                        provenance=text.provenance(*cite.span),
                    )
                else:
                    record.issued_on = record.issued_on or cite.issued_on
                    record.issuer = record.issuer or cite.issuer
    return list(by_symbol.values())


def _targets(
    paragraphs: list[Paragraph], extracted: str, source: str, year: int | None
) -> list[TargetRecord]:
    records = []
    for index in targets_region([p.text for p in paragraphs]):
        paragraph = paragraphs[index]
        text = paragraph_text(paragraph, extracted)
        for target in find_targets(paragraph.text):
            records.append(
                TargetRecord(
                    source=source,
                    code=target.code,
                    text=target.text,
                    value=target.value,
                    unit=target.unit,
                    comparator=target.comparator,
                    year=year,
                    provenance=text.provenance(*target.span),
                )
            )
    return records


def _repair_ocr(paragraphs: list[Paragraph], raw: RawDocument) -> None:
    """Fix OCR slips in the paragraphs that start on an OCR block (one with a confidence)."""
    starts = {b.prov.start for b in raw.blocks if b.confidence is not None and b.prov.start is not None}
    for paragraph in paragraphs:
        if paragraph.provs and paragraph.provs[0].start in starts:
            paragraph.text = repair(paragraph.text)
            paragraph.cells = [repair(cell) for cell in paragraph.cells]


# Below this share of valid Vietnamese syllables a text is not a document of the genre (failed);
# below the second it is damaged (partial). Measured: Vietnamese documents of the shared corpus,
# fixtures and scans score 0.93-1.0, English notes 0.17-0.51, random bytes under 0.1.
FAIL_BELOW = 0.5
PARTIAL_BELOW = 0.85
# Fewer judged words than this (a one-line note) are too few to measure.
_MIN_WORDS = 20
# C0 controls other than TAB, LF, VT, FF, CR, and DEL (C1 controls count as mojibake in the integrity score).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def content_verdict(text: str, report: IntegrityReport | None = None) -> tuple[bool, str] | None:
    """``(fatal, reason)`` when extracted text is not honest Vietnamese, else ``None``.

    Fatal: no text at all, or fewer than ``FAIL_BELOW`` of the words are
    Vietnamese syllables (binary or random content, another language).
    Not fatal (the document is ``partial``): replacement characters U+FFFD
    (bytes lost in decoding), control characters, or a syllable share under
    ``PARTIAL_BELOW``. The reason carries the measured figures.
    """
    if not text.strip():
        return True, "no text found in the document"
    report = report or integrity_report(text)
    controls = len(_CONTROLS.findall(text))
    judged = report.valid + report.invalid
    measured = [
        f"text integrity {report.score:.2f} ({report.valid} of {judged} words are Vietnamese syllables)"
    ]
    if report.replacement:
        measured.append(f"{report.replacement} replacement characters (U+FFFD: undecodable bytes)")
    if controls:
        measured.append(f"{controls} control characters")
    if judged >= _MIN_WORDS and report.score < FAIL_BELOW:
        return True, "not readable Vietnamese text: " + ", ".join(measured)
    if report.replacement or controls or (judged >= _MIN_WORDS and report.score < PARTIAL_BELOW):
        return False, "damaged text: " + ", ".join(measured)
    return None


@dataclass
class Analysis:
    """Everything known about one file: the raw blocks, the paragraphs and the records."""

    raw: RawDocument
    paragraphs: list[Paragraph]
    result: ExtractionResult
    layout: AdminDocument | None = None


def extract_file(path: Path, *, source: str | None = None) -> ExtractionResult:
    """Extract and normalize one file into its records.

    Raises a :class:`~vanban.errors.VanbanError` subclass when the file cannot
    be read at all; problems that leave part of the file usable (a scanned page,
    an undecodable run) make the document ``partial`` with the reason recorded.
    """
    return analyse_file(path, source=source).result


def analyse_file(path: Path, *, source: str | None = None) -> Analysis:
    """Like :func:`extract_file`, keeping the intermediate blocks and paragraphs (for validation)."""
    source = source or str(path)
    doc_id = file_sha256(path)
    raw = extractors.extract(path, source=source)
    integrity = integrity_report(raw.text)
    # A scan left unread (no OCR) already says why it has no text.
    verdict = content_verdict(raw.text, integrity) if raw.text.strip() or not raw.warnings else None
    if verdict is not None:
        fatal, reason = verdict
        if fatal:
            raise ExtractionError(source, reason)
        raw.warnings.append(reason)
    blocks = drop_furniture(raw.blocks) if raw.format == "text" else raw.blocks
    blocks = rebuild_flat_tables(blocks) if raw.format in ("text", "pdf") else blocks
    paragraphs = [p for p in to_paragraphs(blocks, hard_wrapped=raw.hard_wrapped) if p.role != "footnote"]
    notes = footnotes(blocks)
    _repair_ocr(paragraphs, raw)
    meta = extract_metadata(paragraphs)
    layout = build_document(paragraphs, raw.text, source, meta.year, notes=notes)
    tasks = document_tasks(layout, meta)
    # Footnotes are never tasks, but the documents they cite are references.
    cited = [p for p in paragraphs if p.role == "body"] + notes
    references = _references(cited, raw.text, source, meta.symbol)
    targets = _targets(paragraphs, raw.text, source, meta.year)
    errors = [ErrorRecord(source=source, doc_id=doc_id, stage="extract", message=w) for w in raw.warnings]
    document = DocumentRecord(
        source=source,
        doc_id=doc_id,
        format=raw.format,
        status="partial" if raw.warnings else "ok",
        error="; ".join(raw.warnings) or None,
        pages=raw.pages,
        encoding=raw.encoding,
        text_integrity=round(integrity.score, 4),
        task_count=len(tasks),
        **meta.model_dump(exclude={"locality_kind", "month"}),
    )
    for record in (*tasks, *references, *targets):
        record.doc_id = doc_id
    result = ExtractionResult(
        document=document, tasks=tasks, references=references, targets=targets, errors=errors
    )
    return Analysis(raw=raw, paragraphs=paragraphs, result=result, layout=layout)


def failed_result(path: Path, error: Exception) -> ExtractionResult:
    """The records of a file that could not be read: a failed document with the reason."""
    source = str(path)
    try:
        doc_id = file_sha256(path)
    except OSError:
        doc_id = ""
    reason = getattr(error, "reason", None) or str(error)
    document = DocumentRecord(source=source, doc_id=doc_id, status="failed", error=reason)
    return ExtractionResult(
        document=document, errors=[ErrorRecord(source=source, doc_id=doc_id, stage="extract", message=reason)]
    )
