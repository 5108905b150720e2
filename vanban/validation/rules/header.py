"""Header rules: number/symbol and issue date missing (VB501, VB502) or left blank in a draft (VB503)."""

from __future__ import annotations

from collections.abc import Iterator

from vanban.normalizers.references import document_symbol
from vanban.validation.context import DocContext
from vanban.validation.findings import Hit
from vanban.validation.mentions import Span, blank_days

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
    """A number-and-symbol with no number ("Số -CTr/ĐU", "Số:      /KH-MTTQ-BTT"), read by the symbol grammar."""
    own = document_symbol(text)
    if own is None or own.number:
        return []
    return [Span(*own.span, own.written)]


def _document_level(ctx: DocContext, code: str) -> Hit:
    """A finding about the whole header, placed on the first line of the document."""
    if not ctx.paragraphs:
        return Hit(code, "", None, None)
    where = ctx.locate(0, 0, 0)
    return Hit(code, where.excerpt, where.prov.line, where.prov.page)
