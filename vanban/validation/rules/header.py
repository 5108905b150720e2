"""Header rules: number/symbol and issue date missing (VB501, VB502) or left blank in a draft (VB503)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vanban.validation.context import DocContext
from vanban.validation.findings import Hit
from vanban.validation.mentions import Span, blank_days

# "Số -CTr/ĐU", "Số:      /KH-MTTQ-BTT": a symbol with no number in front.
_BLANK_NUMBER = re.compile(
    r"\bSố\s*:?\s*(?:[-/]\s*)?[A-ZĐ][A-Za-zĐđ]*\s*[/-]\s*[A-ZĐ][A-Za-zĐđ-]*", re.UNICODE
)
_HEADER_PARAGRAPHS = 12


def check(ctx: DocContext) -> Iterator[Hit]:
    """Report a missing or blank number and issue date."""
    doc = ctx.document
    head = list(ctx.texts())[:_HEADER_PARAGRAPHS]
    checks = (
        (doc.number, doc.symbol, _blank_numbers, "VB501", {"what": "Số văn bản", "what_en": "Number"}),
        (doc.issued_on, None, blank_days, "VB502", {"what": "Ngày ban hành", "what_en": "Issue day"}),
    )
    for value, fallback, blanks, missing_code, what in checks:
        if value:
            continue
        blank = next(((i, found[0]) for i, t in head if (found := blanks(t))), None)
        if blank is not None:
            index, span = blank
            where = ctx.locate(index, span.start, span.end)
            yield Hit("VB503", where.excerpt, where.prov.line, where.prov.page, what)
        elif not fallback:
            yield _document_level(ctx, missing_code)


def _blank_numbers(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group(0)) for m in _BLANK_NUMBER.finditer(text)]


def _document_level(ctx: DocContext, code: str) -> Hit:
    """A finding about the whole header, placed on the first line of the document."""
    if not ctx.paragraphs:
        return Hit(code, "", None, None)
    where = ctx.locate(0, 0, 0)
    return Hit(code, where.excerpt, where.prov.line, where.prov.page)
