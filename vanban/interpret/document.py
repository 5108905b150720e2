"""A laid-out document to its task records: which parts hold tasks, by the kind of document.

* programs and plans: the task sections and the task tables of appendices; the
  ``Tổ chức thực hiện`` provisions are no tasks (``1. Văn phòng ...: theo dõi, đôn đốc ...``);
* plans also: the body the plan says draws it up, kept as the owner of items that name none;
* resolutions, laws, decisions: only dated assignments (``Giao UBND phường ...,
  hoàn thành trước ngày 31/12/2025``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from vanban.interpret import assignments
from vanban.interpret.drafts import Context, Draft, to_record
from vanban.interpret.periods import heading_period
from vanban.interpret.tasks import Walker
from vanban.layout.model import AdminDocument, Heading, Item, Node, Paragraph, Section, Table, Text
from vanban.normalizers import dates, units
from vanban.normalizers.metadata import DocumentMeta
from vanban.normalizers.references import short_names
from vanban.normalizers.text import fold
from vanban.resources import load_toml
from vanban.schemas.records import TaskRecord

_PLAN_STATEMENT = re.compile(r"\s(?:xây dựng|ban hành)\s+(?:kế hoạch|chương trình)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐÂĂÊÔƠƯ])")


@cache
def _vocabulary() -> dict[str, Any]:
    return load_toml("structure")


def issuer_body(meta: DocumentMeta) -> str | None:
    """The issuing body named by its kind of place (``Ủy ban nhân dân xã``)."""
    if not meta.issuer:
        return None
    body = meta.issuer
    if meta.locality and body.endswith(meta.locality):
        body = body[: -len(meta.locality)].strip()
    else:
        body = body.removesuffix(meta.locality_kind).strip()
    return f"{body} {meta.locality_kind}"


def plan_subject(text: str, cap: str) -> units.UnitMatch | None:
    """The body an opening statement says draws up the plan: ``Ban Thường trực ... xây dựng kế hoạch ...``."""
    match = _PLAN_STATEMENT.search(text)
    if match is None:
        return None
    found = [m for m in units.find_unit_mentions(text[: match.start()], cap=cap) if m.recognised]
    if found and match.start() - found[-1].span[1] <= 2:
        return found[-1]  # the body right before the verb
    return found[0] if found and found[0].span[0] == 0 else None  # or the body the statement opens with


def _texts(nodes: tuple[Node, ...]) -> list[Text]:
    """Every paragraph of a part, in order (for resolutions, whose tasks sit in running text)."""
    out: list[Text] = []
    for node in nodes:
        if isinstance(node, Paragraph):
            out.append(node.body)
        elif isinstance(node, Item | Heading):
            out.append(node.title)
            out.extend(node.body if isinstance(node, Item) else ())
            out.extend(_texts(node.children))
    return out


def _resolution_drafts(sections: tuple[Section, ...], context: Context) -> list[Draft]:
    """Dated assignments of a resolution: the paragraph up to its deadline sentence."""
    drafts = []
    assignment = re.compile(_vocabulary()["resolution"]["assignment"], re.IGNORECASE)
    for section in sections:
        inner = replace(context, section=section.heading.title.text if section.heading else None)
        for text in _texts(section.nodes):
            if "giao" not in text.text.lower() or not any(c.isdigit() for c in text.text):
                continue
            sentences = _SENTENCE.split(text.text)
            for n, sentence in enumerate(sentences):
                deadline = dates.find_deadline(sentence, ref_year=context.year)
                hit = assignment.search(sentence)
                if deadline is None or hit is None:
                    continue
                mentions = units.find_unit_mentions(sentence[hit.end() :], cap=context.cap)
                drafts.append(
                    Draft(
                        text=" ".join(sentences[: n + 1]).rstrip(" .;"),
                        where=text,
                        context=replace(inner, month=None),
                        when=deadline,
                        units=assignments.owner(mentions[:1]),
                    )
                )
                break
    return drafts


def _appendix_tables(walker: Walker, nodes: tuple[Node, ...], context: Context) -> None:
    """An appendix holds tasks only in its tables; headings above a table name its section."""
    for node in nodes:
        if isinstance(node, Table):
            walker.nodes((node,), context)
        elif isinstance(node, Item | Heading):
            _appendix_tables(walker, node.children, replace(context, section=node.title.text))


def points_to_appendix(text: str) -> bool:
    """Whether an item only sends the reader to the appendix: ``... theo Phụ lục kèm theo Kế hoạch này``."""
    folded = fold(text)
    return any(fold(p) in folded for p in _vocabulary()["appendix_pointers"]["phrases"])


def association(doc: AdminDocument, cap: str) -> str | None:
    """The association that issues the document (``Hội Cựu chiến binh``), from its header."""
    found = None
    for text in doc.header:
        for mention in units.find_unit_mentions(text.text, cap=cap):
            if mention.recognised and mention.name.startswith("Hội "):
                found = mention.name  # the last one: the issuing body sits under its parent
    return found


def document_tasks(doc: AdminDocument, meta: DocumentMeta) -> list[TaskRecord]:
    """The task records of a program, plan, schedule or resolution."""
    vocab = _vocabulary()
    plan = meta.doc_type in vocab["plans"]["doc_types"]
    cap = meta.locality_kind or "phường"
    grounds = " ".join(t.text for t in doc.preamble)
    context = Context(
        year=meta.year, cap=cap, month=meta.month, own_symbol=meta.symbol, association=association(doc, cap),
        short_names=tuple(short_names(grounds).items()),
    )  # fmt: skip
    if plan:
        subject = next((s for s in (plan_subject(t.text, cap) for t in doc.preamble) if s is not None), None)
        if subject is not None:
            context = replace(context, default=assignments.owner([subject], basis="plan_subject"))
    walker = Walker(plan=plan, issuer_body=issuer_body(meta))
    if meta.doc_type in vocab["resolution"]["doc_types"]:
        walker.drafts.extend(_resolution_drafts(doc.sections, context))
    else:
        for section in doc.sections:
            heading = section.heading.title.text if section.heading else None
            period = heading_period(heading, meta.year) if heading else None
            inner = walker.group(section.fields, replace(context, section=heading, period=period))
            if section.region == "tasks":
                walker.nodes(section.nodes, inner)
        body_drafts = len(walker.drafts)
        for appendix in doc.appendices:
            heading = appendix.heading.title.text if appendix.heading and appendix.heading.marker else None
            _appendix_tables(walker, appendix.nodes, replace(context, section=heading))
        if len(walker.drafts) > body_drafts:
            walker.drafts = [d for d in walker.drafts if not points_to_appendix(d.text)]
    records = [to_record(draft, doc.source, 0) for draft in walker.drafts]
    records.sort(key=lambda t: (t.provenance.page or 0, t.provenance.start or 0))
    for seq, record in enumerate(records, start=1):
        record.seq = seq
    return records
