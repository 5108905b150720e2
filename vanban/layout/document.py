"""Paragraphs to an :class:`AdminDocument`: parts, sections (with their outline), tables.

The parts follow the genre's form: header and title, the preamble (``Căn cứ``,
``Thực hiện``, up to ``... như sau:``), body sections under top-level headings,
a closing statement, signature, ``Nơi nhận`` and appendices (``PHỤ LỤC``).
Inside a section, items nest by the marker kinds the document uses
(:mod:`vanban.layout.markers`); unmarked lines continue the open item; field
lines attach to their item, or to the group when one line serves a group of
items that have none of their own.
"""

from __future__ import annotations

import re

from vanban.layout import markers
from vanban.layout.fields import parse_fields
from vanban.layout.model import (
    AdminDocument,
    Column,
    FieldLine,
    Heading,
    Paragraph,
    Region,
    Text,
)
from vanban.layout.offsets import align
from vanban.layout.outline import OpenNode, SectionOutline
from vanban.layout.paragraphs import Paragraph as Para
from vanban.layout.regions import (
    is_closing_statement,
    is_signature,
    is_title,
    opens_tasks,
    preamble_line,
    region_of_heading,
    starts,
    vocabulary,
)
from vanban.layout.tables import build_table
from vanban.normalizers import dates
from vanban.normalizers.text import fold

_TITLE_SPAN = 25


def paragraph_text(para: Para, extracted: str) -> Text:
    """A paragraph as a :class:`Text` mapped into the extracted text."""
    return _text(para, extracted)


def _text(para: Para, extracted: str, start: int = 0) -> Text:
    if para.aligned is None or para.aligned.text != para.text:
        offsets = align(para.text, extracted, para.provs)
        para.aligned = Text(text=para.text, offsets=offsets, provs=tuple(para.provs))
    return para.aligned.slice(start) if start else para.aligned


class _Builder:
    def __init__(self, source: str, extracted: str, ref_year: int | None) -> None:
        self.source = source
        self.extracted = extracted
        self.ref_year = ref_year
        self.sections: list[SectionOutline] = []
        self.appendices: list[SectionOutline] = []
        self.signature: list[Text] = []
        self.recipients: list[Text] = []
        self.section_key: str | None = None
        self.pending: tuple[list[FieldLine], FieldLine] | None = None
        # The columns of the last task table: a table continued after a page break or a
        # group line has no header of its own.
        self.columns: tuple[Column, ...] | None = None

    def current(self) -> SectionOutline:
        target = self.appendices if self.appendices else self.sections
        if not target:
            target.append(SectionOutline(None, "tasks"))
        return target[-1]

    def new_section(self, heading: Heading | None, region: Region, appendix: bool = False) -> None:
        (self.appendices if appendix or self.appendices else self.sections).append(
            SectionOutline(heading, region)
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
        fields = parse_fields(text)
        if fields:
            for found in fields:
                value = _text(para, self.extracted, found.value_start)
                if found.value_end is not None:
                    value = value.slice(0, found.value_end - found.value_start)
                target = section.add_field(FieldLine(label=found.label, key=found.key, value=value))
            # The line as stored (its scope set): its value may go on below.
            self.pending = (target, target[-1]) if not target[-1].value.text else None
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
            section.place(OpenNode("heading", "period", None, _text(para, self.extracted)))
            return
        if parsed.marker is not None and key is not None:
            title = _text(para, self.extracted, parsed.offset)
            star_heading = parsed.marker.kind == "star" and not parsed.marker.auto
            kind = "heading" if star_heading and reads_as_heading(title.text) else "item"
            section.place(OpenNode(kind, key, parsed.marker, title))
            return
        if item is not None:
            item.body.append(_text(para, self.extracted))
            return
        section.container().append(Paragraph(body=_text(para, self.extracted)))


# A heading's words, once a parenthetical note ("(02 cuộc kiểm tra)") is set aside.
_HEADING_WORDS = 8
_PARENTHETICAL = re.compile(r"\([^()]*\)")


def reads_as_heading(text: str) -> bool:
    """Whether a ``*`` line names a group (``* Nhiệm vụ trọng tâm``, ``* Năm 2026: (02 cuộc)``), not a task.

    A ``*`` line is a heading in most documents, but a schedule puts whole tasks
    on them: ``* Thứ Hai, 05/01: Chào cờ đầu tháng ... (Văn phòng chuẩn bị).`` A
    heading is a few words, with nothing after its label but a note.
    """
    _label, colon, rest = text.partition(":")
    if colon and _PARENTHETICAL.sub("", rest).strip(" .;") == "":
        return True
    return len(_PARENTHETICAL.sub("", text).split()) <= _HEADING_WORDS


def _ends_preamble(para: Para, ref_year: int | None) -> bool:
    """Whether a paragraph after the title is past the grounds (``Căn cứ ...``) of the document."""
    if para.kind == "table_row" or is_signature(para.text):
        return True
    regions = vocabulary()["regions"]
    if starts(fold(para.text), regions["recipients"] + regions["appendix"]):
        return True
    if preamble_line(para.text):
        return False
    marked = markers.parse(para.text, para.marker).marker is not None
    return marked or dates.parse_period_heading(para.text, ref_year=ref_year) is not None


def _preamble_end(body: list[Para], start: int, ref_year: int | None) -> int:
    """Where the preamble ends: at the first item, heading or table, or after ``... như sau:``."""
    end = start
    while end < len(body) and not _ends_preamble(body[end], ref_year):
        end += 1
        if opens_tasks(body[end - 1].text):
            break
    return end


def build_document(
    paragraphs: list[Para],
    extracted: str,
    source: str,
    ref_year: int | None = None,
    *,
    notes: list[Para] | None = None,
) -> AdminDocument:
    """Lay out a document's paragraphs as an :class:`AdminDocument`; its footnotes (``notes``) stand apart."""
    body = [p for p in paragraphs if p.role == "body"]
    header: list[Text] = [_text(p, extracted) for p in paragraphs if p.role == "header_table"]
    title_at = next((i for i, p in enumerate(body[:_TITLE_SPAN]) if is_title(p.text)), None)
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
    regions = vocabulary()["regions"]
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
        if starts(folded, regions["appendix"]) and len(para.text) < 60:
            builder.new_section(Heading(title=_text(para, extracted)), "appendix", appendix=True)
            builder.section_key = None
            tail = "body"
            continue
        if starts(folded, regions["recipients"]):
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
        footnotes=tuple(_text(n, extracted) for n in notes or ()),
    )
