"""A task as the rules find it (a draft), and the record it becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vanban.interpret import timing
from vanban.interpret.assignments import Owner, records
from vanban.interpret.periods import Period
from vanban.layout.model import Text
from vanban.normalizers import dates
from vanban.normalizers.references import find_references
from vanban.schemas.blocks import Provenance
from vanban.schemas.records import TaskRecord


@dataclass
class Context:
    """What the document and the headings above an item say about it."""

    year: int | None
    cap: str = "phường"
    month: int | None = None  # a monthly program's month, from its title
    own_symbol: str | None = None
    association: str | None = None  # the issuing association ("Hội Nông dân"), for "Ban Thường vụ Hội"
    section: str | None = None
    period: Period | None = None
    shared: Owner = field(default_factory=Owner)  # a group-wide unit line
    shared_time: str | None = None  # a group-wide time line
    default: Owner = field(default_factory=Owner)  # an owner inferred (duty heading, plan subject)
    # Short names the preamble gives cited documents: ("Nghị quyết 57", "57-NQ/TW").
    short_names: tuple[tuple[str, str], ...] = ()


@dataclass
class Draft:
    """One task: its text (without assignment), where it is, its time and its units."""

    text: str
    where: Text
    context: Context
    item: str | None = None
    when: dates.DateValue | None = None
    written: str | None = None
    units: Owner = field(default_factory=Owner)
    # A time the text names that is no deadline ("thực hiện trong tháng 11/2026"): it gives the month only.
    mentioned: dates.DateValue | None = None


def _period_fields(context: Context) -> dict[str, Any]:
    period = context.period.value if context.period is not None else None
    if period is None:
        return {
            "month": context.month,
            "year": context.year,
            "period_basis": "title" if context.month else None,
        }
    # A span (a phase "Từ 05/12/2025 đến 20/02/2026", a week) gives a month only within one month.
    single = timing.single_month(period) if period.kind in ("range", "date") else None
    month = period.month if period.kind == "month" else (single[0] if single else None)
    if month is None and context.month is not None and timing.names_day(period):
        # A week or day heading of a monthly program ("Tuần 1 (từ 29/6 đến 03/7)") keeps its month.
        return {"month": context.month, "year": context.year, "period_basis": "title"}
    year = period.year or (period.end.year if period.end else None) or context.year
    return {"month": month, "quarter": period.quarter, "year": year, "period_basis": "heading"}


def _provenance(draft: Draft, source: str) -> Provenance:
    """Where the task text is: its own span when it is one piece of its paragraph, else the paragraph."""
    if not draft.where.provs:
        return Provenance(source=source)
    start = draft.where.text.find(draft.text)
    if start < 0:
        return draft.where.provenance()
    return draft.where.provenance(start, start + len(draft.text))


def _owner(own: Owner, context: Context) -> Owner:
    """The item's own units; where it names no lead, the group's line or the inferred owner leads."""
    if own.lead:
        return own
    source = context.shared if context.shared.lead else context.default
    support = own.support or (context.shared.support if source is context.shared else ())
    return Owner(source.lead, support, source.basis if source.lead else own.basis)


def _names(text: str, short_name: str) -> bool:
    """Whether ``text`` mentions a document by its short name ("... quán triệt Nghị quyết 57 ...")."""
    return re.search(rf"(?<!\w){re.escape(short_name)}(?![\w/-])", text, re.IGNORECASE) is not None


def to_record(draft: Draft, source: str, seq: int) -> TaskRecord:
    """The record of a draft: contract timing, stated leads, owner apart, references, provenance."""
    context = draft.context
    found = _owner(draft.units, context)
    assigned = records(found, context.association)
    fields = {
        **_period_fields(context),
        **timing.deadline_fields(draft.when, draft.written),
    }
    own = timing.single_month(draft.when) or timing.single_month(draft.mentioned)
    if fields.get("month") is None and own is not None:
        fields["month"], fields["year"] = own
        fields["period_basis"] = "own"
    refs = [c.symbol for c in find_references(draft.text, own_symbol=context.own_symbol)]
    refs += [symbol for name, symbol in context.short_names if _names(draft.text, name)]
    prov = _provenance(draft, source)
    return TaskRecord(
        source=source,
        seq=seq,
        section=context.section,
        item=draft.item,
        text=draft.text,
        units=assigned,
        lead_units=[u.name for u in assigned if u.role == "lead" and u.basis == "stated"],
        support_units=[u.name for u in assigned if u.role == "support"],
        owner_units=[u.name for u in assigned if u.role == "lead" and u.basis != "stated"],
        references=list(dict.fromkeys(refs)),
        provenance=prov,
        **fields,
    )
