"""Plain-text renderings: typed TXT layouts and a pdftotext-style text layer with page furniture.

Each ``*_lines`` function returns the document as a list of lines; ``paragraphs`` variants return
the same content as paragraphs (one string per paragraph, with a style tag) for the hard-wrapping
renderer and for the DOCX renderers, which share the item texts.
"""

from __future__ import annotations

from .content import MONTHS, Task, When, tasks_of, written
from .document import (
    MOTTO_LINES,
    RECIPIENTS,
    SIGNATURE,
    Kind,
    header_lines,
    preamble_lines,
)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
ALPHA = "abcdefghiklmnopqrstuvxy"


# -- how one item is written ---------------------------------------------------------------------


def parenthetical(task: Task) -> str:
    """'(Phòng X chủ trì, phối hợp Y)': the trailing assignment of bullet layouts."""
    lead = written(task.lead)
    if not task.support:
        return f"({lead} {task.lead_word})"
    return f"({lead} {task.lead_word}, phối hợp {written(task.support)})"


def bullet_item(task: Task) -> str:
    return f"{task.text}{task.when.clause()} {parenthetical(task)}."


def assignment_sentence(task: Task) -> str:
    """'Giao Phòng X chủ trì; Y phối hợp.': the closing sentence of a) items."""
    lead = written(task.lead)
    if not task.support:
        return f"Giao {lead} {task.lead_word} thực hiện."
    return f"Giao {lead} {task.lead_word}; {written(task.support)} phối hợp."


def field_lines(task: Task, *, short: bool = False) -> list[str]:
    lines = [f"Cơ quan chủ trì: {written(task.lead, short=short)}"]
    if task.support:
        lines.append(f"Cơ quan phối hợp: {written(task.support, short=short)}")
    lines.append(f"Thời gian hoàn thành: {task.when.cell()}")
    return lines


def month_heading(month: int | None, style: str) -> str:
    if month is None:
        return {"upper": "NHIỆM VỤ THƯỜNG XUYÊN"}.get(style, "Nhiệm vụ thường xuyên")
    if style == "upper":
        return f"THÁNG {month}/2026"
    if style == "words":
        return f"Tháng {month} năm 2026"
    return f"Tháng {month}/2026"


PERIODS: tuple[int | None, ...] = (*MONTHS, None)


# -- the frame -----------------------------------------------------------------------------------


def frame_head(kind: Kind) -> list[str]:
    return [*header_lines(kind), *kind.title, *preamble_lines(kind)]


def frame_tail(kind: Kind, closing_heading: str) -> list[str]:
    return [closing_heading, *kind.closing, *RECIPIENTS, *SIGNATURE]


# -- typed TXT layouts ---------------------------------------------------------------------------


def bullets_lines(kind: Kind) -> list[str]:
    """Layout 1: '- text, time (Phòng X chủ trì, phối hợp Y).' under '1. Tháng 10/2026' headings."""
    lines = [*frame_head(kind), "I. NỘI DUNG CÔNG TÁC"]
    for n, period in enumerate(PERIODS, 1):
        lines.append(f"{n}. {month_heading(period, 'plain')}")
        lines += [f"- {bullet_item(t)}" for t in tasks_of(period)]
    return lines + frame_tail(kind, "II. TỔ CHỨC THỰC HIỆN")


def numbered_fields_lines(kind: Kind) -> list[str]:
    """Layout 2 (typed): '1. text' then 'Cơ quan chủ trì: ...' field lines, under 'I. THÁNG 10/2026'."""
    lines = frame_head(kind)
    for n, period in enumerate(PERIODS):
        lines.append(f"{ROMAN[n]}. {month_heading(period, 'upper')}")
        for i, t in enumerate(tasks_of(period), 1):
            lines.append(f"{i}. {t.text}.")
            lines += field_lines(t)
    return lines + frame_tail(kind, f"{ROMAN[len(PERIODS)]}. TỔ CHỨC THỰC HIỆN")


def alpha_assign_lines(kind: Kind) -> list[str]:
    """Layout 3: 'a) text, time. Giao Phòng X chủ trì; Y phối hợp.' under '1. Tháng 10 năm 2026'."""
    lines = [*frame_head(kind), "I. NHIỆM VỤ CỤ THỂ"]
    for n, period in enumerate(PERIODS, 1):
        lines.append(f"{n}. {month_heading(period, 'words')}")
        for i, t in enumerate(tasks_of(period)):
            lines.append(f"{ALPHA[i]}) {t.text}{t.when.clause()}. {assignment_sentence(t)}")
    return lines + frame_tail(kind, "II. TỔ CHỨC THỰC HIỆN")


def monthly_lines(kind: Kind) -> list[str]:
    """A monthly program: the month is only in the title ('THÁNG 10 NĂM 2026'); no month heading."""
    lines = [*frame_head(kind), "I. NHIỆM VỤ TRỌNG TÂM"]
    lines += [f"{i}. {bullet_item(t)}" for i, t in enumerate(tasks_of(10), 1)]
    return lines + frame_tail(kind, "II. TỔ CHỨC THỰC HIỆN")


# -- pdftotext-style text layer -------------------------------------------------------------------


def _words(text: str, breaks: tuple[str, ...]) -> list[str]:
    """Words of a paragraph; '\\n' marks a forced line break before each of ``breaks`` (first match)."""
    words = text.split()
    for token in breaks:
        first = token.split()[0]
        rest = token.split()[1:]
        for i, w in enumerate(words):
            if w == first and words[i + 1 : i + 1 + len(rest)] == rest:
                words[i:i] = ["\n"]
                break
            if w != first and w.endswith(first) and not rest:
                # a symbol broken inside: '57-' at a line end, 'NQ/TW' on the next line
                words[i : i + 1] = [w[: -len(first)], "\n", first]
                break
    return words


def _greedy(words: list[str], width: int) -> list[str]:
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def hard_wrap(text: str, width: int, breaks: tuple[str, ...] = ()) -> list[str]:
    """Wrap like a justified PDF line: a forced break still falls where a line is (nearly) full.

    Proportional fonts give lines of a few per cent more or fewer characters, so the measure of
    the lines before a forced break may vary by -12 %..+6 % until the last of them is full.
    """
    words = _words(text, breaks)
    lines: list[str] = []
    while "\n" in words:
        cut = words.index("\n")
        head, words = words[:cut], words[cut + 1 :]
        measures = [*range(width, int(width * 0.88), -1), *range(width + 1, int(width * 1.06) + 1)]
        chunk = _greedy(head, width)
        for w in measures:
            trial = _greedy(head, w)
            if len(trial[-1]) >= 0.86 * w:
                chunk = trial
                break
        lines += chunk
    return lines + _greedy(words, width)


def _justify(line: str, width: int) -> str:
    """pdftotext -layout renders justified text with runs of spaces between words."""
    words = line.split(" ")
    gaps = len(words) - 1
    if gaps <= 0 or len(line) >= width:
        return line
    extra = width - len(line)
    out = []
    for i, w in enumerate(words[:-1]):
        out.append(w + " " * (1 + extra // gaps + (1 if i < extra % gaps else 0)))
    return "".join(out) + words[-1]


def pdftotext_pages(
    paragraphs: list[tuple[str, str, tuple[str, ...]]],
    *,
    width: int = 86,
    lines_per_page: int = 44,
    layout_mode: bool = False,
    page_number: str = "dash",  # dash: '- 2 -' atop pages 2+; trang: 'Trang 2' at the foot of each page
    running_header: str | None = None,
    head_columns: tuple[list[str], list[str]] | None = None,
) -> str:
    """A text layer as pdftotext writes it: hard-wrapped lines, page furniture, form feeds.

    ``paragraphs`` are (style, text, forced breaks); style ``center`` lines are not wrapped,
    ``para`` and ``item`` are wrapped (``item`` is a list item: no first-line indent).
    """
    body: list[tuple[str, bool]] = []  # (line, last line of its paragraph)
    if head_columns:
        left, right = head_columns
        for i in range(max(len(left), len(right))):
            a = left[i] if i < len(left) else ""
            b = right[i] if i < len(right) else ""
            body.append((f"  {a:<38}{b}".rstrip(), True))
    for style, text, breaks in paragraphs:
        if style == "center":
            body.append(((" " * max(0, (width - len(text)) // 2) + text) if layout_mode else text, True))
            continue
        indent = 6 if style == "para" else 0
        wrapped = hard_wrap(" " * 0 + text, width - indent, breaks)
        for i, line in enumerate(wrapped):
            last = i == len(wrapped) - 1
            if layout_mode:
                if not last:
                    line = _justify(line, width - (indent if i == 0 else 0))
                line = "    " + (" " * indent if i == 0 else "") + line
            body.append((line, last))

    pages: list[list[str]] = []
    size = lines_per_page
    for start in range(0, len(body), size):
        pages.append([line for line, _ in body[start : start + size]])
    out = []
    for n, page in enumerate(pages, 1):
        lines = []
        if n > 1 and page_number == "dash":
            lines.append(" " * (width // 2 - 3) + f"- {n} -" if layout_mode else f"- {n} -")
        if n > 1 and running_header:
            lines.append(running_header)
        lines += page
        if page_number == "trang":
            lines.append(("" if not layout_mode else " " * (width - 8)) + f"Trang {n}")
        out.append("\n".join(lines) + "\n")
    return "\f".join(out)


def program_paragraphs(kind: Kind, style: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """The program as paragraphs for hard wrapping: ``bullets`` (layout 1) or ``fields`` (layout 2)."""
    paras: list[tuple[str, str, tuple[str, ...]]] = []
    paras += [("center", line, ()) for line in kind.title]
    paras += [("para", line, ()) for line in preamble_lines(kind)]
    if style == "bullets":
        paras.append(("item", "I. NỘI DUNG CÔNG TÁC", ()))
        for n, period in enumerate(PERIODS, 1):
            paras.append(("item", f"{n}. {month_heading(period, 'plain')}", ()))
            paras += [("para", f"- {bullet_item(t)}", t.wrap_before) for t in tasks_of(period)]
        closing = "II. TỔ CHỨC THỰC HIỆN"
    else:
        for n, period in enumerate(PERIODS):
            paras.append(("item", f"{ROMAN[n]}. {month_heading(period, 'upper')}", ()))
            for i, t in enumerate(tasks_of(period), 1):
                paras.append(("para", f"{i}. {t.text}.", t.wrap_before))
                paras += [("item", line, ()) for line in field_lines(t)]
        closing = f"{ROMAN[len(PERIODS)]}. TỔ CHỨC THỰC HIỆN"
    paras.append(("item", closing, ()))
    paras += [("para", line, ()) for line in kind.closing]
    paras += [("item", line, ()) for line in RECIPIENTS]
    paras += [("center", line, ()) for line in SIGNATURE]
    return paras


def pdftotext_text(
    kind: Kind, style: str, *, layout_mode: bool, page_number: str, running_header=None
) -> str:
    paras = program_paragraphs(kind, style)
    if layout_mode:
        left = ["ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG GAI", "", kind.number]
        right = [MOTTO_LINES[0], "    " + MOTTO_LINES[1], "", kind.place_date]
        return pdftotext_pages(
            paras,
            layout_mode=True,
            page_number=page_number,
            running_header=running_header,
            head_columns=(left, right),
        )
    head = [("center", line, ()) for line in header_lines(kind)]
    return pdftotext_pages(head + paras, page_number=page_number, running_header=running_header)


__all__ = [
    "When",
    "alpha_assign_lines",
    "bullets_lines",
    "monthly_lines",
    "numbered_fields_lines",
    "pdftotext_text",
]
