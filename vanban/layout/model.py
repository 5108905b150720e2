"""The administrative-document model between extracted blocks and records.

Shaped by the genre's fixed form (Nghị định 30/2020/NĐ-CP: header, title,
căn cứ, body, closing, signature, nơi nhận, phụ lục). Every piece of text is a
:class:`Text` that knows, character by character, where it sits in the
extracted text (``RawDocument.text``), so any span of it maps back exactly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vanban.schemas.blocks import Provenance

Region = Literal["preamble", "tasks", "closing", "targets", "no_tasks", "appendix"]
MarkerKind = Literal[
    "roman", "upper", "number", "paren", "letter", "dash", "plus", "bullet", "star", "auto", "phase"
]
ColumnRole = Literal[
    "number", "content", "lead", "support", "time", "day", "place", "person", "note", "other"
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Text(_Frozen):
    """Text with an offset map: ``offsets[i]`` is where character ``i`` sits in the extracted text.

    Characters a cleaning step inserted (a space put back between glued
    syllables) map to the extracted character that follows them.
    """

    text: str
    offsets: tuple[int, ...] = ()
    provs: tuple[Provenance, ...] = ()

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """The extracted-text span of ``text[start:end]`` (None when the text has no map)."""
        end = len(self.text) if end is None else end
        if not self.offsets or start >= end:
            return None
        return self.offsets[start], self.offsets[end - 1] + 1

    def provenance(self, start: int = 0, end: int | None = None) -> Provenance:
        """Provenance of ``text[start:end]``: the line it starts on and its exact span."""
        first = self.provs[0] if self.provs else Provenance(source="")
        span = self.span(start, end)
        if span is None:
            return first
        line = next(
            (p for p in self.provs if p.start is not None and p.start <= span[0] < (p.end or 0) + 1), first
        )
        return line.model_copy(update={"start": span[0], "end": span[1]})

    def strip(self) -> Text:
        """Without leading and trailing whitespace."""
        start = len(self.text) - len(self.text.lstrip())
        return self.slice(start, len(self.text.rstrip()))

    @classmethod
    def join(cls, parts: list[Text], sep: str = " ") -> Text:
        """Parts joined (each stripped, empty ones left out); a separator maps to the next part's start."""
        texts: list[str] = []
        offsets: list[int] = []
        provs: list[Provenance] = []
        for part in (p.strip() for p in parts):
            if not part.text:
                continue
            if texts:
                texts.append(sep)
                offsets.extend([part.offsets[0]] * len(sep) if part.offsets else [])
            texts.append(part.text)
            offsets.extend(part.offsets)
            provs.extend(p for p in part.provs if p not in provs)
        text = "".join(texts)
        return cls(text=text, offsets=tuple(offsets) if len(offsets) == len(text) else (), provs=tuple(provs))

    def slice(self, start: int, end: int | None = None) -> Text:
        """The part ``text[start:end]`` with its own offsets."""
        end = len(self.text) if end is None else end
        return Text(text=self.text[start:end], offsets=self.offsets[start:end], provs=self.provs)


class Marker(_Frozen):
    """An item marker: ``I.``, ``A.``, ``1.``, ``1.1.``, ``(1)``, ``a)``, ``-``, ``+``, ``•``, ``*``, Word numbering."""

    kind: MarkerKind
    label: str = ""
    depth: int = 0
    auto: bool = False


class FieldLine(_Frozen):
    """A ``label: value`` line under an item (``Cơ quan chủ trì: Phòng Kinh tế``)."""

    label: str
    key: str  # lead, support, lead_support, time, other
    value: Text
    # "group": one line after a group of items that have none, serving them all; "item": its own.
    scope: Literal["item", "group"] = "item"


class Heading(_Frozen):
    """A heading that is no item: a section title or a period (``Tháng 10/2026``, ``Tuần 3 (...)``)."""

    kind: Literal["heading"] = "heading"
    marker: Marker | None = None
    title: Text
    fields: tuple[FieldLine, ...] = ()
    children: tuple[Node, ...] = ()


class Item(_Frozen):
    """A numbered or bulleted item with its continuation lines, field lines and sub-items."""

    kind: Literal["item"] = "item"
    marker: Marker | None = None
    title: Text
    body: tuple[Text, ...] = ()  # continuation paragraphs
    fields: tuple[FieldLine, ...] = ()
    children: tuple[Node, ...] = ()


class Paragraph(_Frozen):
    """Running text that belongs to no item."""

    kind: Literal["text"] = "text"
    body: Text


class Cell(_Frozen):
    text: Text
    col_span: int = 1
    carried: bool = False  # the text of a vertically merged cell above, repeated on this row


class Column(_Frozen):
    label: str
    role: ColumnRole


class Row(_Frozen):
    cells: tuple[Cell, ...]
    group: Text | None = None  # a row merged across the table ("A. LĨNH VỰC KINH TẾ", "Tuần 3 ...")

    def text(self, index: int) -> str:
        return self.cells[index].text.text if index < len(self.cells) else ""


class Table(_Frozen):
    kind: Literal["table"] = "table"
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def role_indexes(self, role: ColumnRole) -> list[int]:
        return [i for i, column in enumerate(self.columns) if column.role == role]


Node = Heading | Item | Paragraph | Table


class Section(_Frozen):
    """A part of the body under one top-level heading (``I. ...``), or the body before any."""

    heading: Heading | None = None
    region: Region = "tasks"
    nodes: tuple[Node, ...] = ()
    fields: tuple[FieldLine, ...] = ()


class AdminDocument(_Frozen):
    """A whole administrative document."""

    source: str
    header: tuple[Text, ...] = ()
    title: Text | None = None
    preamble: tuple[Text, ...] = ()
    sections: tuple[Section, ...] = ()
    signature: tuple[Text, ...] = ()
    recipients: tuple[Text, ...] = ()
    appendices: tuple[Section, ...] = ()
    footnotes: tuple[Text, ...] = Field(default_factory=tuple)


Heading.model_rebuild()
Item.model_rebuild()
