"""Header rules: number/symbol and issue date missing (VB501, VB502) or left blank in a draft (VB503)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vanban.validation.context import DocContext
from vanban.validation.findings import Hit

# "Số -CTr/ĐU", "Số:      /KH-MTTQ-BTT": a symbol with no number in front.
_BLANK_NUMBER = re.compile(
    r"\bSố\s*:?\s*(?:[-/]\s*)?[A-ZĐ][A-Za-zĐđ]*\s*[/-]\s*[A-ZĐ][A-Za-zĐđ-]*", re.UNICODE
)
# "Đồ Sơn, ngày tháng 12 năm 2025", "ngày /9/2025", "ngày ... tháng ... năm 2025".
_BLANK_DAY = re.compile(
    r"ngày\s*(?:\.{2,}|…)?\s*(?:tháng\s*(?:\d{1,2}|\.{2,}|…)?\s*năm\s*\d{4}|/\s*\d{1,2}\s*/\s*\d{4})",
    re.IGNORECASE,
)
_HEADER_PARAGRAPHS = 12


def check(ctx: DocContext) -> Iterator[Hit]:
    """Report a missing or blank number and issue date."""
    doc = ctx.document
    head = list(ctx.texts())[:_HEADER_PARAGRAPHS]
    checks = (
        (doc.number, doc.symbol, _BLANK_NUMBER, "VB501", {"what": "Số văn bản", "what_en": "Number"}),
        (doc.issued_on, None, _BLANK_DAY, "VB502", {"what": "Ngày ban hành", "what_en": "Issue day"}),
    )
    for value, fallback, blank_re, missing_code, what in checks:
        if value:
            continue
        blank = next(((i, m) for i, t in head if (m := blank_re.search(t))), None)
        if blank is not None:
            index, m = blank
            where = ctx.locate(index, m.start(), m.end())
            yield Hit("VB503", where.excerpt, where.prov.line, where.prov.page, what)
        elif not fallback:
            yield _document_level(ctx, missing_code)


def _document_level(ctx: DocContext, code: str) -> Hit:
    """A finding about the whole header, placed on the first line of the document."""
    if not ctx.paragraphs:
        return Hit(code, "", None, None)
    where = ctx.locate(0, 0, 0)
    return Hit(code, where.excerpt, where.prov.line, where.prov.page)
