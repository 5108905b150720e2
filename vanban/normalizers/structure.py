"""Document structure: sections, periods, items and table rows turned into tasks.

The walk keeps a small state: the region (preamble, tasks, closing, targets,
recipients, signature), the current period heading (``Tháng 01/2026``,
``(Tháng 3/2026)``, ``Quý I``), the current table's column roles and the open
item, which absorbs continuation paragraphs. Every decision reads vocabulary
from ``resources/structure.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vanban.interpret import timing
from vanban.normalizers import dates, units
from vanban.normalizers.metadata import DocumentMeta
from vanban.normalizers.references import find_references
from vanban.normalizers.text import Paragraph, fold
from vanban.resources import load_toml
from vanban.schemas.records import TaskRecord, UnitAssignment

_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\s*[.\-–]\s*(?P<title>.*)$")
_LETTER = re.compile(r"^(?P<num>[A-D])\.\s+(?P<title>.*)$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)(?:\.|\))?\s+(?P<title>\S.*)$")
_PAREN_NUM = re.compile(r"^\((?P<num>\d{1,2})\)\s*(?P<title>\S.*)$")
_LETTER_ITEM = re.compile(r"^(?P<num>[a-zđ])\)\s+(?P<title>\S.*)$")
# "Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026:", "2.1. Đợt 1: Trong tháng 12/2025"
_PHASE = re.compile(r"^(?:đợt|giai đoạn|bước)\s+\d{1,2}\s*[:.\-–]\s*(?P<when>.+)$", re.IGNORECASE)
_BULLET = re.compile(r"^[-–•+]\s*(?P<title>\S.*)$")
_STAR = re.compile(r"^\*\s*(?P<title>\S.*)$")
_SUBHEADING = re.compile(r"^[-–+•]?\s*về [^:]{2,40}:\s*(?:\d+\s+cuộc)?\s*$")
_CONTINUED_VALUE = re.compile(r"^[+]\s*\S")
_TRAILING_PAREN = re.compile(r"\s*\((?P<inner>[^()]*)\)[\s.;,]*$")
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐÂĂÊÔƠƯ])")


@cache
def _vocabulary() -> dict[str, Any]:
    return load_toml("structure")


def _starts(folded: str, words: list[str]) -> bool:
    return any(folded.startswith(w) for w in words)


def _closing_statement(folded: str) -> bool:
    """A sentence that closes the items ("Trên đây là ...", "Trong quá trình thực hiện ...")."""
    return any(w in folded[:80] for w in _vocabulary()["regions"]["closing_statements"])


@dataclass
class _Item:
    """An item being read: marker, text so far, and where it came from."""

    paragraph: Paragraph
    section: str | None
    item: str | None
    text: str
    period: dates.DateValue | None
    group: int
    fields: dict[str, str] = field(default_factory=dict)
    bullet: bool = False
    # The body a "Tổ chức thực hiện" duty list is headed by ("1. Ban Thường trực ...").
    duty_units: list[units.UnitMatch] = field(default_factory=list)
    # The body a closing provision names as its subject ("đề nghị các tổ chức cơ sở Đảng ...").
    subject: list[units.UnitMatch] = field(default_factory=list)

    def absorb(self, paragraph: Paragraph, text: str) -> None:
        """Take a continuation or detail line into the item, with its provenance."""
        self.text = f"{self.text} {text}"
        self.paragraph.provs.extend(paragraph.provs)


@dataclass
class _State:
    region: str = "preamble"
    section: str | None = None
    period: dates.DateValue | None = None
    group: int = 0
    columns: dict[str, int] | None = None
    open_item: _Item | None = None
    items: list[_Item] = field(default_factory=list)
    shared: dict[int, str] = field(default_factory=dict)
    pending_field: str | None = None
    awaiting_item: bool = False
    duty_units: list[units.UnitMatch] = field(default_factory=list)
    taking_details: bool = False


@dataclass
class _Row:
    """A table row read through its header's column roles."""

    paragraph: Paragraph
    cells: dict[str, str]


def _column_roles(cells: list[str]) -> dict[str, int] | None:
    """Column roles from a header row, or None when the row is not a header."""
    vocab = _vocabulary()["columns"]
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        folded = fold(cell)
        for role in ("number", "content", "lead", "support", "time", "leader", "note"):
            if role not in roles and folded and _starts(folded, vocab[role]):
                roles[role] = index
                break
    return roles if "content" in roles and len(roles) >= 2 else None


def _region_of_heading(title: str) -> str:
    folded = fold(title)
    regions = _vocabulary()["regions"]
    if _starts(folded, _vocabulary()["task_headings"]["starts"]):
        return "tasks"
    if any(w in folded for w in regions["closing"]):
        return "closing"
    if any(w in folded for w in regions["targets"]):
        return "targets"
    if any(folded.startswith(w) or f" {w}" in folded[:40] for w in regions["no_tasks"]):
        return "no_tasks"
    return "tasks"


def _is_signature(text: str) -> bool:
    """An upper-case signing line: ``TM. ỦY BAN NHÂN DÂN``, ``T/M BAN CHẤP HÀNH``, ``CHỦ TỊCH``."""
    if not text.isupper() or len(text) > 60:
        return False
    regions = _vocabulary()["regions"]
    folded = fold(text)
    return _starts(folded, regions["signature_prefixes"]) or folded.strip(" .") in regions["signature_titles"]


def _split_units_parenthetical(
    text: str, cap: str
) -> tuple[str, tuple[list[units.UnitMatch], list[units.UnitMatch]] | None]:
    """Strip trailing ``(... chuẩn bị)`` parentheticals that name units; return text and units."""
    found = None
    while True:
        match = _TRAILING_PAREN.search(text)
        if not match:
            break
        parsed = units.parse_assignment(match.group("inner"), cap=cap)
        if not parsed or not (parsed[0] or parsed[1]):
            break
        if found is None:
            found = parsed
        text = text[: match.start()]
    return text.rstrip(" .;,"), found


def _assignments(
    lead: list[units.UnitMatch], support: list[units.UnitMatch], basis: str = "stated"
) -> list[UnitAssignment]:
    result = []
    for role, matches in (("lead", lead), ("support", support)):
        seen = set()
        for m in matches:
            if m.name in seen:
                continue
            seen.add(m.name)
            result.append(
                UnitAssignment(
                    name=m.name,
                    written=m.written,
                    role=role,
                    recognised=m.recognised,
                    kind=m.kind,
                    score=m.score,
                    basis=basis,
                )
            )
    return result


class _Builder:
    """Turns classified paragraphs into task records for one document."""

    def __init__(self, meta: DocumentMeta, source: str) -> None:
        self.meta = meta
        self.source = source
        self.cap = meta.locality_kind or "phường"
        self.year = meta.year
        self.tasks: list[TaskRecord] = []
        # The body a plan says draws it up, lead of items that name none (set by the walk).
        self.plan_subject: units.UnitMatch | None = None
        self.plan = meta.doc_type in _vocabulary()["plans"]["doc_types"]

    def period_fields(self, period: dates.DateValue | None) -> dict[str, Any]:
        if period is not None and period.kind in _PHASE_KINDS:
            return {"year": period.year or (period.end.year if period.end else self.year)}
        if period is not None:
            return {"month": period.month, "quarter": period.quarter, "year": period.year or self.year}
        return {"month": self.meta.month, "year": self.year}

    def add(
        self,
        paragraph: Paragraph,
        when: dates.DateValue | None = None,
        written: str | None = None,
        **fields: Any,
    ) -> None:
        refs = [c.symbol for c in find_references(fields["text"], own_symbol=self.meta.symbol)]
        fields.setdefault("references", list(dict.fromkeys(refs)))
        fields.update(timing.deadline_fields(when, written))
        own = timing.single_month(when)
        if fields.get("month") is None and own is not None:
            fields["month"], fields["year"] = own
        units_ = fields.get("units", [])
        # Only bodies the text assigns count as leads; an owner inferred from the plan is kept apart.
        fields["lead_units"] = [u.name for u in units_ if u.role == "lead" and u.basis == "stated"]
        fields["support_units"] = [u.name for u in units_ if u.role == "support"]
        fields["owner_units"] = [u.name for u in units_ if u.role == "lead" and u.basis != "stated"]
        self.tasks.append(
            TaskRecord(source=self.source, seq=len(self.tasks) + 1, provenance=paragraph.provenance, **fields)
        )

    def item_task(self, item: _Item, shared: str | None) -> None:
        text, parsed = _split_units_parenthetical(item.text, self.cap)
        lead, support = parsed if parsed else ([], [])
        if item.fields:
            lead = lead or self._field_units(item.fields, "lead")
            support = support or self._field_units(item.fields, "support")
        assignment = item.fields.get(_ASSIGNMENT)
        if assignment and not lead and not support:
            lead, support = units.parse_assignment(assignment, cap=self.cap) or ([], [])
        if not lead and not support and shared:
            lead = units.split_units(shared, cap=self.cap)
        deadline = None
        written = None
        for name in map(fold, _vocabulary()["field_lines"]["deadline"]):
            if name in item.fields:
                written = item.fields[name]
                deadline = _date_in(written, self.year, whole=True)
                break
        if deadline is None and written is None and assignment:
            deadline = _date_in(assignment, self.year)
            written = deadline.text if deadline else None
        if deadline is None and written is None:
            deadline = dates.find_deadline(text, ref_year=self.year)
        when = _LEADING_WHEN.match(text)
        if deadline is None and written is None and when:
            # "- Từ ngày 05/02/2026 - 08/02/2026: Ban Thường trực ... trao đổi với ..." (corpus luongminh)
            deadline = _date_in(when.group("when"), self.year, whole=True)
            written = when.group("when") if deadline else None
        if deadline is None and written is None:
            # An item of a phase ("Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026") or with its own
            # span in running text ("(từ 17/12/2025 đến 25/01/2026)") is due when the span ends.
            deadline = _own_span(text, self.year, loose=self.plan) or _phase_value(item.period)
            written = deadline.text if deadline else None
        if not lead and not support:
            lead = _subject_unit(when.group("rest") if when and deadline else text, self.cap)
        basis = "stated"
        if not lead and not support and item.subject:
            lead = item.subject
        if not lead and not support and item.duty_units:
            lead, basis = item.duty_units, "duty_heading"
        if not lead and not support and self.plan_subject is not None:
            lead, basis = [self.plan_subject], "plan_subject"
        self.add(
            item.paragraph,
            section=item.section,
            item=item.item,
            text=text,
            units=_assignments(lead, support, basis),
            when=deadline,
            written=written,
            **self.period_fields(item.period),
        )

    def _field_units(self, fields: dict[str, str], role: str) -> list[units.UnitMatch]:
        for name in map(fold, _vocabulary()["field_lines"][role]):
            if name in fields:
                person = _person_role(fields[name], self.meta) if role == "lead" else None
                return [person] if person else units.split_units(fields[name], cap=self.cap)
        return []

    def row_task(self, row: _Row, section: str | None, period: dates.DateValue | None) -> None:
        cells = row.cells
        lead: list[units.UnitMatch] = []
        support: list[units.UnitMatch] = []
        if cells.get("lead"):
            parsed = units.parse_assignment(cells["lead"], cap=self.cap)
            if parsed:
                lead, support = parsed
            else:
                lead = units.split_units(cells["lead"], cap=self.cap)
        if cells.get("support"):
            support = support + units.split_units(cells["support"], cap=self.cap)
        written = cells.get("time") or None
        deadline = dates.parse_date_expression(written, ref_year=self.year) if written else None
        self.add(
            row.paragraph,
            section=section,
            item=cells.get("number") or None,
            text=cells["content"],
            units=_assignments(lead, support),
            when=deadline,
            written=written,
            **self.period_fields(period),
        )

    def resolution_task(self, paragraph: Paragraph, section: str | None) -> None:
        """A dated assignment inside a resolution: the paragraph up to its deadline sentence."""
        sentences = _SENTENCE.split(paragraph.text)
        assignment = re.compile(_vocabulary()["resolution"]["assignment"], re.IGNORECASE)
        for n, sentence in enumerate(sentences):
            deadline = dates.find_deadline(sentence, ref_year=self.year)
            hit = assignment.search(sentence)
            if deadline is None or hit is None:
                continue
            mentions = units.find_unit_mentions(sentence[hit.end() :], cap=self.cap)
            self.add(
                paragraph,
                section=section,
                item=None,
                text=" ".join(sentences[: n + 1]).rstrip(" .;"),
                units=_assignments(mentions[:1], []),
                year=self.year,
                when=deadline,
            )
            return


_ASSIGNMENT = "__assignment"
_SYMBOL_TAIL = re.compile(r"\s*[,(].*$")


_LEADING_WHEN = re.compile(r"^(?P<when>[^:;,.]{4,60}?\d[^:;]{0,20}):\s*(?P<rest>\S.*)$")


def _subject_unit(text: str, cap: str) -> list[units.UnitMatch]:
    """The body an item opens with, as its lead: ``Ban Thường trực Ủy ban MTTQ phường giám sát ...``."""
    mentions = units.find_unit_mentions(text[:120], cap=cap)
    first = mentions[0] if mentions else None
    return [first] if first is not None and first.span[0] == 0 and first.recognised else []


def _date_in(text: str, year: int | None, *, whole: bool = False) -> dates.DateValue | None:
    """The deadline or period a field value or assignment line gives, if any.

    ``Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025)`` -> the deadline cue
    wins; ``trong Quý I/2026`` has no deadline cue and gives its period.
    """
    value = dates.parse_date_expression(text, ref_year=year) if whole else None
    value = value or dates.find_deadline(text, ref_year=year)
    if value is None:
        mentions = [m for m in dates.find_dates(text, ref_year=year) if m.role != "reference"]
        value = mentions[-1].value if mentions else None
    return value


def _issuer_body(meta: DocumentMeta) -> str | None:
    """The issuing body named by its kind of place (``Ủy ban nhân dân xã``)."""
    if not meta.issuer:
        return None
    body = meta.issuer
    if meta.locality and body.endswith(meta.locality):
        body = body[: -len(meta.locality)].strip()
    else:
        body = body.removesuffix(meta.locality_kind).strip()
    return f"{body} {meta.locality_kind}"


def _person_role(value: str, meta: DocumentMeta) -> units.UnitMatch | None:
    """A lead written as a person's role, kept as that role of its body.

    ``Đồng chí Phó chủ tịch Thường trực, phụ trách lĩnh vực ...`` in a plan of the
    MTTQ of a commune -> ``Phó Chủ tịch Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã``;
    a body named right after the role (``Chủ tịch UBND xã``) is kept instead.
    """
    vocab = _vocabulary()["person_roles"]
    folded = fold(value)
    honorific = next((h for h in vocab["honorifics"] if folded.startswith(h + " ")), None)
    if honorific is None:
        return None
    rest = folded[len(honorific) :].strip()
    original_rest = value.strip()[len(value.strip()) - len(rest) :] if len(rest) <= len(value) else value
    for title in sorted(vocab["titles"], key=len, reverse=True):
        if not rest.startswith(title):
            continue
        role = vocab["titles"][title]
        tail = _SYMBOL_TAIL.sub("", original_rest[len(title) :]).strip()
        named = units.split_units(tail, cap=meta.locality_kind or "phường") if tail else []
        body = (
            named[0].name if named and named[0].recognised and named[0].span[0] <= 1 else _issuer_body(meta)
        )
        if body is None:
            return None
        return units.UnitMatch(
            written=value.strip(" .;"), name=f"{role} {body}", recognised=True, kind="person"
        )
    return None


_UPPER_WORD = re.compile(r"(?<=\s)(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])")


def _inline_assignment(text: str, cap: str) -> tuple[str, str | None]:
    """Split an assignment line that a hard-wrapped layer joined onto its item.

    ``Nghị quyết ... giai đoạn 2026 – 2030 Đảng uỷ UBND xã chủ trì, ... trình trong tháng 01/2026``
    -> the item text and the assignment.
    """
    for match in _UPPER_WORD.finditer(text):
        if match.start() < 20:
            continue
        rest = text[match.start() :]
        end = units.leading_unit_end(rest)
        # The unit must be followed at once by its role ("... Đảng uỷ UBND xã chủ trì, phối hợp").
        if end is not None and _starts(
            fold(rest[end:]).lstrip(" ,"), _vocabulary()["assignment_lines"]["inline_roles"]
        ):
            return text[: match.start()].rstrip(" .;,"), rest
    return text, None


def _assignment_allowed(item: _Item, body: list[Paragraph], index: int) -> bool:
    """An unmarked line may assign its item; a bullet only closes a numbered item.

    A run of unit-led bullets under an item (``- UBND phường chỉ đạo ...``) are
    tasks of their own, so a bullet counts only when the item is not a bullet
    and no further bullet follows it.
    """
    kind, _, _ = _marker_of(body[index])
    if kind is None:
        return True
    if kind != "bullet" or item.bullet:
        return False
    following = body[index + 1] if index + 1 < len(body) else None
    return following is None or _marker_of(following)[0] != "bullet"


def _assignment_line(text: str, cap: str) -> bool:
    """A line that names a unit first and then what it does (``Ban Xây dựng Đảng chủ trì, ...``)."""
    folded = fold(text.lstrip("-–+• "))
    if not any(f" {verb}" in folded for verb in _vocabulary()["assignment_lines"]["verbs"]):
        return False
    found = units.split_units(text.lstrip("-–+• "), cap=cap)
    return bool(found) and found[0].recognised and found[0].span[0] == 0


def _marker_of(paragraph: Paragraph) -> tuple[str | None, str | None, str]:
    """(kind, number, text) of an item marker: ``bullet``, ``paren``, ``number`` or None."""
    if paragraph.marker:
        number = paragraph.marker.strip("().") if any(c.isdigit() for c in paragraph.marker) else None
        return ("number" if number else "bullet"), number, paragraph.text
    text = paragraph.text
    for kind, pattern in (("paren", _PAREN_NUM), ("number", _NUMBERED), ("letter", _LETTER_ITEM)):
        match = pattern.match(text)
        if match:
            return kind, match.group("num"), match.group("title")
    match = _BULLET.match(text)
    if match:
        return "bullet", None, match.group("title")
    return None, None, text


def extract_tasks(paragraphs: list[Paragraph], meta: DocumentMeta, source: str) -> list[TaskRecord]:
    """Read the task records of a program, plan or resolution."""
    vocab = _vocabulary()
    regions = vocab["regions"]
    shared_re = re.compile(vocab["shared_units"]["pattern"], re.IGNORECASE)
    field_re = re.compile(vocab["field_lines"]["pattern"], re.IGNORECASE)
    builder = _Builder(meta, source)
    resolution = meta.doc_type in vocab["resolution"]["doc_types"]
    state = _State()
    body = [p for p in paragraphs if p.role == "body"]

    def close_item() -> None:
        state.awaiting_item = False
        if state.open_item is not None:
            state.items.append(state.open_item)
            state.open_item = None

    def set_period(value: dates.DateValue | None, section: str) -> None:
        close_item()
        state.period = value
        state.section = section
        state.group += 1

    for index, paragraph in enumerate(body):
        text = paragraph.text
        folded = fold(text)

        if _starts(folded, regions["appendix"]) and len(text) < 60:
            # "PHỤ LỤC" after the signature: a new page that may hold a table of tasks (conghai
            # 23-CTr) or only forms to fill in (luongminh 25-11-KH); only table rows count there.
            close_item()
            state.region = "appendix"
            state.columns = None
            state.section = None
            continue
        if state.region == "appendix" and paragraph.kind != "table_row":
            roman = _ROMAN.match(text)
            if roman and state.columns:
                state.section = text
            continue
        if _starts(folded, regions["recipients"]):
            close_item()
            state.region = "recipients"
            continue
        if state.region in ("recipients", "signature"):
            continue
        if _is_signature(text):
            close_item()
            state.region = "signature"
            continue

        if paragraph.kind == "table_row":
            roles = _column_roles(paragraph.cells)
            if roles:
                close_item()
                state.columns = roles
                if state.region == "preamble":
                    state.region = "tasks"
                continue
            filled = [c for c in paragraph.cells if c]
            heading = dates.parse_period_heading(filled[0], ref_year=meta.year) if len(filled) == 1 else None
            if heading is not None:
                set_period(heading, filled[0])
                continue
            if state.columns and state.region in ("tasks", "appendix"):
                cells = {
                    role: paragraph.cells[i] if i < len(paragraph.cells) else ""
                    for role, i in state.columns.items()
                }
                if cells.get("content"):
                    close_item()
                    builder.row_task(_Row(paragraph, cells), state.section, state.period)
            continue

        roman = _ROMAN.match(text) or _LETTER.match(text)
        if roman:
            close_item()
            state.duty_units = []
            title = roman.group("title")
            state.region = _region_of_heading(title)
            state.section = text
            state.group += 1
            state.period = dates.parse_period_heading(title, ref_year=meta.year)
            continue

        heading = dates.parse_period_heading(text, ref_year=meta.year)
        if heading is not None and state.region in ("preamble", "tasks", "no_tasks"):
            state.region = "tasks"
            set_period(heading, text)
            continue

        if state.region == "preamble":
            if builder.plan and builder.plan_subject is None:
                builder.plan_subject = _plan_subject(text, builder.cap)
            if any(folded.rstrip().endswith(w) for w in regions["opening_statements"]):
                state.region = "tasks"
            continue

        if builder.plan and state.region == "closing":
            # A plan's "Tổ chức thực hiện" lists duties under the body that has them:
            # "1. Ban Thường trực Ủy ban MTTQ xã" / "- Tổng hợp hồ sơ ... (chậm nhất ngày 01/02/2026)".
            kind, number, item_text = _marker_of(paragraph)
            if kind == "number":
                close_item()
                state.duty_units = _duty_heading(item_text, builder.cap)
                subject = [] if state.duty_units else _closing_subject(item_text, builder.cap)
                if subject or (not state.duty_units and dates.find_deadline(item_text, ref_year=meta.year)):
                    # "1. Các tổ chức Đảng ... xây dựng Báo cáo ... trước ngày 20/9/2025" (conghai 10-KH)
                    state.open_item = _Item(
                        paragraph=paragraph,
                        section=state.section,
                        item=number,
                        text=item_text,
                        period=state.period,
                        group=state.group,
                        subject=subject,
                    )
                continue
            if kind == "bullet" and state.duty_units:
                close_item()
                state.open_item = _Item(
                    paragraph=paragraph,
                    section=state.section,
                    item=None,
                    text=item_text,
                    period=state.period,
                    group=state.group,
                    bullet=True,
                    duty_units=state.duty_units,
                )
                continue
            if state.open_item is not None and kind is None and not _closing_statement(folded):
                state.open_item.absorb(paragraph, text)
                continue
            close_item()
            state.duty_units = []
            continue

        if resolution:
            # Only a paragraph that assigns ("giao") and carries a number can hold a dated assignment.
            if "giao" in folded and any(c.isdigit() for c in text):
                builder.resolution_task(paragraph, state.section)
            continue

        if state.region != "tasks":
            continue

        shared = shared_re.match(text)
        if shared:
            close_item()
            state.shared[state.group] = shared.group("units")
            continue

        field_line = field_re.match(text)
        if field_line and state.open_item is not None:
            name = fold(field_line.group("field"))
            state.open_item.fields[name] = field_line.group("value").strip()
            # "* Thời gian thực hiện:" with its value on the "+ Đợt 1: ..." lines below.
            state.pending_field = None if field_line.group("value").strip() else name
            continue
        if state.pending_field and state.open_item is not None and _CONTINUED_VALUE.match(text):
            fields = state.open_item.fields
            fields[state.pending_field] = f"{fields[state.pending_field]} {text.lstrip('+-–• ')}".strip()
            continue
        state.pending_field = None

        star = _STAR.match(text)
        if star and not paragraph.marker:
            # "* Nhiệm vụ trọng tâm" opens a group; "* Năm 2026: (02 cuộc kiểm tra, ...)" also a period.
            title = star.group("title")
            set_period(_numbered_period(title.split(":")[0].split("(")[0], meta.year), title)
            continue

        if _SUBHEADING.match(folded):
            # "- Về kiểm tra: 02 cuộc" (corpus conghai 24-CTr) heads the items below it.
            close_item()
            continue

        if (
            state.open_item is not None
            and _ASSIGNMENT not in state.open_item.fields
            and not _closing_statement(folded)
            and _assignment_allowed(state.open_item, body, index)
            and _assignment_line(text, builder.cap)
        ):
            state.open_item.fields[_ASSIGNMENT] = text.lstrip("-–+• ")
            state.open_item.paragraph.provs.extend(paragraph.provs)
            continue

        if state.open_item is not None and _is_detail(state.open_item, text, state.taking_details):
            # "- Tuyên truyền tiêu chuẩn, cơ cấu, ..., cụ thể:" / "+ Về tiêu chuẩn: ..." spells the item out;
            # "- Đối với khiếu nại về danh sách cử tri: ..." is a case of the numbered item above.
            state.open_item.absorb(paragraph, text)
            state.taking_details = True
            continue
        state.taking_details = False

        kind, number, item_text = _marker_of(paragraph)
        if kind == "letter" and item_text.rstrip().endswith(":"):
            # "a) Nội dung Kiểm tra (Đối với Ban CTMT các thôn):" labels the bullets below it.
            close_item()
            continue
        if kind in ("bullet", "paren") and _detail_of_open_item(state.open_item, body, index, field_re):
            # Sub-points between a numbered item and its field lines describe that item.
            continue
        if kind is not None:
            close_item()
            if kind == "number":
                period = _numbered_period(item_text, meta.year)
                is_phase, phase = _phase(item_text, meta.year) if period is None else (False, None)
                if period is not None or is_phase:
                    set_period(period or phase, text)
                    state.awaiting_item = True
                    continue
            if (
                kind == "number"
                and _is_group_heading(body, index, item_text)
                and not _fields_ahead(body, index, field_re)
            ):
                set_period(state.period, text)
                continue
            # A hard-wrapped layer may have joined the assignment line onto the item
            # ("... giai đoạn 2026 – 2030 Đảng uỷUBND xã chủtrì, ... trình trong tháng 01/2026").
            item_text, inline = (
                _inline_assignment(item_text, builder.cap) if kind == "number" else (item_text, None)
            )
            state.open_item = _Item(
                paragraph=paragraph,
                section=state.section,
                item=number,
                text=item_text,
                period=state.period,
                group=state.group,
                bullet=kind == "bullet",
                fields={_ASSIGNMENT: inline} if inline else {},
            )
            continue

        if _closing_statement(folded):
            close_item()
            state.region = "closing"
            continue
        if state.open_item is None and state.awaiting_item:
            # "3. Năm 2028" followed by the item itself, unnumbered.
            state.open_item = _Item(
                paragraph=paragraph,
                section=state.section,
                item=None,
                text=text,
                period=state.period,
                group=state.group,
            )
            state.awaiting_item = False
            continue
        if state.open_item is not None:
            state.open_item.absorb(paragraph, text)

    close_item()
    for item in state.items:
        builder.item_task(item, state.shared.get(item.group))
    builder.tasks.sort(key=lambda t: (t.provenance.page or 0, t.provenance.start or 0, t.seq))
    for seq, task in enumerate(builder.tasks, start=1):
        task.seq = seq
    return builder.tasks


def _is_group_heading(body: list[Paragraph], index: int, text: str) -> bool:
    """A numbered line that heads sub-items.

    Either short, without closing punctuation and followed by bullets, or
    followed by its own sub-numbers (``1.`` then ``1.1.``).
    """
    if index + 1 >= len(body):
        return False
    following = body[index + 1]
    kind, number, _ = _marker_of(following)
    _, own, _ = _marker_of(body[index])
    if kind == "number" and own and number and number.startswith(f"{own}."):
        return True
    if text.rstrip().endswith(":") and len(text) <= 40 and kind == "bullet":
        return True  # "1. Nội dung:", "2. Hình thức và thời gian:" (corpus conghai 10-KH)
    if len(text) > 120 or text.rstrip().endswith((".", ";", ":")):
        return False
    return kind in ("bullet", "paren") and not following.text.startswith(text)


_PHASE_KINDS = ("range", "date")


def _phase_value(period: dates.DateValue | None) -> dates.DateValue | None:
    """The span of a phase heading an item sits under, when the period is a span of days."""
    return period if period is not None and period.kind in _PHASE_KINDS else None


def _own_span(text: str, year: int | None, *, loose: bool = False) -> dates.DateValue | None:
    """A span of days the item states for itself: ``... (từ 17/12/2025 đến 25/01/2026)``.

    ``loose`` (plans, whose items are dated in running text) also takes one month or
    quarter with its year: ``... xây dựng Báo cáo ... trong tháng 09/2025``.
    """
    spans = [
        m.value
        for m in dates.find_dates(text, ref_year=year)
        if m.role == "period"
        and (
            (m.value.kind == "range" and _DAY_TO_DAY.search(m.value.text))
            or (loose and m.value.kind in ("month", "quarter") and re.search(r"\d{4}", m.value.text))
        )
    ]
    return spans[-1] if len(spans) == 1 and spans[-1].end is not None else None


# Both ends are days ("từ 17/12/2025 đến 25/01/2026"), not "3 tháng cuối năm".
_DAY_TO_DAY = re.compile(r"\d{1,2}/\d{1,2}\b.*\d{1,2}/\d{1,2}\b")


def _phase(title: str, year: int | None) -> tuple[bool, dates.DateValue | None]:
    """Whether a heading opens a phase (``Đợt 2: Từ ngày 23/02/2026 đến ngày 14/3/2026 ...``), and its span.

    A phase "after" a date (``Đợt 3: Sau ngày bầu cử 15/3/2026``) has no span the items are due by.
    """
    match = _PHASE.match(title.strip())
    if match is None:
        return False, None
    when = match.group("when").strip(" .:")
    if fold(when).startswith("sau"):
        return True, None
    # "đến ngày bầu cử 15/3/2026": the words naming the day stand between "ngày" and its date.
    when = re.sub(r"(?<=\bđến)\s+ngày\s+[^\d,;]{2,30}?\s+(?=\d)", " ", when, flags=re.IGNORECASE)
    value = dates.parse_date_expression(when, ref_year=year)
    if value is None:
        mentions = [
            m for m in dates.find_dates(when, ref_year=year) if m.role not in ("reference", "content")
        ]
        value = mentions[0].value if mentions else None
    return True, value


def _is_detail(item: _Item, text: str, taking: bool) -> bool:
    """Whether a bullet spells out the open item rather than being a task of its own."""
    vocab = _vocabulary()["details"]
    kind = "plus" if text.startswith("+") else "bullet" if _BULLET.match(text) else None
    if kind is None:
        return False
    if kind == "plus" and taking:
        return True
    intro = fold(item.text.rstrip()).rstrip(":").rstrip()
    if item.text.rstrip().endswith(":") and (
        kind == "plus" or any(intro.endswith(w) for w in vocab["intros"])
    ):
        return True
    body = fold(text.lstrip("-–•+ "))
    return kind == "bullet" and item.item is not None and not item.bullet and _starts(body, vocab["cases"])


_CLOSING_LEAD_IN = re.compile(r"^(?:căn cứ kế hoạch này,?\s*)?(?:đề nghị|giao)?\s*", re.IGNORECASE)


def _closing_subject(text: str, cap: str) -> list[units.UnitMatch]:
    """The body a closing provision starts with, after "Căn cứ Kế hoạch này, đề nghị"."""
    return _subject_unit(text[_CLOSING_LEAD_IN.match(text).end() :], cap)  # type: ignore[union-attr]


def _plan_subject(text: str, cap: str) -> units.UnitMatch | None:
    """The body an opening statement says draws up the plan: ``Ban Thường trực ... xây dựng kế hoạch ...``."""
    match = _PLAN_STATEMENT.search(text)
    if match is None:
        return None
    # The body right before the verb: "Thực hiện Kế hoạch số 17-KH/TU ..., Ban Thường vụ Đảng uỷ xây dựng ..."
    found = [m for m in units.find_unit_mentions(text[: match.start()], cap=cap) if m.recognised]
    if found and match.start() - found[-1].span[1] <= 2:
        return found[-1]
    # Or the body the statement opens with: "Tiểu ban thông tin, ... nhiệm kỳ 2026 - 2031 xây dựng ..."
    return found[0] if found and found[0].span[0] == 0 else None


_PLAN_STATEMENT = re.compile(r"\s(?:xây dựng|ban hành)\s+(?:kế hoạch|chương trình)", re.IGNORECASE)


def _duty_heading(title: str, cap: str) -> list[units.UnitMatch]:
    """The bodies a numbered "Tổ chức thực hiện" heading consists of (``2. Đề nghị Ủy ban nhân dân xã phối hợp``)."""
    name = re.sub(r"^(?:đề nghị|giao)\s+", "", title.strip(" .:;"), flags=re.IGNORECASE)
    name = re.sub(r"\s+(?:phối hợp|thực hiện|chủ trì)$", "", name, flags=re.IGNORECASE)
    if not name or len(name) > 90:
        return []
    found = [m for m in units.split_units(name, cap=cap) if m.recognised]
    covered = sum(m.span[1] - m.span[0] for m in found)
    return found if covered >= 0.8 * len(name) else []


_PERIOD_TITLE = re.compile(r"^(?:quý|năm|tháng|6 tháng|năm)\b", re.IGNORECASE)


def _numbered_period(title: str, year: int | None) -> dates.DateValue | None:
    """A numbered heading that is only a period: ``1. Quý IV, năm 2025``, ``3. Năm 2028``."""
    title = title.strip(" .:")
    if len(title) > 30 or not _PERIOD_TITLE.match(title):
        return None
    value = dates.parse_period_heading(title, ref_year=year) or dates.parse_date_expression(
        re.sub(r",\s*(?=năm)", " ", title, flags=re.IGNORECASE), ref_year=year
    )
    return value if value is not None and value.kind in ("year", "quarter", "month", "half") else None


def _fields_ahead(body: list[Paragraph], index: int, field_re: re.Pattern[str]) -> bool:
    """Whether field lines (``* Thời gian thực hiện: ...``) follow before the next numbered item."""
    for following in body[index + 1 : index + 15]:
        if field_re.match(following.text):
            return True
        kind, _, _ = _marker_of(following)
        if kind == "number" or following.kind == "table_row":
            return False
    return False


def _detail_of_open_item(
    item: _Item | None, body: list[Paragraph], index: int, field_re: re.Pattern[str]
) -> bool:
    """Whether a bullet is a sub-point of the open numbered item: field lines follow before the next item."""
    if item is None or item.item is None:
        return False
    return _fields_ahead(body, index, field_re)
