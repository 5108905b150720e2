"""Structure rules: no tasks (VB101), numbering gaps and duplicates (VB102, VB103),
a task without a lead unit (VB104), a unit the gazetteer does not know (VB105), an office
abolished with the district level named by a commune or ward (VB106)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from itertools import groupby

from rapidfuzz import fuzz, process

from vanban.normalizers.text import fold, strip_marks
from vanban.resources import load_toml
from vanban.schemas.records import TaskRecord
from vanban.validation.context import DocContext, excerpt_of
from vanban.validation.findings import Hit
from vanban.validation.mentions import (
    abolished_offices,
    group_label,
    has_word,
    is_historical,
    number_label,
)
from vanban.validation.rules.numbering import Label, Problem, numbering_problems

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
    """Consecutive numbering of items within each section (task lists), and of every table's number column."""
    if (ctx.document.doc_type or "").lower().startswith(_NUMBERED_TYPES):
        for _section, group in groupby(ctx.result.tasks, key=lambda t: t.section):
            tasks = list(group)
            labels = [_task_label(task) for task in tasks]
            for problem in numbering_problems(labels):
                yield _numbering_hit(problem, _task_hit, tasks[problem.position])
    task_lines = {(t.provenance.page, t.provenance.line) for t in ctx.result.tasks}
    for rows in table_rows(ctx):
        if any(
            (ctx.paragraphs[i].provs[0].page, ctx.paragraphs[i].provs[0].line) in task_lines for i in rows
        ):
            continue  # its rows are tasks: checked above, section by section
        yield from _table_numbering(ctx, rows)


def _task_label(task: TaskRecord) -> Label:
    label = task.item or ""
    number = number_label(label)
    if number is not None:
        return Label("number", number, task.provenance.line)
    return Label("unknown" if label.strip() else "neutral")


def _numbering_hit(problem: Problem, make: Callable[..., Hit], where: object) -> Hit:
    if problem.code == "VB103":
        return make("VB103", where, item=problem.item)
    return make("VB102", where, item=problem.item, previous=problem.previous, missing=problem.missing)


def table_rows(ctx: DocContext) -> list[list[int]]:
    """Paragraph indices of each table, in order (consecutive rows of one table)."""
    tables: list[list[int]] = []
    last: tuple[int | None, int | None] | None = None
    for index, paragraph in enumerate(ctx.paragraphs):
        if paragraph.kind != "table_row":
            last = None
            continue
        key = (paragraph.provs[0].table, len(paragraph.cells))
        if last is None or key[0] != last[0] or (key[0] is None and key[1] != last[1]):
            tables.append([])
        tables[-1].append(index)
        last = key
    return tables


def _header_column(cells: list[str], words: tuple[str, ...]) -> int | None:
    """The column whose header cell is one of ``words`` (folded, whole cell)."""
    for col, cell in enumerate(cells):
        if fold(" ".join(cell.split())).strip(" .:") in words:
            return col
    return None


@cache
def _table_words() -> dict[str, tuple[str, ...]]:
    vocabulary = load_toml("validation_rules")["vocabulary"]["tables"]
    return {key: tuple(fold(w) for w in words) for key, words in vocabulary.items()}


def _table_numbering(ctx: DocContext, rows: list[int]) -> Iterator[Hit]:
    """The number column of one table (STT, TT): consecutive within each group of rows."""
    words = _table_words()["number_headers"]
    column: int | None = None
    labels: list[Label] = []
    where: list[int] = []
    for index in rows:
        paragraph = ctx.paragraphs[index]
        header = _header_column(paragraph.cells, words)
        if header is not None:
            column = header  # a header repeated on the next page continues the table
            continue
        if column is None or column >= len(paragraph.cells):
            continue
        cell = paragraph.cells[column]
        carried = column < len(paragraph.carried) and paragraph.carried[column]
        if any(mark in cell for mark in ("…", "...")):
            return  # a form to fill in ("1, 2, …"): not a real list
        number = number_label(cell)
        if carried or not cell.strip():
            labels.append(Label("neutral"))
        elif number is not None:
            labels.append(Label("number", number, paragraph.provs[0].line))
        elif group_label(cell):
            labels.append(Label("restart"))
        else:
            labels.append(Label("unknown"))
        where.append(index)
    for problem in numbering_problems(labels):
        yield _numbering_hit(problem, _row_hit, (ctx, where[problem.position], column))


def _row_hit(code: str, at: tuple[DocContext, int, int], **params: object) -> Hit:
    ctx, index, _column = at
    located = ctx.locate(index, 0, 0)
    return Hit(code, located.excerpt, located.prov.line, located.prov.page, dict(params))


def _no_lead(ctx: DocContext) -> Iterator[Hit]:
    """Tasks without a lead unit: empty lead cells of task tables, then tasks of running text by section."""
    covered: set[tuple[int | None, int | None]] = set()
    for rows in table_rows(ctx):
        column, empty, lines = _lead_column_gaps(ctx, rows)
        covered |= lines
        for index in empty:
            located = ctx.locate(index, 0, 0)
            header = ctx.paragraphs[index].cells[column] if column is not None else ""
            yield Hit("VB104", located.excerpt, located.prov.line, located.prov.page, {"column": header})
    tasks_of_text = [t for t in ctx.result.tasks if (t.provenance.page, t.provenance.line) not in covered]
    for _section, group in groupby(tasks_of_text, key=lambda t: t.section):
        tasks = list(group)
        with_lead = sum(1 for t in tasks if t.lead_units)
        if len(tasks) < _LEAD_MIN_TASKS or with_lead / len(tasks) < _LEAD_SHARE:
            continue
        for task in tasks:
            if not task.lead_units:
                yield _task_hit("VB104", task)


def _lead_column_gaps(
    ctx: DocContext, rows: list[int]
) -> tuple[int | None, list[int], set[tuple[int | None, int | None]]]:
    """``(lead column, rows whose lead cell is empty, lines of the data rows)`` of one table.

    The lead column is the one headed "Chủ trì", "Đơn vị thực hiện" ...; a data
    row has at least two other cells filled (a group row "Tháng 01/2026" has
    one). A cell carried down from a merged cell above is not empty. Rows are
    reported only when nearly all the table's data rows fill the column.
    """
    words = _table_words()["lead_headers"]
    column: int | None = None
    data: list[tuple[int, bool]] = []
    for index in rows:
        paragraph = ctx.paragraphs[index]
        header = _header_column(paragraph.cells, words)
        if header is not None:
            column = header
            continue
        if column is None or column >= len(paragraph.cells):
            continue
        others = [c for k, c in enumerate(paragraph.cells) if k != column and c.strip()]
        if len(others) < 2:
            continue
        carried = column < len(paragraph.carried) and paragraph.carried[column]
        data.append((index, carried or bool(paragraph.cells[column].strip())))
    lines = {(ctx.paragraphs[i].provs[0].page, ctx.paragraphs[i].provs[0].line) for i, _ in data}
    filled = sum(1 for _, ok in data if ok)
    if len(data) < _LEAD_MIN_TASKS or filled / len(data) < _LEAD_SHARE:
        return column, [], lines
    return column, [i for i, ok in data if not ok], lines


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
