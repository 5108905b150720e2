"""Run the rules on documents and turn their hits into findings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from vanban.pipeline.extract import Analysis, analyse_file
from vanban.schemas.records import ErrorRecord, ExtractionResult
from vanban.validation.config import ValidateConfig
from vanban.validation.context import DocContext
from vanban.validation.findings import Finding, Hit, Severity, rule_catalogue
from vanban.validation.rules import FAMILIES


def validate_analysis(
    analysis: Analysis, config: ValidateConfig | None = None, *, db_path: Path | str | None = None
) -> list[Finding]:
    """Findings of one analysed document, in line order, filtered and graded by ``config``.

    ``db_path`` enables the cross-document check (VB304) against a DuckDB file
    written by ``vanban ingest``.
    """
    config = config or ValidateConfig()
    catalogue = rule_catalogue()
    ctx = DocContext(analysis, db_path=str(db_path) if db_path else None)
    doc = analysis.result.document
    # A DOCX has no lines: its provenance line is a paragraph index, which Word does not show.
    # The finding keeps the page Word renders it on and the excerpt to search for.
    by_paragraph = analysis.raw.format == "docx"
    findings: list[Finding] = []
    seen: set[tuple[str, int | None, str]] = set()
    hits = [*partly_read_hits(analysis.raw.warnings)]
    for family, check in FAMILIES.items():
        if any(config.enabled(c) for c, r in catalogue.items() if r.family == family):
            hits.extend(check(ctx))
    for hit in hits:
        if not _wanted(hit.code, doc.source, config) or (hit.code, hit.line, hit.excerpt) in seen:
            continue
        seen.add((hit.code, hit.line, hit.excerpt))
        rule = catalogue[hit.code]
        findings.append(
            Finding(
                source=doc.source,
                doc_id=doc.doc_id,
                code=hit.code,
                severity=config.severity_of(hit.code),
                message=rule.message(config.lang, hit.params),
                page=hit.page,
                line=None if by_paragraph else hit.line,
                paragraph=hit.line if by_paragraph else None,
                excerpt=hit.excerpt,
                rule=rule.name,
            )
        )
    findings.sort(key=lambda f: (f.page or 0, f.line or f.paragraph or 0, f.code))
    return findings


def _wanted(code: str, source: str, config: ValidateConfig) -> bool:
    return config.enabled(code) and not config.ignored_in(source, code)


_PAGE = re.compile(r"^page (\d+):|\bon pages? (\d+)")


def partly_read_hits(warnings: Iterable[str]) -> Iterator[Hit]:
    """One VB003 hit per extraction warning (a part of the file left unread), on the page it names.

    The extractors record what they could not read as warnings (``page 3:
    OCR failed ...``, ``OCR unavailable ... (no text layer on pages 2-4)``,
    ``table 2: ... rows from 40 on skipped``); the document is then
    ``partial``. A list of pages is reported on its first page.
    """
    for warning in warnings:
        found = _PAGE.search(warning)
        page = int(found.group(1) or found.group(2)) if found else None
        yield Hit("VB003", excerpt=warning, page=page, params={"reason": warning})


def input_finding(
    code: str, source: str, reason: str, config: ValidateConfig | None = None
) -> Finding | None:
    """The finding for a path that is missing (VB001) or a file that cannot be read (VB002).

    ``None`` when the configuration turns the rule off for ``source``.
    """
    config = config or ValidateConfig()
    if not _wanted(code, source, config):
        return None
    rule = rule_catalogue()[code]
    return Finding(
        source=source,
        code=code,
        severity=config.severity_of(code),
        message=rule.message(config.lang, {"reason": reason}),
        excerpt=reason,
        rule=rule.name,
    )


def validate_file(
    path: Path,
    config: ValidateConfig | None = None,
    *,
    db_path: Path | str | None = None,
    source: str | None = None,
) -> list[Finding]:
    """Extract ``path`` and validate it. Raises :class:`~vanban.errors.VanbanError` when it cannot be read."""
    return validate_analysis(analyse_file(Path(path), source=source), config, db_path=db_path)


def analyse_and_validate(path: Path, *, source: str | None = None) -> tuple[ExtractionResult, list[Finding]]:
    """``(ExtractionResult, findings)`` with the default configuration: the ingest workers' extractor.

    A bug in a rule must not cost the document its records: it becomes an
    error record (stage ``validate``) and the findings are left empty.
    """
    analysis = analyse_file(Path(path), source=source)
    try:
        findings = validate_analysis(analysis)
    except Exception as err:
        result = analysis.result
        result.errors.append(
            ErrorRecord(
                source=result.document.source,
                doc_id=result.document.doc_id,
                stage="validate",
                message=f"validation failed: {type(err).__name__}: {err}",
            )
        )
        return result, []
    return analysis.result, findings


def worst(findings: Iterable[Finding]) -> Severity | None:
    """The highest severity among ``findings``, or ``None`` when there are none."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def should_fail(findings: Iterable[Finding], fail_on: Severity) -> bool:
    """Whether any finding is at or above ``fail_on``."""
    return any(f.severity.rank >= fail_on.rank for f in findings)
