"""Reference rules: malformed symbols (VB301), a citation dated after the document (VB302),
one symbol with several dates in a document (VB303) or across the database (VB304), and
well-known central documents cited with a wrong date (VB305)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from vanban.normalizers.references import Citation, document_symbol, find_references
from vanban.resources import load_toml
from vanban.validation.context import DocContext, Located
from vanban.validation.findings import Hit


@dataclass(frozen=True)
class _Mention:
    cite: Citation
    where: Located


def check(ctx: DocContext) -> Iterator[Hit]:
    """Run every reference rule on one document."""
    mentions = list(_mentions(ctx))
    yield from _malformed(ctx)
    yield from _after_document(ctx, mentions)
    yield from _conflicts(mentions)
    if ctx.db_path:
        yield from _database_conflicts(ctx, mentions)
    yield from _registry(ctx, mentions)


def _mentions(ctx: DocContext) -> Iterator[_Mention]:
    """Every citation in the body, with its location (not only the first per symbol)."""
    own = ctx.document.symbol
    for index, paragraph in enumerate(ctx.paragraphs):
        if paragraph.role != "body":
            continue
        for cite in find_references(paragraph.text, own_symbol=own):
            yield _Mention(cite, ctx.locate(index, *cite.span))


def _hit(code: str, where: Located, **params: object) -> Hit:
    return Hit(code, where.excerpt, where.prov.line, where.prov.page, dict(params))


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@cache
def _symbol_words() -> dict[str, Any]:
    return dict(load_toml("validation_rules")["vocabulary"]["symbols"])


def _state_issuer(code: str) -> bool:
    words = _symbol_words()
    if code in words["state_issuers"]:
        return True
    return any(code.startswith(p) and code[len(p) :].isdigit() for p in words["state_issuer_prefixes"])


def _glued_prefix(text: str, cite: Citation) -> int | None:
    """Where a type code glued in front of the number starts ("NQ12-NQ/TW", "NQ 12-NQ/TW"), if any."""
    end = cite.span[0]
    if end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    if start == end or text[start:end] not in _symbol_words()["types"]:
        return None
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_/-"):
        return None
    return start


def _symbols(text: str) -> list[Citation]:
    """Every symbol in ``text`` by the symbol grammar, the header's own number included."""
    found = {cite.span: cite for cite in find_references(text)}
    own = document_symbol(text)
    if own is not None and own.number:
        found.setdefault(own.span, own)
    return sorted(found.values(), key=lambda c: c.span)


def _malformed(ctx: DocContext) -> Iterator[Hit]:
    """Symbols whose shape does not suit their type and issuer (read by the symbol grammar)."""
    words = _symbol_words()
    for index, text in ctx.texts():
        for cite in _symbols(text):
            start, end = cite.span
            if cite.doc_type not in words["types"] or not cite.issuer_code:
                continue
            issuer = cite.issuer_code
            expected = None
            if cite.family == "party" and (glued := _glued_prefix(text, cite)) is not None:
                start, expected = glued, cite.symbol
            elif cite.family == "state" and cite.year is None and issuer in words["party_issuers"]:
                expected = f"{cite.number}-{cite.doc_type}/{issuer}"
            elif cite.family == "party" and _state_issuer(issuer):
                expected = f"{cite.number}/{cite.doc_type}-{issuer}"
            if expected is not None:
                yield _hit("VB301", ctx.locate(index, start, end), written=text[start:end], expected=expected)


def _after_document(ctx: DocContext, mentions: list[_Mention]) -> Iterator[Hit]:
    limit = ctx.latest_possible_issue
    if limit is None:
        return
    for mention in mentions:
        cited = mention.cite.issued_on
        if cited and cited > limit:
            yield _hit(
                "VB302", mention.where, symbol=mention.cite.symbol, cited=_fmt(cited), limit=_fmt(limit)
            )


def _conflicts(mentions: list[_Mention]) -> Iterator[Hit]:
    by_symbol: dict[str, list[_Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.cite.issued_on:
            by_symbol[mention.cite.symbol].append(mention)
    for symbol, group in by_symbol.items():
        counts = Counter(m.cite.issued_on for m in group)
        if len(counts) < 2:
            continue
        # The most frequent date is taken as the intended one (ties: the first written).
        usual = max(
            counts, key=lambda d: (counts[d], -next(i for i, m in enumerate(group) if m.cite.issued_on == d))
        )
        dates = ", ".join(_fmt(d) for d in counts if d)
        for mention in group:
            if mention.cite.issued_on != usual:
                yield _hit("VB303", mention.where, symbol=symbol, dates=dates)


def _database_conflicts(ctx: DocContext, mentions: list[_Mention]) -> Iterator[Hit]:
    """Dates the other documents of the database give the same symbols."""
    import duckdb

    dated = [m for m in mentions if m.cite.issued_on]
    if not dated:
        return
    from vanban.errors import DatabaseError
    from vanban.pipeline.loader import open_db

    try:
        # An ingest releases the file between its batches: wait for such a gap rather than skip the check.
        con = open_db(ctx.db_path, read_only=True, wait_s=30)
    except DatabaseError:
        return
    try:
        rows = con.execute(
            'SELECT symbol, issued_on FROM "references" WHERE issued_on IS NOT NULL AND doc_id <> ? '
            "AND symbol IN (SELECT unnest(?))",
            [ctx.document.doc_id, sorted({m.cite.symbol for m in dated})],
        ).fetchall()
    except duckdb.Error:
        rows = []
    finally:
        con.close()
    others: dict[str, set[dt.date]] = defaultdict(set)
    for symbol, issued in rows:
        others[symbol].add(issued)
    reported: set[tuple[str, dt.date]] = set()
    for mention in dated:
        symbol, cited = mention.cite.symbol, mention.cite.issued_on
        assert cited is not None
        known = others.get(symbol)
        if known and cited not in known and (symbol, cited) not in reported:
            reported.add((symbol, cited))
            yield _hit(
                "VB304",
                mention.where,
                symbol=symbol,
                cited=_fmt(cited),
                others=", ".join(_fmt(d) for d in sorted(known)),
            )


@cache
def central_documents() -> dict[str, dt.date]:
    """Symbol -> true issue date of the well-known central documents."""
    return {doc["symbol"]: doc["issued_on"] for doc in load_toml("central_documents")["documents"]}


@cache
def _party_terms() -> tuple[tuple[dt.date, dt.date], ...]:
    return tuple((t["start"], t["end"]) for t in load_toml("central_documents")["party_terms"])


def _term_of(day: dt.date) -> int | None:
    return next((i for i, (start, end) in enumerate(_party_terms()) if start <= day <= end), None)


def _registry(ctx: DocContext, mentions: list[_Mention]) -> Iterator[Hit]:
    registry = central_documents()
    limit = ctx.latest_possible_issue
    for mention in mentions:
        symbol, cited = mention.cite.symbol, mention.cite.issued_on
        expected = registry.get(symbol)
        if cited is None or expected is None or cited == expected:
            continue
        party = "/" in symbol and "-" in symbol.split("/")[0]
        plausible_other = (
            party and _term_of(cited) != _term_of(expected) and (limit is None or cited <= limit)
        )
        if not plausible_other:
            yield _hit("VB305", mention.where, symbol=symbol, expected=_fmt(expected), cited=_fmt(cited))
