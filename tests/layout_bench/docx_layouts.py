"""DOCX renderings (python-docx): Word numbering, tables with merged cells, a landscape appendix.

The documents look like Word files of the genre: A4, Times New Roman 13 pt, a borderless
two-column header table (issuer and number left, motto and date right), a closing table with the
recipients and the signature. Numbering and bullets are real ``w:numPr`` numbering, so the
marker is not in the paragraph text.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from .content import FIELDS, TASKS, WEEKS, tasks_of, written
from .document import (
    ISSUER_LINES,
    MOTTO_LINES,
    RECIPIENTS,
    SCHEDULE_SIGNATURE,
    SIGNATURE,
    Kind,
    preamble_lines,
)
from .text_layouts import PERIODS, ROMAN, bullet_item, field_lines, month_heading

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


# -- document scaffolding ------------------------------------------------------------------------


def _new_document(size: float = 13) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(4)
    return doc


def _para(container, text: str = "", *, bold=False, italic=False, align=None, indent_mm=None, size=None):
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent_mm is not None:
        p.paragraph_format.first_line_indent = Mm(indent_mm)
    return p


def _cell_lines(cell, lines, *, bold=False, italic_last=False, align="center", size=None) -> None:
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = p.add_run(line)
        if size:
            run.font.size = Pt(size)
        run.bold = bold if not (italic_last and i == len(lines) - 1) else False
        run.italic = italic_last and i == len(lines) - 1
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)


def _header(doc, kind: Kind) -> None:
    table = doc.add_table(rows=1, cols=2)  # no style: no borders
    _widths(table, [62, 98])
    left, right = table.rows[0].cells
    _cell_lines(left, [*ISSUER_LINES, "", kind.number], size=12)
    _cell_lines(right, [*MOTTO_LINES, "", kind.place_date], size=12)
    for cell in (left, right):
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[1].runs[0].bold = True
    right.paragraphs[-1].runs[0].italic = True
    _para(doc)
    _para(doc, kind.title[0], bold=True, align="center")
    for line in kind.title[1:]:
        _para(doc, line, bold=True, align="center")
    for line in preamble_lines(kind):
        _para(doc, line, italic=line.startswith("Căn cứ"), align="justify", indent_mm=10)


def _closing(doc, kind: Kind, heading: str | None, signature=SIGNATURE) -> None:
    if heading:
        _para(doc, heading, bold=True)
    for line in kind.closing:
        _para(doc, line, align="justify", indent_mm=10)
    table = doc.add_table(rows=1, cols=2)
    _widths(table, [80, 80])
    left, right = table.rows[0].cells
    _cell_lines(left, list(RECIPIENTS), align="left")
    left.paragraphs[0].runs[0].bold = True
    left.paragraphs[0].runs[0].italic = True
    for p in left.paragraphs[1:]:
        p.runs[0].font.size = Pt(11)
    _cell_lines(right, [*signature[:2], "", signature[2], "", signature[3]], bold=True)


def _grid(table) -> None:
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def _widths(table, widths_mm) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word reads those)."""
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(w * 56.7)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def _fill(cell, text: str, *, bold=False, align=None) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = p.add_run(line)
        run.bold = bold
        p.paragraph_format.space_after = Pt(0)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "justify":
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _group_row(table, text: str) -> None:
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    _fill(merged, text, bold=True)


# -- numbering -----------------------------------------------------------------------------------


class _Numbering:
    """Adds abstract numbering definitions and numbering instances to numbering.xml."""

    def __init__(self, doc) -> None:
        self.root = doc.part.numbering_part.element
        self.next_abstract = 90
        self.next_num = 90

    def abstract(self, fmt: str, text: str) -> int:
        aid = self.next_abstract
        self.next_abstract += 1
        xml = (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr></w:lvl></w:abstractNum>'
        )
        first_num = self.root.find(qn("w:num"))
        element = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.root.append(element)
        return aid

    def instance(self, abstract_id: int, *, restart: bool = True) -> int:
        nid = self.next_num
        self.next_num += 1
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
        self.root.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{override}</w:num>"
            )
        )
        return nid


def _numbered(p, num_id: int) -> None:
    p_pr = p._p.get_or_add_pPr()
    p_pr.insert(
        0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


# -- layouts ---------------------------------------------------------------------------------------


def bullets_docx(kind: Kind, path: Path, *, size: float = 13) -> None:
    """Layout 1 in Word: real '-' bullets (numbering definition), '1. Tháng 10/2026' typed headings."""
    doc = _new_document(size)
    _header(doc, kind)
    numbering = _Numbering(doc)
    dash = numbering.instance(numbering.abstract("bullet", "-"), restart=False)
    _para(doc, "I. NỘI DUNG CÔNG TÁC", bold=True)
    for n, period in enumerate(PERIODS, 1):
        _para(doc, f"{n}. {month_heading(period, 'plain')}", bold=True, indent_mm=10)
        for t in tasks_of(period):
            _numbered(_para(doc, bullet_item(t), align="justify"), dash)
    _closing(doc, kind, "II. TỔ CHỨC THỰC HIỆN")
    doc.save(path)


def autonum_fields_docx(kind: Kind, path: Path) -> None:
    """Layout 2 in Word: auto-numbered items (restarting per month) and unbulleted field lines."""
    doc = _new_document()
    _header(doc, kind)
    numbering = _Numbering(doc)
    decimal = numbering.abstract("decimal", "%1.")
    for n, period in enumerate(PERIODS):
        _para(doc, f"{ROMAN[n]}. {month_heading(period, 'upper')}", bold=True)
        num = numbering.instance(decimal)
        for t in tasks_of(period):
            _numbered(_para(doc, f"{t.text}.", align="justify"), num)
            for line in field_lines(t):
                label, _, value = line.partition(": ")
                p = _para(doc, indent_mm=10)
                p.add_run(f"{label}: ").italic = True
                p.add_run(value)
    _closing(doc, kind, f"{ROMAN[len(PERIODS)]}. TỔ CHỨC THỰC HIỆN")
    doc.save(path)


def table_docx(kind: Kind, path: Path, *, two_leads: bool) -> None:
    """Layout 4: one task table; month group rows merged across; unit cells one unit per line.

    ``two_leads``: columns 'Chủ trì' (the presiding body) and 'Cơ quan chuẩn bị' (the office) both lead.
    """
    doc = _new_document()
    _header(doc, kind)
    _para(doc, "I. NỘI DUNG CÔNG TÁC", bold=True)
    if two_leads:
        heads = ["STT", "Nội dung công việc", "Chủ trì", "Cơ quan chuẩn bị", "Cơ quan phối hợp", "Thời gian"]
        widths = [9, 58, 20, 25, 27, 26]
    else:
        heads = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
        widths = [10, 66, 30, 32, 27]
    table = doc.add_table(rows=1, cols=len(heads))
    _grid(table)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _fill(cell, head, bold=True, align="center")
    _repeat_header(table.rows[0])
    n = 0
    for period in PERIODS:
        _group_row(table, month_heading(period, "plain"))
        for t in tasks_of(period):
            n += 1
            cells = table.add_row().cells
            values = [str(n), t.text]
            if two_leads:
                values.append(written((t.presider,), short=True))
            values += [written(t.lead, short=True, sep="\n"), written(t.support, short=True, sep="\n")]
            values.append(t.when.cell())
            for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
                _fill(cell, value, align="justify" if i == 1 else "center")
    _widths(table, widths)
    _para(doc)
    _closing(doc, kind, "II. TỔ CHỨC THỰC HIỆN")
    doc.save(path)


def _day_label(slot, variant: int) -> str:
    when = slot.when
    if when.kind == "range":
        return f"Từ {when.first:%d/%m} đến {when.last:%d/%m}"
    name = WEEKDAYS[when.last.weekday()]
    if variant == 1:
        return f"{name}, {when.last:%d/%m}"
    return f"{name}\n({when.last:%d/%m})"


def schedule_docx(kind: Kind, path: Path) -> None:
    """Layout 5: a week-by-week schedule; a day cell merged over its rows; week sub-heading rows."""
    doc = _new_document()
    _header(doc, kind)
    heads = ["Thứ/ngày", "Nội dung", "Chủ trì", "Thành phần", "Địa điểm"]
    table = doc.add_table(rows=1, cols=len(heads))
    _grid(table)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _fill(cell, head, bold=True, align="center")
    _repeat_header(table.rows[0])
    for w, (heading, slots) in enumerate(WEEKS):
        _group_row(table, heading)
        start = len(table.rows)
        for slot in slots:
            cells = table.add_row().cells
            _fill(cells[1], slot.text, align="justify")
            _fill(cells[2], written(slot.lead, short=True), align="center")
            _fill(cells[3], written(slot.support, short=True, sep="; "), align="center")
            _fill(cells[4], slot.place, align="center")
        # merge the day cells of consecutive rows of the same day
        i = 0
        while i < len(slots):
            j = i
            while j + 1 < len(slots) and slots[j + 1].when == slots[i].when:
                j += 1
            top = table.rows[start + i].cells[0]
            cell = top.merge(table.rows[start + j].cells[0]) if j > i else top
            _fill(
                cell,
                _day_label(slots[i], variant=int(w == 0 and i == len(slots) - 1)),
                bold=True,
                align="center",
            )
            i = j + 1
    _widths(table, [24, 60, 24, 30, 22])
    _para(doc)
    _closing(doc, kind, None, SCHEDULE_SIGNATURE)
    doc.save(path)


def appendix_docx(kind: Kind, path: Path) -> None:
    """Layout 6: a plan whose tasks are in a landscape appendix table spanning pages.

    Group rows ('A. LĨNH VỰC KINH TẾ, ĐÔ THỊ') merged across, numbering restarting per group,
    a column-number row under the header, both repeated on every page, lead cells merged over
    consecutive rows of the same lead.
    """
    doc = _new_document()
    _header(doc, kind)
    _para(doc, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    _para(
        doc,
        "Cụ thể hóa các nhiệm vụ trọng tâm Quý IV năm 2026 của Ủy ban nhân dân phường; phân công rõ cơ quan "
        "chủ trì, cơ quan phối hợp, thời gian hoàn thành, bảo đảm hoàn thành các chỉ tiêu kinh tế - xã hội "
        "năm 2026.",
        align="justify",
        indent_mm=10,
    )
    _para(doc, "II. NHIỆM VỤ TRỌNG TÂM", bold=True)
    _para(
        doc,
        "Các nhiệm vụ trọng tâm, cơ quan chủ trì, cơ quan phối hợp và thời gian hoàn thành chi tiết tại "
        "Phụ lục kèm theo Kế hoạch này.",
        align="justify",
        indent_mm=10,
    )
    _closing(doc, kind, "III. TỔ CHỨC THỰC HIỆN")

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    _para(doc, "PHỤ LỤC", bold=True, align="center")
    _para(doc, "DANH MỤC NHIỆM VỤ TRỌNG TÂM QUÝ IV NĂM 2026", bold=True, align="center")
    _para(
        doc,
        "(Kèm theo Kế hoạch số 130/KH-UBND ngày 28/9/2026 của Ủy ban nhân dân phường Hồng Gai)",
        italic=True,
        align="center",
    )
    heads = [
        "STT",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
        "Sản phẩm",
    ]
    table = doc.add_table(rows=2, cols=len(heads))
    _grid(table)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _fill(cell, head, bold=True, align="center")
    for i, cell in enumerate(table.rows[1].cells, 1):
        _fill(cell, f"({i})", align="center")
    _repeat_header(table.rows[0])
    _repeat_header(table.rows[1])
    for code, heading in FIELDS.items():
        group = sorted((t for t in TASKS if t.area == code), key=lambda t: (t.lead, t.key))
        _group_row(table, heading)
        start = len(table.rows)
        for n, t in enumerate(group, 1):
            cells = table.add_row().cells
            values = [str(n), t.text, "", written(t.support, sep=", "), t.when.cell(), t.product]
            for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
                if value:
                    _fill(cell, value, align="justify" if i == 1 else "center")
        i = 0
        while i < len(group):
            j = i
            while j + 1 < len(group) and group[j + 1].lead == group[i].lead:
                j += 1
            top = table.rows[start + i].cells[2]
            cell = top.merge(table.rows[start + j].cells[2]) if j > i else top
            _fill(cell, written(group[i].lead), align="center")
            i = j + 1
    _widths(table, [12, 100, 38, 46, 36, 26])
    doc.save(path)
