"""Text cleanup: NFC, markup and whitespace, tone-placement folding, wrapped lines.

Outputs keep the document's own spelling; :func:`fold` exists for matching only.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from vanban.schemas.blocks import Block, Provenance

# Old-style tone placement (hoà, uỷ) -> new style (hòa, ủy), for matching only.
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_OLD_TONE_RE = re.compile("|".join(_OLD_TONES), re.IGNORECASE)
# 'qu' + tone on y is correct either way (quý, quỹ): do not refold after q.
_Q_GUARD = re.compile(r"(?<=q)")

_TAGS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub)>", re.IGNORECASE)
# Markdown emphasis around words; a lone leading "* " is a bullet and stays.
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u202f\u3000]+")
_TERMINAL = tuple(".;:!?…")

# Markers that open a new paragraph in wrapped text.
_BULLET = re.compile(r"^[-–•+]\s+")
_NUMBERED = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})*[.)]|[IVX]{1,5}[.\-–]|[A-D]\.)\s")


def nfc(text: str) -> str:
    """Unicode NFC composition (decomposed input is common in copied text)."""
    return unicodedata.normalize("NFC", text)


_LEADING_STARS = re.compile(r"^[*\s]+(?=\S)")


def clean_line(text: str) -> str:
    """NFC, without inline HTML/Markdown emphasis, whitespace collapsed.

    A leading star that is a bullet (``* Nhiệm vụ``, ``*** Nhiệm vụ**``: a bullet
    plus bold) stays as ``* ``; stars that only mark emphasis go.
    """
    text = nfc(text)
    text = _TAGS.sub("", text)
    bullet = ""
    lead = _LEADING_STARS.match(text)
    if lead and "*" in lead.group(0) and (" " in lead.group(0) or lead.group(0).count("*") % 2):
        bullet, text = "* ", text[lead.end() :]
    text = bullet + _EMPHASIS.sub("", text)
    text = text.replace("\u00ad", "")
    return _SPACES.sub(" ", text).strip()


def fold_tones(text: str) -> str:
    """Rewrite old-style tone placement (``uỷ``, ``hoà``) in new style, case kept."""

    def swap(match: re.Match[str]) -> str:
        start = match.start()
        if start > 0 and match.string[start - 1] in "qQ":
            return match.group(0)
        old = match.group(0)
        new = _OLD_TONES[old.lower()]
        return new.upper() if old.isupper() else (new[0].upper() + new[1:] if old[0].isupper() else new)

    return _OLD_TONE_RE.sub(swap, text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching key: NFC, new tone placement, lower case, dashes unified, spaces collapsed."""
    text = fold_tones(nfc(text)).lower()
    text = re.sub(r"[–—‐-]", "-", text)
    return _SPACES.sub(" ", text).strip()


def strip_marks(text: str) -> str:
    """ASCII skeleton without diacritics (đ -> d), for loose comparisons."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


@dataclass
class Paragraph:
    """A logical paragraph: wrapped lines joined, with the blocks it came from."""

    text: str
    kind: str = "paragraph"
    cells: list[str] = field(default_factory=list)
    marker: str | None = None
    role: str = "body"
    provs: list[Provenance] = field(default_factory=list)

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


def starts_new_paragraph(line: str) -> bool:
    """Whether a line opens with a bullet or an item/section number."""
    return bool(_BULLET.match(line) or _NUMBERED.match(line))


def _closed(text: str, width: float) -> bool:
    """A line ends its paragraph when it ends a sentence or stops short of the margin."""
    stripped = text.rstrip()
    if re.search(r"\d-$", stripped):
        return False  # a symbol or range broken after its hyphen ("68-" / "NQ/TW")
    if stripped.endswith(_TERMINAL):
        return True
    return len(stripped) < 0.7 * width or stripped.isupper()


def _open_parenthesis(text: str) -> bool:
    return text.count("(") > text.count(")")


def _join(left: str, right: str) -> str:
    # A symbol or range broken after its hyphen ("68-" / "NQ/TW") joins without a space.
    if re.search(r"\d-$", left):
        return left + right
    return f"{left} {right}"


def to_paragraphs(blocks: list[Block], *, hard_wrapped: bool | None) -> list[Paragraph]:
    """Turn extracted blocks into logical paragraphs.

    Table rows and DOCX paragraphs pass through one to one. In hard-wrapped text
    a line continues the previous one unless that one was closed (sentence end,
    short line, upper-case heading) or the line opens with an item marker; a
    marker inside an open parenthesis, or after a line that ran to the margin
    mid-phrase, is a wrapped continuation (``(phòng Văn hóa`` / ``- Xã hội chuẩn bị)``).
    """
    body = [b for b in blocks if b.role != "footnote"]
    lines = [clean_line(b.display_text) for b in body]
    if hard_wrapped is None:
        hard_wrapped = looks_hard_wrapped(
            [line for b, line in zip(body, lines, strict=True) if b.kind != "table_row"]
        )
    text_lengths = [len(line) for b, line in zip(body, lines, strict=True) if b.kind != "table_row" and line]
    width = statistics.quantiles(text_lengths, n=4)[2] if len(text_lengths) >= 4 else 80.0

    paragraphs: list[Paragraph] = []
    for block, line in zip(body, lines, strict=True):
        if not line:
            continue
        if block.kind == "table_row":
            cells = [clean_line(c) for c in block.cells]
            paragraphs.append(
                Paragraph(text=line, kind="table_row", cells=cells, role=block.role, provs=[block.prov])
            )
            continue
        prev = paragraphs[-1] if paragraphs else None
        if hard_wrapped and prev is not None and prev.kind != "table_row" and prev.role == block.role:
            marker = starts_new_paragraph(line)
            inside = _open_parenthesis(prev.text)
            if (not marker and not _closed(prev.text, width)) or (
                marker and _BULLET.match(line) and (inside or not _closed(prev.text, width))
            ):
                prev.text = _join(prev.text, line)
                prev.provs.append(block.prov)
                continue
        kind = "list_item" if block.marker else block.kind
        marker = clean_line(block.marker) if block.marker else None
        paragraphs.append(
            Paragraph(
                text=clean_line(block.text) if marker else line,
                kind=kind,
                marker=marker,
                role=block.role,
                provs=[block.prov],
            )
        )
    return paragraphs
