"""Document metadata: type, issuer, own number and symbol, place and date, locality, year.

Works from the header when there is one (a DOCX header table, lines side by
side in a PDF, or flattened lines in text) and falls back on what the body
says of itself (``UBND phường xây dựng Chương trình công tác năm 2026``), the
signature block, and place names checked against the divisions data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import Counter

from pydantic import BaseModel

from vanban.layout.paragraphs import Paragraph
from vanban.normalizers import dates, places
from vanban.normalizers.references import document_symbol
from vanban.normalizers.text import fold
from vanban.resources import load_toml

_HEADER_SPAN = 25  # paragraphs that can hold the header and title
_ISSUE_DATE = re.compile(
    r"^(?P<place>[^\d,;:]{2,40}),\s*ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})?\s*năm\s*(?P<year>\d{4})",
    re.IGNORECASE,
)
_YEAR_OF = re.compile(
    r"(?:chương trình|kế hoạch|nghị quyết|công tác|nhiệm vụ|phương hướng)[^.;:]{0,60}?năm\s+(20\d\d)",
    re.IGNORECASE,
)
_MONTH_PROGRAM = re.compile(r"chương trình công tác\s+tháng\s+(\d{1,2})\s*/\s*(20\d\d)", re.IGNORECASE)
_NUMBER_LABEL = re.compile(r"\bSố\s*:")
# The opening words of a preamble line: the grounds a document is issued on.
_GROUNDS = re.compile(r"^[-–+•*\s]*(?:căn cứ|thực hiện|xét|theo|trên cơ sở|nhằm)\b", re.IGNORECASE)
_PERIOD_YEAR = re.compile(r"tháng\s+\d{1,2}\s*/\s*(20\d\d)", re.IGNORECASE)
# "ĐẢNG UỶ XÃ CÔNG HẢI": the issuer line of the header names the commune.
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" is the national heading, not a commune.
_HEADER_PLACE = re.compile(r"\b(?P<kind>XÃ|PHƯỜNG|ĐẶC KHU)\s+(?!HỘI CHỦ NGHĨA)(?P<name>[^\d,;:*()-]{2,30})$")
# Whole-term programs ("Công tác toàn khóa ..., nhiệm kỳ 2025 - 2030") span many
# years: their year is the year they are issued, not one of the years they name.
_WHOLE_TERM = re.compile(r"toàn khóa|toàn khoá|nhiệm kỳ\s+20\d\d\s*[-–]\s*20\d\d", re.IGNORECASE)


class DocumentMeta(BaseModel):
    """What a document says about itself."""

    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    locality: str | None = None
    locality_kind: str = "phường"
    province: str | None = None
    year: int | None = None
    month: int | None = None  # a monthly program's month
    number: str | None = None
    symbol: str | None = None
    issued_on: dt.date | None = None
    place: str | None = None
    draft: bool = False


def _is_upper(text: str) -> bool:
    return text.isupper() and sum(c.isalpha() for c in text[:8]) >= 4


def _title(paragraphs: list[Paragraph]) -> tuple[str | None, str | None]:
    """(doc_type, title) from an upper-case title line near the top."""
    rules = sorted(load_toml("titles")["title"], key=lambda r: -len(r["words"]))
    head = paragraphs[:_HEADER_SPAN]
    for i, para in enumerate(head):
        text = para.text.strip(" *")
        if not _is_upper(text) or len(text) > 80:
            continue
        for rule in rules:
            if text.startswith(rule["words"]) and len(text) - len(rule["words"]) < 45:
                doc_type = rule["doc_type"]
                following = head[i + 1].text.strip(" *") if i + 1 < len(head) else ""
                for start, longer in rule.get("next_line", {}).items():
                    if fold(following).startswith(start):
                        doc_type = longer
                if following and not _is_upper(following):
                    # "CHƯƠNG TRÌNH" / "Công tác năm 2026 của ...": the subject line is part of the title;
                    # the grounds below a full title ("Thực hiện ...", "Căn cứ ...") are not.
                    # nor the opening statement ("... như sau:") or a period heading ("Tuần 1 (...)").
                    opening = following.rstrip().endswith(":")
                    # (any year will do: only whether the line is a period matters here)
                    period = dates.parse_period_heading(following, ref_year=2000) is not None
                    if _GROUNDS.match(following) or len(following) > 150 or opening or period:
                        return doc_type, text
                    return doc_type, f"{text} {following}".strip()
                # An upper-case title wraps over lines: "CHƯƠNG TRÌNH HÀNH ĐỘNG" / "CỦA BAN CHẤP HÀNH
                # ĐẢNG BỘ XÃ" / ... / "LẦN THỨ I, NHIỆM KỲ 2025-2030".
                lines = [text]
                for later in head[i + 1 : i + 5]:
                    line = later.text.strip(" *")
                    if not _is_upper(line) or len(line) > 90 or re.match(r"^[IVX]+\s*[.\-–]", line):
                        break
                    lines.append(line)
                return doc_type, " ".join(lines)
    return None, None


def _self_reference(text: str) -> str | None:
    for rule in load_toml("titles")["self_reference"]:
        if re.search(rule["pattern"], text, re.IGNORECASE):
            return rule["doc_type"]
    return None


def _issuer_body(head_lines: list[str], text: str, symbol_code: str | None) -> str | None:
    """Name of the issuing body (without its place), from header, symbol or signature."""
    issuers = load_toml("titles")["issuer"]
    for line in head_lines:
        if _is_upper(line):
            folded = fold(line)
            for issuer in issuers:
                if any(folded.startswith(w) for w in issuer["written"]):
                    return issuer["name"]
    if symbol_code:
        for issuer in issuers:
            if symbol_code in issuer["symbol_codes"]:
                return issuer["name"]
    folded_tail = fold(text[-3000:])
    for issuer in issuers:
        if any(sig in folded_tail for sig in issuer["signature"]):
            return issuer["name"]
    # "UBND phường xây dựng Chương trình ...", "UBND phường thông báo ..."
    folded = fold(text)
    best = None
    for issuer in issuers:
        for written in issuer["written"]:
            hit = re.search(
                rf"{re.escape(written)} (?:phường|xã|đặc khu)[^.]{{0,40}}(xây dựng|thông báo|ban hành)",
                folded,
            )
            if hit and (best is None or hit.start() < best[0]):
                best = (hit.start(), issuer["name"])
    return best[1] if best else None


def _year(paragraphs: list[Paragraph], text: str, issued_on: dt.date | None) -> int | None:
    head = " ".join(p.text for p in paragraphs[:_HEADER_SPAN])
    for source in (head, text):
        match = _YEAR_OF.search(source)
        if match:
            return int(match.group(1))
    periods = Counter(int(m.group(1)) for m in _PERIOD_YEAR.finditer(text))
    if periods:
        return periods.most_common(1)[0][0]
    return issued_on.year if issued_on else None


def extract_metadata(paragraphs: list[Paragraph]) -> DocumentMeta:
    """Read a document's metadata from its paragraphs."""
    text = "\n".join(p.text for p in paragraphs)
    meta = DocumentMeta()
    head = paragraphs[:_HEADER_SPAN]
    # A Word header often keeps its lines in one paragraph with soft breaks ("ĐẢNG BỘ TỈNH ...↵ĐẢNG ỦY XÃ ...").
    head_lines = [line.strip(" *") for p in head if p.kind != "table_row" for line in p.text.splitlines()]

    for line in head_lines:
        # "Số: 27/KH-BCH" may follow the issuer column on one line of a side-by-side header.
        number_at = _NUMBER_LABEL.search(line)
        own = document_symbol(line[number_at.start() :] if number_at else line)
        if own is not None:
            meta.symbol, meta.number = own.symbol, own.number or None
            meta.draft = not own.number
            break
    issue_year = None
    # A narrow header column wraps the date line ("Lương Minh, ngày 10 tháng 12 năm" / "2025").
    date_lines = [
        f"{line} {nxt}" if line.rstrip().endswith("năm") else line
        for line, nxt in zip(head_lines, [*head_lines[1:], ""], strict=False)
    ]
    for line in date_lines:
        match = _ISSUE_DATE.match(line)
        if match:
            issue_year = int(match.group("year"))
            meta.place = match.group("place").strip()
            if match.group("day") and match.group("month"):
                with contextlib.suppress(ValueError):
                    meta.issued_on = dt.date(
                        int(match.group("year")), int(match.group("month")), int(match.group("day"))
                    )
            else:
                meta.draft = True
            break

    meta.doc_type, meta.title = _title(paragraphs)
    if meta.doc_type is None:
        meta.doc_type = _self_reference(text)
    symbol_code = None
    if meta.symbol:
        # "-CTr/ĐU" -> type CTr, issuer ĐU; "37/KH-UBND" -> type KH, issuer UBND
        tail = meta.symbol.rsplit("/", 1)[-1]
        symbol_code = tail.split("-", 1)[-1]
        type_codes = load_toml("titles")["type_codes"]
        if meta.doc_type is None:
            for part in re.split(r"[-/]", meta.symbol):
                if part in type_codes:
                    meta.doc_type = type_codes[part]
                    break

    locality = places.find_locality(text)
    if locality:
        meta.locality, meta.locality_kind = locality.label, locality.kind
    else:
        header_place = _header_locality(head_lines)
        if header_place:
            meta.locality, meta.locality_kind = header_place
    meta.province = places.find_province(text, locality)
    body = _issuer_body(head_lines, text, symbol_code)
    if body:
        meta.issuer = f"{body} {meta.locality}" if meta.locality else f"{body} {meta.locality_kind}"

    # A monthly program's month, however its title writes it (the one date grammar reads it).
    titled = dates.title_month(meta.title) if meta.title else None
    # Only a program is "the program of month M"; a notice or a plan may name next month's program in an item.
    is_program = meta.doc_type is None or meta.doc_type.startswith(("Chương trình", "Lịch"))
    program = _MONTH_PROGRAM.search(text) if is_program and (titled is None or titled.year is None) else None
    if titled is not None and titled.year is not None:
        meta.month, meta.year = titled.month, titled.year
    elif program:
        meta.month, meta.year = int(program.group(1)), int(program.group(2))
    else:
        meta.year = _year(paragraphs, text, meta.issued_on)
    if issue_year and meta.title and _WHOLE_TERM.search(meta.title):
        meta.year = issue_year
    if meta.year is None and issue_year:
        meta.year = issue_year  # a draft dated "ngày tháng 11 năm 2025" still names its year
    legal_year = re.match(r"^\d+/(\d{4})/", meta.symbol or "")
    if legal_year:
        # A legal document's symbol carries its year ("72/2025/QH15"): that is the year it is for.
        meta.year = int(legal_year.group(1))
    return meta


def _header_locality(head_lines: list[str]) -> tuple[str, str] | None:
    """(``xã Công Hải``, ``xã``) from an upper-case issuer line of the header, when places found none."""
    for line in head_lines:
        if not _is_upper(line):
            continue
        match = _HEADER_PLACE.search(line.strip(" *"))
        if match:
            kind = match.group("kind").lower()
            return f"{kind} {match.group('name').strip().title()}", kind
    return None
