"""Structure rules: no tasks (VB101), numbering gaps and duplicates (VB102, VB103),
a task without a lead unit (VB104), a unit the gazetteer does not know (VB105), an office
abolished with the district level named by a commune or ward (VB106)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import groupby

from rapidfuzz import fuzz, process

from vanban.normalizers.text import fold, strip_marks
from vanban.resources import load_toml
from vanban.schemas.records import TaskRecord
from vanban.validation.context import DocContext, excerpt_of
from vanban.validation.findings import Hit
from vanban.validation.mentions import abolished_offices, has_word, is_historical, item_number

_PROGRAM_TYPES = ("chương trình", "kế hoạch")
# Numbering is checked in documents made of scheduled items, not in laws (whose
# khoản restart in every Điều and are not tasks).
_NUMBERED_TYPES = ("chương trình", "kế hoạch", "nghị quyết")
# A section is checked for lead units only when nearly all of its tasks name one.
_LEAD_SHARE = 0.8
_LEAD_MIN_TASKS = 3
_SUGGESTION_CUTOFF = 70
# Longer "names" are sentences the unit splitter could not cut, not unit names.
_MAX_UNIT_WORDS = 8


def check(ctx: DocContext) -> Iterator[Hit]:
    """Run every structure rule on one document."""
    yield from _no_tasks(ctx)
    yield from _numbering(ctx)
    yield from _no_lead(ctx)
    yield from _unknown_units(ctx)
    yield from _abolished_offices(ctx)


def _task_hit(code: str, task: TaskRecord, **params: object) -> Hit:
    prov = task.provenance
    return Hit(code, excerpt_of(task.text, 0, 0), prov.line, prov.page, dict(params))


def _no_tasks(ctx: DocContext) -> Iterator[Hit]:
    doc = ctx.document
    doc_type = (doc.doc_type or "").lower()
    if doc.status != "failed" and not ctx.result.tasks and doc_type.startswith(_PROGRAM_TYPES):
        first = ctx.locate(0, 0, 0) if ctx.paragraphs else None
        yield Hit(
            "VB101",
            first.excerpt if first else "",
            first.prov.line if first else None,
            first.prov.page if first else None,
            {"doc_type": doc.doc_type},
        )


def _numbering(ctx: DocContext) -> Iterator[Hit]:
    """Consecutive numbering of items within each section, sub-items (10.1, 10.2) within their parent.

    A number 1 starts a new list (a sub-heading the extractor folded into the same section).
    """
    if not (ctx.document.doc_type or "").lower().startswith(_NUMBERED_TYPES):
        return
    for _section, group in groupby(ctx.result.tasks, key=lambda t: t.section):
        levels: dict[str, tuple[int, int | None]] = {}  # parent -> (last number, its line)
        seen: dict[tuple[str, int], int | None] = {}
        for task in group:
            item = item_number(task.item or "")
            if item is None:
                continue
            parent, _, last = item.rpartition(".")
            number, line = int(last), task.provenance.line
            previous = levels.get(parent)
            if number == 1 and previous is not None and previous[1] != line:
                seen = {key: value for key, value in seen.items() if key[0] != parent}
                previous = None
            if (parent, number) in seen:
                if seen[(parent, number)] != line:  # one item split into several tasks is not a duplicate
                    yield _task_hit("VB103", task, item=item)
                continue
            seen[(parent, number)] = line
            if previous is not None and number > previous[0] + 1:
                prefix = f"{parent}." if parent else ""
                missing = ", ".join(f"{prefix}{n}" for n in range(previous[0] + 1, number))
                yield _task_hit("VB102", task, item=item, previous=f"{prefix}{previous[0]}", missing=missing)
            levels[parent] = (number, line)


def _no_lead(ctx: DocContext) -> Iterator[Hit]:
    for _section, group in groupby(ctx.result.tasks, key=lambda t: t.section):
        tasks = list(group)
        with_lead = sum(1 for t in tasks if t.lead_units)
        if len(tasks) < _LEAD_MIN_TASKS or with_lead / len(tasks) < _LEAD_SHARE:
            continue
        for task in tasks:
            if not task.lead_units:
                yield _task_hit("VB104", task)


@cache
def _known_names() -> tuple[list[str], list[str]]:
    """Canonical unit names (with "phường" for the locality) and their folded forms."""
    names = [raw["canonical"].replace("{cap}", "phường").strip() for raw in load_toml("units")["units"]]
    return names, [_bare(n) for n in names]


def _bare(text: str) -> str:
    """Folded and without diacritics: typos and unaccented typing compare fairly."""
    return strip_marks(fold(text))


@cache
def _higher_level() -> re.Pattern[str]:
    """Words of bodies above the commune (the gazetteer only lists commune-level ones)."""
    words = (
        load_toml("units")["place"]["higher_words"]
        + load_toml("validation_rules")["vocabulary"]["units"]["central"]
    )
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def suggest_unit(written: str) -> str | None:
    """The closest canonical unit name to ``written`` (rapidfuzz), or ``None`` when nothing is close."""
    names, folded = _known_names()
    best = process.extractOne(_bare(written), folded, scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF)
    return names[best[2]] if best else None


def _unknown_units(ctx: DocContext) -> Iterator[Hit]:
    reported: set[str] = set()
    for task in ctx.result.tasks:
        for unit in task.units:
            written = unit.written
            if (
                unit.recognised
                or written in reported
                or any(c.isdigit() for c in written)
                or has_word(written, "units", "people")
                or _higher_level().search(written)
                or len(written.split()) > _MAX_UNIT_WORDS
            ):
                continue
            reported.add(unit.written)
            suggestion = suggest_unit(unit.written)
            if suggestion is None:  # nothing close: more likely an extraction leftover than a typo
                continue
            prov = task.provenance
            yield Hit(
                "VB105",
                unit.written,
                prov.line,
                prov.page,
                {"unit": unit.written, "suggestion": suggestion},
            )


# The issuer of a document checked by VB106: a body of a commune, a ward or a special zone.
_COMMUNE_LEVEL = re.compile(r"(?<!\w)(?:xã|phường|đặc khu)(?!\w)")


def commune_level_after_reform(ctx: DocContext) -> bool:
    """Whether the document is a commune's, ward's or special zone's, issued after the district level ended.

    Its issue date, else its year when that is after the reform's year (a
    document of 2025 without a date may be from before July).
    """
    since = load_toml("abolished_offices")["since"]
    issuer = fold(ctx.document.issuer or "")
    if not _COMMUNE_LEVEL.search(issuer):
        return False
    issued = ctx.document.issued_on
    if issued is not None:
        return bool(issued >= since)
    return ctx.year is not None and ctx.year > since.year


def _abolished_offices(ctx: DocContext) -> Iterator[Hit]:
    if not commune_level_after_reform(ctx):
        return
    since_year = load_toml("abolished_offices")["since"].year
    for index, text in ctx.texts():
        for mention in abolished_offices(text):
            if is_historical(text, mention, since_year):
                continue
            where = ctx.locate(index, mention.start, mention.end)
            yield Hit(
                "VB106",
                where.excerpt,
                where.prov.line,
                where.prov.page,
                {
                    "written": text[mention.start : mention.end],
                    "office": mention.name,
                    "successor": mention.successor,
                },
            )
