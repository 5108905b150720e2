"""Logical paragraphs: extracted lines joined where a hard-wrapped layer broke them.

A line continues the previous one unless that one was closed (sentence end,
short line, upper-case heading) or the line opens with an item marker or a
field label (the one marker grammar of :mod:`vanban.layout.markers`, the field
vocabulary of :mod:`vanban.layout.fields`).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from vanban.layout import markers
from vanban.layout.fields import parse_field
from vanban.layout.model import Text
from vanban.normalizers.text import clean_line, is_signature_stamp, repair_spacing
from vanban.schemas.blocks import Block, Provenance

_TERMINAL = tuple(".;:!?…")
# A line drawn with characters under the header or the title: "-----------", "______".
_RULE = re.compile(r"^[-–—_=.*~\s]{3,}$")
# A symbol or range broken after its hyphen: "68-" / "NQ/TW", "156/KH-" / "UBND".
_BROKEN_SYMBOL = re.compile(r"(?:\d|\d/[A-ZĐa-zđ]{1,8})-$")
_POINTS = ("dash", "plus", "bullet")


@dataclass
class Paragraph:
    """A logical paragraph: wrapped lines joined, with the blocks it came from."""

    text: str
    kind: str = "paragraph"
    cells: list[str] = field(default_factory=list)
    marker: str | None = None
    role: str = "body"
    provs: list[Provenance] = field(default_factory=list)
    carried: list[bool] = field(default_factory=list)
    # The text mapped into the extracted text, computed once (the layout and the reference
    # finder both need it); recomputed if the text has changed since.
    aligned: Text | None = field(default=None, repr=False, compare=False)
    # The same for the cells of a table row (the table builder and the reference finder).
    aligned_cells: list[Text] | None = field(default=None, repr=False, compare=False)

    @property
    def provenance(self) -> Provenance:
        """Provenance of the first line, with the span widened to the last line."""
        first, last = self.provs[0], self.provs[-1]
        return first.model_copy(update={"end": last.end if last.end is not None else first.end})


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Whether physical lines break inside sentences (wrapped PDF text pasted as text).

    Wrapped text has many long lines that end without closing punctuation.
    """
    long_lines = [line for line in lines if len(line) >= 50]
    if len(long_lines) < 5:
        return False
    open_ended = sum(1 for line in long_lines if not line.rstrip().endswith(_TERMINAL))
    return open_ended / len(long_lines) >= 0.4


def _marker(line: str) -> markers.Parsed | None:
    """The marker a line opens with, when a space follows it (``-NQ/TW`` is a broken symbol)."""
    parsed = markers.parse(line)
    if parsed.marker is None or parsed.offset == 0 or not line[parsed.offset - 1].isspace():
        return None
    return parsed


def starts_new_paragraph(line: str) -> bool:
    """Whether a line opens with a bullet, an item/section number or a field label (``Thời gian: ...``)."""
    return _marker(line) is not None or parse_field(line) is not None


def _closed(text: str, width: float) -> bool:
    """A line ends its paragraph when it ends a sentence or stops short of the margin."""
    stripped = text.rstrip()
    if _BROKEN_SYMBOL.search(stripped):
        return False  # a symbol or range broken after its hyphen ("68-" / "NQ/TW")
    if stripped.endswith(_TERMINAL):
        return True
    return len(stripped) < 0.7 * width or stripped.isupper()


def _open_parenthesis(text: str) -> bool:
    return text.count("(") > text.count(")")


def join_wrapped(left: str, right: str) -> str:
    """Two wrapped lines as one: a space between, none after a symbol broken at its hyphen."""
    # A symbol or range broken after its hyphen ("68-" / "NQ/TW") joins without a space.
    if _BROKEN_SYMBOL.search(left):
        return left + right
    return f"{left} {right}"


def _is_point(line: str) -> bool:
    parsed = _marker(line)
    return parsed is not None and parsed.marker is not None and parsed.marker.kind in _POINTS


def _prepared(text: str) -> str:
    """A line as paragraphs use it: cleaned, spaces repaired, signature stamps and rules dropped."""
    line = clean_line(text)
    return "" if is_signature_stamp(line) or _RULE.match(line) else repair_spacing(line)


def to_paragraphs(blocks: list[Block], *, hard_wrapped: bool | None) -> list[Paragraph]:
    """Turn extracted blocks into logical paragraphs.

    Table rows and DOCX paragraphs pass through one to one. In hard-wrapped text
    a line continues the previous one unless that one was closed (sentence end,
    short line, upper-case heading) or the line opens with an item marker; a
    marker inside an open parenthesis, or after a line that ran to the margin
    mid-phrase, is a wrapped continuation (``(phòng Văn hóa`` / ``- Xã hội chuẩn bị)``).
    """
    body = [b for b in blocks if b.role != "footnote"]
    lines = [_prepared(b.display_text) for b in body]
    if hard_wrapped is None:
        hard_wrapped = looks_hard_wrapped(
            [line for b, line in zip(body, lines, strict=True) if b.kind != "table_row"]
        )
    text_lengths = [len(line) for b, line in zip(body, lines, strict=True) if b.kind != "table_row" and line]
    width = statistics.quantiles(text_lengths, n=4)[2] if len(text_lengths) >= 4 else 80.0

    # Blank lines mark paragraphs only where they are not between every line (double spacing).
    text_blocks = [b for b in body if b.kind != "table_row"]
    spaced_paragraphs = sum(b.break_before for b in text_blocks) < 0.5 * max(len(text_blocks), 1)

    paragraphs: list[Paragraph] = []
    for block, line in zip(body, lines, strict=True):
        if not line:
            continue
        if block.kind == "table_row":
            cells = [repair_spacing(clean_line(c)) for c in block.cells]
            paragraphs.append(
                Paragraph(
                    text=line,
                    kind="table_row",
                    cells=cells,
                    role=block.role,
                    provs=[block.prov],
                    carried=list(block.carried),
                )
            )
            continue
        prev = paragraphs[-1] if paragraphs else None
        if hard_wrapped and prev is not None and prev.kind != "table_row" and prev.role == block.role:
            marker = starts_new_paragraph(line)
            inside = _open_parenthesis(prev.text)
            # A blank line ends a paragraph, unless a page break falls there (an item goes on) or
            # the line after it does not open a sentence ("... năm 2026 so" / "" / "với năm 2025 ...").
            blank = (
                spaced_paragraphs
                and block.break_before
                and block.prov.page == prev.provs[-1].page
                and line[:1].isupper()
            )
            closed = _closed(prev.text, width)
            # An upper-case line under a mixed-case one is a heading or title ("KẾ HOẠCH").
            heading = line.isupper() and " " in line.strip() and not prev.text.isupper()
            if (
                not blank
                and not heading
                and ((not marker and not closed) or (marker and (inside or (_is_point(line) and not closed))))
            ):
                prev.text = join_wrapped(prev.text, line)
                prev.provs.append(block.prov)
                continue
        kind = "list_item" if block.marker else block.kind
        marker = clean_line(block.marker) if block.marker else None
        paragraphs.append(
            Paragraph(
                text=_prepared(block.text) if marker else line,
                kind=kind,
                marker=marker,
                role=block.role,
                provs=[block.prov],
            )
        )
    return paragraphs


def footnotes(blocks: list[Block]) -> list[Paragraph]:
    """The footnotes of a document (Word footnotes, small-print lines at a PDF page's foot), one paragraph each."""
    return [
        Paragraph(text=_prepared(b.text), role="footnote", provs=[b.prov])
        for b in blocks
        if b.role == "footnote" and _prepared(b.text)
    ]
