"""Which nodes of a laid-out document are tasks, and what each task says.

Rules, each one decision, applied while walking the outline:

* ``heading``: a heading, or an item that is only a time (``1. Quý IV``, ``Đợt 1: ...``),
  sets the period and section of what nests under it; it is no task;
* ``group``: an item whose sub-items are tasks (short, no closing punctuation, or
  sub-numbered ``1.`` / ``1.1.``) heads them; its field lines serve them all;
* ``details``: sub-points that spell an item out (after ``..., cụ thể:``, cases
  ``Đối với ...``, points before its field lines) are part of it, not tasks;
* ``assignment``: a trailing parenthetical, field lines, an assignment line or
  closing sentence give the units and leave the text;
* ``paragraph tasks``: unmarked paragraphs are tasks only where a heading has no items.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from vanban.interpret import assignments, timing
from vanban.interpret.drafts import Context, Draft
from vanban.interpret.periods import date_in, heading_period, leading_when, own_span, phase_span
from vanban.interpret.rows import table_drafts
from vanban.layout.model import FieldLine, Heading, Item, Node, Paragraph, Table, Text
from vanban.layout.regions import is_closing_statement
from vanban.normalizers import dates
from vanban.normalizers.text import fold
from vanban.resources import load_toml

_SUBHEADING = re.compile(r"^[-–+•]?\s*về [^:]{2,40}:\s*(?:\d+\s+cuộc)?\s*$")


@cache
def _vocabulary() -> dict[str, Any]:
    return load_toml("structure")


def _is_detail_list(item: Item, cap: str) -> bool:
    """Whether an item's sub-items spell it out (``..., cụ thể:`` / ``+ Về tiêu chuẩn: ...``).

    ``+`` points under a ``... :`` line are details, unless they assign themselves
    (``+ ... (Tổ An ninh chủ trì).``, ``Thời gian:``/``Phân công:`` lines of their own): then they are tasks.
    """
    title = item.title.text.rstrip()
    if not title.endswith(":"):
        return False
    intro = fold(title).rstrip(":").rstrip()
    if any(intro.endswith(w) for w in _vocabulary()["details"]["intros"]):
        return True
    points = [c for c in item.children if isinstance(c, Item) and c.marker]
    return {c.marker.kind for c in points if c.marker} == {"plus"} and not any(
        _point_assigns_itself(p, cap) for p in points
    )


def _point_assigns_itself(point: Item, cap: str) -> bool:
    if any(f.scope == "item" and (f.key in assignments.UNIT_KEYS or f.key == "time") for f in point.fields):
        return True
    return bool(assignments.split_parenthetical(point.title.text, cap)[1])


def _is_case(child: Node) -> bool:
    """A case of a numbered item: ``- Đối với khiếu nại về danh sách cử tri: ...``."""
    if (
        not isinstance(child, Item)
        or child.marker is None
        or child.marker.kind not in ("dash", "plus", "bullet", "star")
    ):
        return False
    return any(fold(child.title.text).startswith(w) for w in _vocabulary()["details"]["cases"])


def _looks_like_group(item: Item, subitems: list[Item]) -> bool:
    """A numbered line that heads sub-items: sub-numbered, or short without closing punctuation."""
    title = item.title.text.rstrip()
    label = item.marker.label if item.marker else ""
    if label and any(c.marker and c.marker.label.startswith(f"{label}.") for c in subitems):
        return True
    if item.marker is not None and item.marker.kind in ("letter", "upper", "roman") and title.endswith(":"):
        return True
    if title.endswith(":") and len(title) <= 120:  # "- Công tác phòng ngừa, đấu tranh với tội phạm ...:"
        return True
    return not (len(title) > 120 or title.endswith((".", ";", ":")))


class Walker:
    """Walks one document's sections and collects drafts."""

    def __init__(self, plan: bool, issuer_body: str | None) -> None:
        self.plan = plan
        self.issuer_body = issuer_body
        self.drafts: list[Draft] = []

    # ---------------------------------------------------------------- containers

    def nodes(self, nodes: tuple[Node, ...], context: Context) -> None:
        """Walk a container: paragraphs are tasks only where it holds nothing else."""
        only_text = bool(nodes) and all(isinstance(n, Paragraph) for n in nodes)
        for node in nodes:
            if isinstance(node, Table):
                self.drafts.extend(table_drafts(node, context))
            elif isinstance(node, Heading):
                self.heading(node.title, node.fields, node.children, (), context)
            elif isinstance(node, Item):
                self.item(node, context)
            elif only_text and context.period is not None:
                self.paragraph(node.body, context)

    def heading(
        self,
        title: Text,
        fields: tuple[FieldLine, ...],
        children: tuple[Node, ...],
        body: tuple[Text, ...],
        context: Context,
    ) -> None:
        # A heading's own time, else the one of the heading it nests under (a sibling never passes
        # its period on: siblings share their parent's context).
        period = heading_period(title.text, context.year) or context.period
        inner = self.group(fields, replace(context, section=title.text, period=period))
        if body:
            # "3. Năm 2028" followed by the item itself, unmarked, and the lines that assign it
            # ("- Văn phòng Đảng uỷ chủ trì, ...", "- Thời gian thực hiện: tháng 01/2027").
            own = [c for c in children if self._assigns(c, inner)]
            for text in body[:-1] if own else body:
                self.paragraph(text, inner)
            if own:
                fields_below = tuple(f for c in own if isinstance(c, Item) for f in c.fields)
                assignment = next(c.title.text for c in own if isinstance(c, Item))
                self.task([body[-1]], fields_below, inner, None, assignment)
                children = tuple(c for c in children if c not in own)
        self.nodes(children, inner)

    def _assigns(self, node: Node, context: Context) -> bool:
        """A bullet under a heading's unmarked item that only assigns it."""
        return (
            isinstance(node, Item)
            and node.marker is not None
            and node.marker.kind in ("dash", "plus", "bullet")
            and not node.children
            and assignments.is_assignment_line(node.title.text, context.cap)
        )

    def group(self, fields: tuple[FieldLine, ...], context: Context) -> Context:
        """The context a group's field lines give the items under it."""
        shared = assignments.fields_owner(fields, context.cap, self.issuer_body)
        time = assignments.time_field(fields)
        return replace(context, shared=shared or context.shared, shared_time=time or context.shared_time)

    def paragraph(self, text: Text, context: Context) -> None:
        if text.text.rstrip().endswith(":") or is_closing_statement(text.text):
            return
        self.task([text], (), context, None)

    # ---------------------------------------------------------------- items

    def item(self, item: Item, context: Context) -> None:
        title = item.title.text
        if _SUBHEADING.match(fold(item.title.text if not item.marker else f"- {title}")):
            self.nodes(item.children, context)
            return
        if heading_period(title, context.year) is not None and (
            item.children or item.body or len(title) <= 40
        ):
            self.heading(item.title, item.fields, item.children, item.body, context)
            return
        details: list[Node] = []
        tasks: list[Node] = []
        if _is_detail_list(item, context.cap):
            details = list(item.children)
        else:
            for child in item.children:
                (details if _is_case(child) else tasks).append(child)
        subitems = [c for c in tasks if isinstance(c, Item)]
        # Field lines make an item a task of its own unless it heads sub-items that its
        # unit line serves once for all ("1. Công tác ..." / "- ..." / "* Cơ quan chuẩn bị: ...").
        own = tuple(f for f in item.fields if f.scope == "item")
        own_fields = any(f.key == "time" for f in own) or (
            any(f.key in assignments.UNIT_KEYS for f in own)
            and not (subitems and _looks_like_group(item, subitems))
        )
        if own_fields:
            details, tasks = (
                details + [c for c in tasks if not isinstance(c, Table)],
                [c for c in tasks if isinstance(c, Table)],
            )
        assignment, tasks = self._assignment_child(item, tasks, context)
        subitems = [c for c in tasks if isinstance(c, Item)]
        if subitems and not own_fields and _looks_like_group(item, subitems) and assignment is None:
            inner = self.group(item.fields, replace(context, section=title))
            assigned = assignments.group_line_owner(title, context.cap)  # "1. Giao Phòng Kinh tế:"
            self.nodes(tuple(tasks), replace(inner, shared=assigned) if assigned.lead else inner)
            return
        parts = [item.title, *item.body]
        parts += [t for d in details if not (own_fields and _is_point(d)) for t in _flatten(d)]
        self.task(parts, item.fields, context, item, assignment)
        # "* Thứ Hai, 05/01: Sáng: ..." / "- Chiều: ...": the day a schedule line opens with is its points' day too.
        lead_in = leading_when(title, context.year)
        inner = replace(context, shared_time=lead_in[1]) if lead_in and not context.shared_time else context
        self.nodes(tuple(tasks), inner)

    def _assignment_child(
        self, item: Item, children: list[Node], context: Context
    ) -> tuple[str | None, list[Node]]:
        """A last bullet that assigns its numbered item (``- Ban Xây dựng Đảng chủ trì, ...``)."""
        if not children or (item.marker is not None and item.marker.kind in ("dash", "plus", "bullet")):
            return None, children
        last = children[-1]
        bullets = [c for c in children if isinstance(c, Item) and c.marker and c.marker.kind == "dash"]
        single = isinstance(last, Item) and len(bullets) == 1 and last is bullets[0] and not last.children
        if single and assignments.is_assignment_line(last.title.text, context.cap):
            return last.title.text, children[:-1]
        return None, children

    # ---------------------------------------------------------------- one task

    def task(
        self,
        parts: list[Text],
        fields: tuple[FieldLine, ...],
        context: Context,
        item: Item | None,
        assignment: str | None = None,
    ) -> None:
        """A draft from an item's text, its fields and the assignment lines under it."""
        cap = context.cap
        first = parts[0]
        if assignment is None:
            # The item's own paragraph may end by assigning it: "... Giao X tham mưu; Y phối hợp."
            head, assignment = assignments.closing_sentence(first.text, cap)
            first = first.slice(0, len(head)) if assignment else first
        kept = [first]
        for line in parts[1:]:
            if (
                assignment is None
                and assignments.is_assignment_line(line.text, cap)
                and not is_closing_statement(line.text)
            ):
                assignment = line.text.lstrip("-–+• ")
            else:
                kept.append(line)
        where = Text.join(kept)
        text, found, stated_time = assignments.split_parenthetical(where.text, cap)
        numbered = item is not None and item.marker is not None and item.marker.kind == "number"
        text, inline = assignments.trailing_fields(text)
        if assignment is None:
            text, assignment = assignments.closing_sentence(text, cap)
        if assignment is None and numbered:
            text, assignment = assignments.inline_assignment(text, cap)
        if inline:
            fields = fields + tuple(
                FieldLine(label=key, key=key, value=Text(text=value)) for key, value in reversed(inline)
            )
        if not found:
            found = assignments.fields_owner(fields, context.cap, self.issuer_body)
        if not found and assignment:
            found = assignments.parse(assignment, cap)
        written = assignments.time_field(fields) or stated_time or context.shared_time
        when = date_in(written, context.year, whole=True) if written else None
        if when is None and written is None and assignment:
            when = date_in(assignment, context.year)
            written = when.text if when else None
        if when is None and written is None:
            when = dates.find_deadline(text, ref_year=context.year)
        lead_in = leading_when(text, context.year) if when is None and written is None else None
        if lead_in is not None:
            when, written = lead_in[0], lead_in[1]
        if when is None and written is None:
            when = own_span(text, context.year, loose=self.plan) or phase_span(context.period)
            written = when.text if when else None
        if not found:
            found = assignments.owner(assignments.subject_unit(lead_in[2] if lead_in else text, cap))
        if not found.support:  # "Phối hợp Công an xã tuyên truyền ...": the item names its partner
            found = assignments.Owner(found.lead, tuple(assignments.opening_support(text, cap)), found.basis)
        self.drafts.append(
            Draft(
                text=text,
                where=where,
                context=context,
                item=item.marker.label or None if item is not None and item.marker else None,
                when=when,
                written=written,
                units=found,
                mentioned=_one_time(text, context.year) if timing.single_month(when) is None else None,
            )
        )


def _one_time(text: str, year: int | None) -> dates.DateValue | None:
    """The one time a text names for itself (no anniversary, no cited document's date), if only one."""
    mentions = [
        m.value
        for m in dates.find_dates(text, ref_year=year)
        if m.role in ("period", "deadline", "scheduled") and not _open_start(text, m.value)
    ]
    return mentions[0] if len(mentions) == 1 else None


def _open_start(text: str, value: dates.DateValue) -> bool:
    """The start of an open span: ``(từ tháng 01/2026 đến khi kết thúc bầu cử)`` names no one month."""
    return value.kind != "range" and fold(text[: value.span[0]]).rstrip().endswith("từ")


def _is_point(node: Node) -> bool:
    return (
        isinstance(node, Item)
        and node.marker is not None
        and node.marker.kind in ("dash", "plus", "bullet", "paren")
    )


def _flatten(node: Node) -> list[Text]:
    """The texts of a detail node and of what nests under it, in reading order."""
    if isinstance(node, Item):
        return [node.title, *node.body, *(t for c in node.children for t in _flatten(c))]
    if isinstance(node, Heading):
        return [node.title, *(t for c in node.children for t in _flatten(c))]
    if isinstance(node, Paragraph):
        return [node.body]
    return []
