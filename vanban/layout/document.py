"""Paragraphs to an :class:`AdminDocument`: parts, sections, an outline of items, tables.

The parts follow the genre's form: header and title, the preamble (``Căn cứ``,
``Thực hiện``, up to ``... như sau:``), body sections under top-level headings,
a closing statement, signature, ``Nơi nhận`` and appendices (``PHỤ LỤC``).
Inside a section, items nest by the marker kinds the document uses
(:mod:`vanban.layout.markers`); unmarked lines continue the open item; field
lines attach to their item, or to the group when one line serves a group of
items that have none of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vanban.layout import markers
from vanban.layout.fields import parse_field
from vanban.layout.model import (
    AdminDocument,
    Column,
    FieldLine,
    Heading,
    Item,
    Marker,
    Node,
    Paragraph,
    Region,
    Section,
    Text,
)
from vanban.layout.offsets import align
from vanban.layout.paragraphs import Paragraph as Para
from vanban.layout.tables import build_table
from vanban.normalizers import dates
from vanban.normalizers.text import fold, strip_marks
from vanban.resources import load_toml

_TITLE_SPAN = 25


@cache
def _vocabulary() -> dict[str, Any]:
    return load_toml("structure")


def _starts(folded: str, words: list[str]) -> bool:
    return any(folded.startswith(w) for w in words)


def _bare(text: str) -> str:
    """Folded and without tone marks: OCR misreads marks (``TỔ CHÚC THỤC HIỆN``), rarely letters."""
    return strip_marks(fold(text))


def region_of_heading(title: str) -> Region:
    """The part of the document a top-level heading opens."""
    folded = _bare(title)
    regions = {key: [_bare(w) for w in words] for key, words in _vocabulary()["regions"].items()}
    if _starts(folded, [_bare(w) for w in _vocabulary()["task_headings"]["starts"]]):
        return "tasks"
    if any(w in folded for w in regions["closing"]):
        return "closing"
    if any(w in folded for w in regions["targets"]):
        return "targets"
    if any(folded.startswith(w) or f" {w}" in folded[:40] for w in regions["no_tasks"]):
        return "no_tasks"
    return "tasks"


def is_signature(text: str) -> bool:
    """An upper-case signing line: ``TM. ỦY BAN NHÂN DÂN``, ``T/M BAN CHẤP HÀNH``, ``CHỦ TỊCH``."""
    if not text.isupper() or len(text) > 60:
        return False
    regions = _vocabulary()["regions"]
    folded = fold(text)
    return _starts(folded, regions["signature_prefixes"]) or folded.strip(" .") in regions["signature_titles"]


def is_closing_statement(text: str) -> bool:
    """A sentence that closes the items (``Trên đây là ...``, ``Trong quá trình thực hiện ...``)."""
    folded = fold(text)
    return any(w in folded[:80] for w in _vocabulary()["regions"]["closing_statements"])


def _is_title(text: str) -> bool:
    stripped = text.strip(" *")
    if not stripped.isupper() or len(stripped) > 80:
        return False
    return any(stripped.startswith(rule["words"]) for rule in load_toml("titles")["title"])


def _preamble_line(text: str) -> bool:
    """A ``Căn cứ`` / ``Thực hiện`` line, marked or not."""
    folded = fold(text).lstrip("-–+•* ")
    return _starts(folded, _vocabulary()["preamble"]["starts"])


def _opens_tasks(text: str) -> bool:
    return any(fold(text).rstrip().endswith(w) for w in _vocabulary()["regions"]["opening_statements"])


# ------------------------------------------------------------------ builders


@dataclass
class _Open:
    """A node being built: a heading or an item, with what nests under it."""

    kind: str  # heading | item
    key: str
    marker: Marker | None
    title: Text
    body: list[Text] = field(default_factory=list)
    fields: list[FieldLine] = field(default_factory=list)
    children: list[Any] = field(default_factory=list)

    def freeze(self) -> Node:
        children = tuple(_frozen(c) for c in self.children)
        if self.kind == "heading":
            return Heading(marker=self.marker, title=self.title, fields=tuple(self.fields), children=children)
        return Item(
            marker=self.marker,
            title=self.title,
            body=tuple(self.body),
            fields=tuple(self.fields),
            children=children,
        )


_POINTS = ("dash", "plus", "bullet")


def _points_of(item: _Open, parent: _Open, siblings: list[_Open], key: str) -> bool:
    """Whether a field line after bullet points belongs to the numbered item they describe.

    ``2. Kiểm tra việc hiệp thương ...`` / ``- Đảm bảo thời gian ...`` / ``* Thời gian thực hiện: ...``:
    the points spell the item out and the field is the item's, unless the item is only a
    period (``1. Tháng 10``) whose bullets are tasks, or the points carry such fields themselves.
    """
    if parent.kind != "item" or item.marker is None or item.marker.kind not in _POINTS:
        return False
    if parent.marker is not None and parent.marker.kind in _POINTS:
        return False
    if dates.parse_period_heading(parent.title.text) is not None:
        return False
    return not any(f.key == key for s in (*siblings, item) for f in s.fields)


def _dotted_parent(key: str) -> str | None:
    """The outline key a dotted number nests under (``number2`` -> ``number1``)."""
    if key.startswith("number") and key[6:].isdigit() and int(key[6:]) > 1:
        return f"number{int(key[6:]) - 1}"
    return None


def _frozen(node: Any) -> Node:
    return node.freeze() if isinstance(node, _Open) else node


@dataclass
class _SectionBuilder:
    heading: Heading | None
    region: Region
    nodes: list[Any] = field(default_factory=list)
    fields: list[FieldLine] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)

    def container(self) -> list[Any]:
        return self.stack[-1].children if self.stack else self.nodes

    def open_item(self) -> _Open | None:
        return self.stack[-1] if self.stack and self.stack[-1].kind == "item" else None

    def place(self, node: _Open) -> None:
        """Nest a keyed node: a sibling of the open node of its kind, else a child of the innermost."""
        if node.kind == "heading" and node.marker is None:
            while self.stack and self.stack[-1].kind == "item":
                self.stack.pop()  # an unmarked heading closes every open item
        keys = [open_.key for open_ in self.stack]
        parent_key = _dotted_parent(node.key)
        if node.key in keys:
            del self.stack[keys.index(node.key) :]
        elif parent_key in keys:
            del self.stack[keys.index(parent_key) + 1 :]  # "7.1." nests under "7.", not under its bullets
        self.container().append(node)
        self.stack.append(node)

    def add_field(self, line: FieldLine) -> list[FieldLine]:
        """Attach a field line to its item, or to the group it serves once for all.

        After sub-points that have no such field, the line serves their parent:
        ``1. Giám sát ...`` / ``- point`` / ``- point`` / ``* Thời gian thực hiện: ...``.
        """
        item = self.open_item()
        if item is None:  # under a heading, before any item: a line for the whole group
            target = self.stack[-1].fields if self.stack else self.fields
            target.append(line.model_copy(update={"scope": "group"}))
            return target
        parent = self.stack[-2] if len(self.stack) > 1 else None
        siblings = [
            n for n in (parent.children if parent else self.nodes) if isinstance(n, _Open) and n is not item
        ]
        # Only leaf items like this one share a group line; a sibling that heads sub-items has its own.
        siblings = [n for n in siblings if n.kind == "item" and n.key == item.key and not n.children]
        if parent is not None and _points_of(item, parent, siblings, line.key):
            parent.fields.append(line)
            return parent.fields
        group_wide = (
            bool(siblings)
            and not any(f.key == line.key for f in item.fields)
            and all(not any(f.key == line.key for f in s.fields) for s in siblings)
            and (line.key != "time" or (parent is not None and parent.kind == "item"))
        )
        if not group_wide:
            item.fields.append(line)
            return item.fields
        target = parent.fields if parent else self.fields
        target.append(line.model_copy(update={"scope": "group"}))
        return target

    def freeze(self) -> Section:
        return Section(
            heading=self.heading,
            region=self.region,
            nodes=tuple(_frozen(n) for n in self.nodes),
            fields=tuple(self.fields),
        )


def paragraph_text(para: Para, extracted: str) -> Text:
    """A paragraph as a :class:`Text` mapped into the extracted text."""
    return _text(para, extracted)


def _text(para: Para, extracted: str, start: int = 0) -> Text:
    whole = Text(text=para.text, offsets=align(para.text, extracted, para.provs), provs=tuple(para.provs))
    return whole.slice(start) if start else whole


class _Builder:
    def __init__(self, source: str, extracted: str, ref_year: int | None) -> None:
        self.source = source
        self.extracted = extracted
        self.ref_year = ref_year
        self.sections: list[_SectionBuilder] = []
        self.appendices: list[_SectionBuilder] = []
        self.signature: list[Text] = []
        self.recipients: list[Text] = []
        self.section_key: str | None = None
        self.pending: tuple[list[FieldLine], FieldLine] | None = None
        # The columns of the last task table: a table continued after a page break or a
        # group line has no header of its own.
        self.columns: tuple[Column, ...] | None = None

    def current(self) -> _SectionBuilder:
        target = self.appendices if self.appendices else self.sections
        if not target:
            target.append(_SectionBuilder(None, "tasks"))
        return target[-1]

    def new_section(self, heading: Heading | None, region: Region, appendix: bool = False) -> None:
        (self.appendices if appendix or self.appendices else self.sections).append(
            _SectionBuilder(heading, region)
        )

    def table(self, rows: list[Para]) -> None:
        section = self.current()
        table = build_table(rows, self.extracted, self.columns)
        if table is None:
            return
        self.columns = table.columns
        while section.stack and section.stack[-1].kind == "item":
            section.stack.pop()
        section.container().append(table)

    def paragraph(self, para: Para) -> None:
        section = self.current()
        text = para.text
        parsed = markers.parse(text, para.marker)
        key = parsed.key
        if key is not None and (
            key == self.section_key or (self.section_key is None and key in ("roman", "upper"))
        ):
            self.section_key = key
            title = _text(para, self.extracted, parsed.offset)
            region = "appendix" if self.appendices else region_of_heading(title.text)
            self.new_section(Heading(marker=parsed.marker, title=title), region)
            return
        item = section.open_item()
        found = parse_field(text)
        if found is not None:
            line = FieldLine(
                label=found.label, key=found.key, value=_text(para, self.extracted, found.value_start)
            )
            target = section.add_field(line)
            self.pending = (target, line) if not line.value.text else None
            return
        if self.pending is not None and parsed.marker is not None and parsed.marker.kind in ("plus", "dash"):
            # "* Thời gian thực hiện:" with its value on the "+ Đợt 1: ..." lines below.
            target, line = self.pending
            value = Text(text=f"{line.value.text} {text}".strip(), provs=line.value.provs + tuple(para.provs))
            updated = line.model_copy(update={"value": value})
            target[target.index(line)] = updated
            self.pending = (target, updated)
            return
        self.pending = None
        if is_closing_statement(text) and not self.appendices:
            self.new_section(None, "closing")
            self.current().nodes.append(Paragraph(body=_text(para, self.extracted)))
            return
        period = None if parsed.marker else dates.parse_period_heading(text, ref_year=self.ref_year)
        if period is not None:
            section.place(_Open("heading", "period", None, _text(para, self.extracted)))
            return
        if parsed.marker is not None and key is not None:
            title = _text(para, self.extracted, parsed.offset)
            kind = "heading" if parsed.marker.kind == "star" and not parsed.marker.auto else "item"
            section.place(_Open(kind, key, parsed.marker, title))
            return
        if item is not None:
            item.body.append(_text(para, self.extracted))
            return
        section.container().append(Paragraph(body=_text(para, self.extracted)))


def _ends_preamble(para: Para, ref_year: int | None) -> bool:
    """Whether a paragraph after the title is past the grounds (``Căn cứ ...``) of the document."""
    if para.kind == "table_row" or is_signature(para.text):
        return True
    regions = _vocabulary()["regions"]
    if _starts(fold(para.text), regions["recipients"] + regions["appendix"]):
        return True
    if _preamble_line(para.text):
        return False
    marked = markers.parse(para.text, para.marker).marker is not None
    return marked or dates.parse_period_heading(para.text, ref_year=ref_year) is not None


def _preamble_end(body: list[Para], start: int, ref_year: int | None) -> int:
    """Where the preamble ends: at the first item, heading or table, or after ``... như sau:``."""
    end = start
    while end < len(body) and not _ends_preamble(body[end], ref_year):
        end += 1
        if _opens_tasks(body[end - 1].text):
            break
    return end


def build_document(
    paragraphs: list[Para], extracted: str, source: str, ref_year: int | None = None
) -> AdminDocument:
    """Lay out a document's paragraphs (footnotes dropped beforehand) as an :class:`AdminDocument`."""
    body = [p for p in paragraphs if p.role == "body"]
    header: list[Text] = [_text(p, extracted) for p in paragraphs if p.role == "header_table"]
    title_at = next((i for i, p in enumerate(body[:_TITLE_SPAN]) if _is_title(p.text)), None)
    start = 0
    title = None
    if title_at is not None:
        header.extend(_text(p, extracted) for p in body[:title_at])
        title = _text(body[title_at], extracted)
        start = title_at + 1
        while (
            start < len(body)
            and body[start].kind != "table_row"
            and body[start].text.isupper()
            and (markers.parse(body[start].text).marker is None)
        ):
            start += 1  # an upper-case title wrapped over lines
    end = _preamble_end(body, start, ref_year)
    preamble = [_text(p, extracted) for p in body[start:end]]
    start = end

    builder = _Builder(source, extracted, ref_year)
    regions = _vocabulary()["regions"]
    tail = "body"  # body | signature | recipients
    rows: list[Para] = []
    for para in body[start:]:
        if para.kind == "table_row" and tail == "body":
            if rows and rows[-1].provs[0].table != para.provs[0].table:
                builder.table(rows)
                rows = []
            rows.append(para)
            continue
        if rows:
            builder.table(rows)
            rows = []
        folded = fold(para.text)
        if _starts(folded, regions["appendix"]) and len(para.text) < 60:
            builder.new_section(Heading(title=_text(para, extracted)), "appendix", appendix=True)
            builder.section_key = None
            tail = "body"
            continue
        if _starts(folded, regions["recipients"]):
            tail = "recipients"
        elif tail == "body" and is_signature(para.text):
            tail = "signature"
        if tail == "signature":
            builder.signature.append(_text(para, extracted))
        elif tail == "recipients":
            builder.recipients.append(_text(para, extracted))
        else:
            builder.paragraph(para)
    if rows:
        builder.table(rows)
    return AdminDocument(
        source=source,
        header=tuple(header),
        title=title,
        preamble=tuple(preamble),
        sections=tuple(s.freeze() for s in builder.sections),
        signature=tuple(builder.signature),
        recipients=tuple(builder.recipients),
        appendices=tuple(s.freeze() for s in builder.appendices),
    )
