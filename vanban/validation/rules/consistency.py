"""Consistency rules: term lengths (VB401), election legislature and term against the
document's year (VB402) or the rest of the document (VB403), anniversary counts (VB404)
and their wording (VB405), two terms for one congress or council (VB406)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from vanban.normalizers.text import fold
from vanban.resources import load_toml
from vanban.validation.context import DocContext
from vanban.validation.findings import Hit
from vanban.validation.mentions import (
    BodyTerm,
    anniversary_context,
    body_terms,
    dated_years,
    find_words,
    legislatures,
    stated_span,
    year_spans,
)

_CLAUSE_END = re.compile(r"[;.!?\t]|\s\(|$")
# "79 năm", "44 ngày": a count of years or days (what it counts follows).
_COUNT = re.compile(r"(?<![\d/.,])(\d{1,3})\s+(năm|ngày)\s+", re.IGNORECASE)
_WINDOW = 130
_WINDOW_END = re.compile(r"[;,]")


@dataclass(frozen=True)
class _Day:
    name: str
    year: int
    keywords: tuple[str, ...]
    not_followed: tuple[str, ...]


@cache
def _days() -> tuple[_Day, ...]:
    return tuple(
        _Day(
            name=raw["name"],
            year=raw["date"].year,
            keywords=tuple(sorted((fold(k) for k in raw["keywords"]), key=len, reverse=True)),
            not_followed=tuple(fold(w) for w in raw.get("not_followed", ())),
        )
        for raw in load_toml("anniversaries")["days"]
    )


@cache
def _elections() -> tuple[tuple[int, str, str], ...]:
    data = load_toml("validation_rules")
    return tuple((e["year"], e["legislature"], e["term"]) for e in data["elections"])


def _term_length() -> int:
    return int(load_toml("validation_rules")["terms"]["length"])


@cache
def _half_terms() -> tuple[tuple[int, ...], re.Pattern[str]]:
    """Lengths allowed for the half terms of Party cells, and the words that announce one."""
    terms = load_toml("validation_rules")["terms"]
    words = "|".join(re.escape(w) for w in terms["half_term_context"])
    return tuple(terms["half_term_lengths"]), re.compile(rf"(?:{words})[^;.]{{0,80}}$", re.IGNORECASE)


def check(ctx: DocContext) -> Iterator[Hit]:
    """Run every consistency rule on one document."""
    yield from _term_lengths(ctx)
    yield from _election_terms(ctx)
    yield from _anniversaries(ctx)
    yield from _body_term_conflicts(ctx)


def _hit(ctx: DocContext, code: str, index: int, start: int, end: int, **params: object) -> Hit:
    where = ctx.locate(index, start, end)
    return Hit(code, where.excerpt, where.prov.line, where.prov.page, dict(params))


def _term_lengths(ctx: DocContext) -> Iterator[Hit]:
    expected = _term_length()
    half_lengths, half_context = _half_terms()
    for index, text in ctx.texts():
        for span in year_spans(text, "term"):
            first, last = span.first, span.last
            half = last - first in half_lengths and half_context.search(
                text[max(0, span.start - 120) : span.start]
            )
            if last > first and last - first != expected and not half:
                yield _hit(
                    ctx,
                    "VB401",
                    index,
                    span.start,
                    span.end,
                    term=f"{first}-{last}",
                    length=last - first,
                    expected=expected,
                )


def election_for(year: int) -> tuple[int, str, str]:
    """``(election year, legislature, term)`` of the general election nearest to ``year`` (ties: the later)."""
    return min(_elections(), key=lambda e: (abs(e[0] - year), -e[0]))


def _election_mentions(ctx: DocContext) -> Iterator[tuple[str, str, int, int, int]]:
    """``(kind, value, paragraph, start, end)`` of legislatures and terms written in an election clause.

    A clause naming a registered legislature together with its own term
    ("Quốc hội khóa XV ... nhiệm kỳ 2021-2026") is about that election, past or
    future, and is not compared with the document's year.
    """
    pairs = {(e[1], e[2]) for e in _elections()}
    for index, text in ctx.texts():
        clause_end = -1
        for m in find_words(text, "elections", "election"):
            if m.start() < clause_end:  # "bầu cử ... và bầu cử ..." is one clause
                continue
            end_m = _CLAUSE_END.search(text, m.end())
            clause_end = end_m.start() if end_m else len(text)
            # A parenthesised term ("nhiệm kỳ (2026 - 2031)") belongs to the clause.
            clause_end = max(clause_end, _term_end(text, m.end(), clause_end))
            legs = [
                ("legislature", g.text, index, g.start, g.end)
                for g in legislatures(text, m.end(), clause_end)
            ]
            terms = [
                ("term", f"{g.first}-{g.last}", index, g.start, g.end)
                for g in year_spans(text, "term", m.end(), clause_end)
            ]
            if legs and terms and all((leg[1], term[1]) in pairs for leg in legs for term in terms):
                continue
            yield from legs
            yield from terms


def _term_end(text: str, start: int, clause_end: int) -> int:
    spans = year_spans(text, "term", start)
    return spans[0].end if spans and spans[0].start <= clause_end + 1 else clause_end


def _election_terms(ctx: DocContext) -> Iterator[Hit]:
    mentions = list(_election_mentions(ctx))
    length = _term_length()
    # The election a document prepares is the one nearest to when it was written.
    when = ctx.document.issued_on.year if ctx.document.issued_on else ctx.year
    if when is not None:
        year, legislature, term = election_for(when)
        for kind, value, index, start, end in mentions:
            expected = legislature if kind == "legislature" else term
            first, _, last = value.partition("-")
            wrong_length = kind == "term" and int(last) - int(first) != length  # VB401 says it already
            if value != expected and not wrong_length:
                found = f"Quốc hội khóa {value}" if kind == "legislature" else f"nhiệm kỳ {value}"
                want = f"Quốc hội khóa {expected}" if kind == "legislature" else f"nhiệm kỳ {expected}"
                yield _hit(ctx, "VB402", index, start, end, election=year, expected=want, found=found)
        return
    for kind in ("legislature", "term"):
        group = [m for m in mentions if m[0] == kind]
        counts = Counter(m[1] for m in group)
        if len(counts) < 2:
            continue
        usual = counts.most_common(1)[0][0]
        for _kind, value, index, start, end in group:
            if value != usual:
                what = ("Khóa Quốc hội", "Legislature") if kind == "legislature" else ("Nhiệm kỳ", "Term")
                yield _hit(
                    ctx,
                    "VB403",
                    index,
                    start,
                    end,
                    what=what[0],
                    what_en=what[1],
                    found=value,
                    expected=usual,
                )


def _known_day(window: str) -> _Day | None:
    """The well-known day a folded text starts with ("ngày" optional), if any."""
    starts = [window]
    if window.startswith("ngày "):
        starts.append(window[5:])
    for day in _days():
        for keyword in day.keywords:
            for start in starts:
                if start.startswith(keyword):
                    rest = start[len(keyword) :].lstrip()
                    if not any(rest.startswith(word + " ") or rest == word for word in day.not_followed):
                        return day
    return None


def _anniversaries(ctx: DocContext) -> Iterator[Hit]:
    for index, text in ctx.texts():
        counts = list(_COUNT.finditer(text))
        for n, m in enumerate(counts):
            limit = counts[n + 1].start() if n + 1 < len(counts) else len(text)
            window = text[m.end() : min(limit, m.end() + _WINDOW)]
            cut = _WINDOW_END.search(window)
            clause = window[: cut.start()] if cut else window
            folded = fold(clause)
            day = _known_day(folded)
            in_context = anniversary_context(text[max(0, m.start() - 80) : m.start()])
            count, unit = int(m.group(1)), m.group(2).lower()
            if unit == "ngày":
                if day is not None and in_context:
                    name = re.split(r"[(\t]", clause, maxsplit=1)[0].strip()
                    yield _hit(
                        ctx, "VB405", index, m.start(), m.end() + len(name), written=f"{m.group(0)}{name}"
                    )
                    yield from _check_count(ctx, index, m.start(), m.end(), count, day, clause)
                continue
            stated = stated_span(clause)
            if stated and (in_context or day is not None or folded.startswith("ngày ")):
                first, last = stated.first, stated.last
                if last > first and count != last - first:
                    yield _hit(
                        ctx,
                        "VB404",
                        index,
                        m.start(),
                        m.end() + stated.end,
                        count=count,
                        event=clause[: stated.start].strip(" (") or "?",
                        expected=last - first,
                        founded=first,
                        year=last,
                    )
                continue
            if day is not None:
                yield from _check_count(ctx, index, m.start(), m.end(), count, day, window)


def _check_count(
    ctx: DocContext, index: int, start: int, end: int, count: int, day: _Day, window: str
) -> Iterator[Hit]:
    """``count`` against the founding year of ``day``; the celebration year is a dated year in the text, else the document's."""
    dated = dated_years(window)
    year = max(dated) if dated else ctx.year
    if year is None or year <= day.year:
        return
    expected = year - day.year
    if count != expected:
        yield _hit(
            ctx,
            "VB404",
            index,
            start,
            end + 40,
            count=count,
            event=day.name,
            expected=expected,
            founded=day.year,
            year=year,
        )


def _body_term_conflicts(ctx: DocContext) -> Iterator[Hit]:
    """One congress or council ("Đại hội Đảng bộ xã lần thứ I") written with two terms.

    The term written most often is taken as the right one (the first written on
    a tie); every other is reported. Terms of the wrong length are VB401's.
    """
    length = _term_length()
    mentions: dict[tuple[str, str, str], list[tuple[int, BodyTerm]]] = {}
    for index, text in ctx.texts():
        for mention in body_terms(text):
            if mention.last - mention.first == length:
                mentions.setdefault((mention.body, mention.level, mention.ordinal), []).append(
                    (index, mention)
                )
    for group in mentions.values():
        terms = Counter(_term(m) for _, m in group)
        if len(terms) < 2:
            continue
        first_written = {term: n for n, term in reversed(list(enumerate(_term(m) for _, m in group)))}
        usual = max(terms, key=lambda t: (terms[t], -first_written[t]))
        for index, mention in group:
            if _term(mention) != usual:
                yield _hit(
                    ctx,
                    "VB406",
                    index,
                    mention.start,
                    mention.end,
                    found=_term(mention),
                    expected=usual,
                    body=mention.written,
                )


def _term(mention: BodyTerm) -> str:
    return f"{mention.first}-{mention.last}"
