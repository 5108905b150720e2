"""Citations of other documents by number and symbol ("số, ký hiệu").

Three shapes exist (../shared/domain/DOMAIN.md section 1):

* Party documents: ``57-NQ/TW`` -- number, hyphen, type, slash, issuer;
* state administrative documents: ``37/KH-UBND``, ``16/KH-MTTQ-BTT``;
* legal normative documents and laws: ``27/2025/QĐ-TTg``, ``101/2025/UBTVQH15``,
  ``72/2025/QH15`` -- the year sits inside the symbol.

The grammar is assembled from the type and issuer codes in
``vanban/resources/symbols.toml``; every fragment below names the real
document whose spelling forced it.  All functions are pure.

Text is matched on an NFC copy in which the OCR slip ``Ð`` (U+00D0) is
replaced by ``Đ`` (U+0110); spans are mapped back to the caller's text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache, lru_cache
from typing import Literal

from pydantic import BaseModel

from vanban.resources import load_toml

Family = Literal["party", "state", "legal", "law"]


class Citation(BaseModel):
    """One mention of a document by its number and symbol."""

    symbol: str
    number: str
    year: int | None = None
    doc_type: str | None = None
    issuer_code: str | None = None
    family: Family
    issued_on: date | None = None
    issuer: str | None = None
    type_name: str | None = None
    written: str
    span: tuple[int, int]


# ---------------------------------------------------------------- vocabulary


@cache
def _vocabulary() -> dict[str, dict[str, str]]:
    """Alias -> canonical code for types and issuers, and code -> first type name."""
    data = load_toml("symbols")
    types: dict[str, str] = {}
    names: dict[str, str] = {}
    name_to_code: dict[str, str] = {}
    for row in data["doc_type"]:
        code = row["code"]
        types[code] = code
        for alias in row.get("aliases", []):
            types[alias] = code
        names[code] = row["names"][0]
        for name in row["names"]:
            name_to_code.setdefault(name.casefold(), code)
    issuers: dict[str, str] = {}
    for row in data["issuer"]:
        issuers[row["code"]] = row["code"]
        for alias in row.get("aliases", []):
            issuers[alias] = row["code"]
    return {"types": types, "issuers": issuers, "names": names, "name_to_code": name_to_code}


def type_name_of(code: str) -> str | None:
    """The Vietnamese name of a type code (``"KH"`` -> ``"Kế hoạch"``), if known."""
    return _vocabulary()["names"].get(code)


def _alternation(words: list[str]) -> str:
    # Longest first, so "CTr" wins over "CT" and "TTLT" over "TT".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_UPPER = "A-ZĐƯ"
_LOWER = "a-zà-ỹđư"


@cache
def _fragments() -> dict[str, str]:
    """Named regex fragments of the symbol grammar."""
    voc = _vocabulary()
    type_alt = _alternation(list(voc["types"]))
    known_iss = _alternation(list(voc["issuers"]))
    # Known codes first (they carry mixed case: "27/2025/QĐ-TTg"), then
    # any capital token: issuer codes are not a closed list (NĐ 30/2020 Phụ lục I).
    # A capital token may be glued to the next word in PDF text layers
    # ("…/TWngày"), so a generic first part does not need a right boundary.
    iss_first = rf"(?:(?:{known_iss})(?![0-9A-Za-zĐđƯư])|[{_UPPER}][{_UPPER}0-9]+)"
    # Later parts of a multi-part issuer ("16/KH-MTTQ-BTT",
    # "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN") take a plain hyphen and must
    # not run into a word ("UBND-Văn"), hence the lowercase lookahead.
    iss_next = rf"(?:(?:{known_iss})|[{_UPPER}][{_UPPER}0-9]+)(?![{_LOWER}])"
    names = [n for row in load_toml("symbols")["doc_type"] for n in row["names"]]
    # Type names tolerate lost spaces ("Kếhoạch số17-KH/TU").
    name_alt = "|".join(
        r"\s*".join(re.escape(w) for w in n.split()) for n in sorted(set(names), key=len, reverse=True)
    )
    return {
        "type": rf"(?:{type_alt})",
        "iss_first": iss_first,
        "iss_next": iss_next,
        "type_name": rf"(?:{name_alt})",
        # Hyphen, or the en/em dash some Word files substitute.
        "dash": r"[-‐–—]",
        # A Party type code the table does not list, with its lower-case suffix if any
        # ("05-HDi/VPTW"); known codes are tried first ("22-QĐi/TW" is listed).
        "any_type": rf"[{_UPPER}]{{2,4}}[{_LOWER}]{{0,2}}",
        "known_iss": rf"(?:{known_iss})",
    }


def _grammar(number: str, *, glued: bool = True) -> str:
    f = _fragments()
    # Party: "12-NQ/ĐU".  Whitespace around the hyphen joins symbols
    # broken over a line end: "68-\nNQ/TW", "144- QĐ/TW", "218-\nQĐ/TW".
    # A glued type prefix "NQ12-NQ/TW" is consumed and dropped.
    party = (
        rf"(?:(?<![A-Za-z0-9/])(?P<p_glued>{f['type']}))?"
        rf"(?<![0-9/])(?P<p_num>{number})\s*{f['dash']}\s*(?P<p_type>{f['type']}|{f['any_type']})\s*/\s*"
        rf"(?P<p_iss>{f['iss_first']}(?:-\s*{f['iss_next']})*)"
    )
    # State / legal: "37/KH-UBND", "27/2025/QĐ-TTg",
    # "101/2025/UBTVQH15", "1027/CTK-CSCL"
    # (official letters, công văn, carry no type: checked in _build).  A slash after
    # the type, "102/2025/NQLT/UBTVQH15-CP- ĐCTUBTWMTTQVN", and a space after a
    # hyphen are typing slips; both normalise.
    state = (
        rf"(?<![0-9/])(?P<s_num>{number})\s*/\s*(?:(?P<s_year>(?:19|20)\d\d)\s*/\s*)?"
        rf"(?:(?P<s_type>{f['type']})\s*(?:{f['dash']}|/)\s*)?"
        rf"(?P<s_iss>{f['iss_first']}(?:-\s*{f['iss_next']})*)"
    )
    if not glued:
        return rf"(?:{party})|(?:{state})"
    # Party type and a known issuer glued without the slash: "Chỉ thị 39-CTTW" (DOMAIN 1.4).
    party_glued = (
        rf"(?<![0-9/])(?P<g_num>{number})\s*{f['dash']}\s*(?P<g_type>{f['type']})(?P<g_iss>{f['known_iss']})"
        rf"(?![0-9A-Za-zĐđƯư/])"
    )
    return rf"(?:{party})|(?:{state})|(?:{party_glued})"


@cache
def _symbol_re() -> re.Pattern[str]:
    return re.compile(_grammar(r"\d{1,5}"))


@cache
def _header_re() -> re.Pattern[str]:
    # The document's own number: "Số: 37/KH-UBND", "Số 22-CTr/ĐU" (Party: no
    # colon), drafts with a blank number "Số -CTr/ĐU" and
    # "Số:      /KH-MTTQ-BTT".  It opens a line or a table cell.
    # Laws write "Luật số: 72/2025/QH15".
    blank_or_number = _grammar(r"\d{0,5}", glued=False)
    return re.compile(
        rf"(?:^|\t|  )[ \t]*(?:(?:Luật|Bộ luật)[ \t]+số|Số)[ \t]*:?[ \t]*(?:{blank_or_number})", re.MULTILINE
    )


@cache
def _type_name_re() -> re.Pattern[str]:
    return re.compile(_fragments()["type_name"], re.IGNORECASE)


# What may stand between a type name and the symbol it names:
# "Nghị quyết số 57-NQ/TW", "Quyết định 27/2025/QĐ-TTg" (no "số"),
# "Kế hoạch hành động số 238-KH/TU", "Quy chế làm việc số 01-QC/ĐU",
# "Chỉ thịsố50-CT/TW" (a space lost), and a list
# head "các Nghị quyết đột phá chiến lược của Bộ Chính trị: số 57-NQ/TW".
_TYPE_NAME_TAIL = re.compile(
    rf"(?:(?:\s*[{_LOWER}]+){{0,4}}\s*số|\s*số)?\s*:?\s*"
    rf"|[^.;:()]{{0,80}}:\s*số\s*"
)


# "ngày 09/12/2025", ", ngày 22/12/2024", "ngày 09 tháng 5 năm 2025"
# , "ngày 04/05/2025".
# Also "(ngày 22/12/2024)", "ngày 22-12-2024", "ngày 22.12.2024" (invented cases).
_DATE_AFTER = re.compile(
    r"\s*[,(]?\s*(?:ban\s*hành\s*)?ngày\s*"
    r"(?:(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s*tháng\s*(?P<m2>\d{1,2})\s*năm\s*(?P<y2>\d{4}))\)?"
)


@cache
def _issuer_after_re() -> re.Pattern[str]:
    f = _fragments()
    # "của Ban Thường vụ Tỉnh ủy thực hiện ...", "của Đảng uỷ phường
    # \nUông Bí về ...", "của Chính phủ và Kế hoạch hành động số ..."
    #: the body ends before these words or punctuation.
    # "của Ủy ban bầu cử xã Phố Bảng Về việc thành lập ...":
    # the stop words are matched in any case.
    stop = (
        r"(?i:về|thực\s*hiện|triển\s*khai|ban\s*hành|quy\s*định|hướng\s*dẫn|tại|nhằm)|"
        rf"\s+và\s+(?:{f['type_name']}|các|số|[{_LOWER}])|[;,.:)(“”\"\t]|\n\s*[-+•*]|$"
    )
    # Case-sensitive: "và Dân vận" continues a name, "và mục tiêu" ends it.
    return re.compile(rf"\s*,?\s*(?:của|do)\s+(?P<body>.{{2,120}}?)\s*(?={stop})", re.DOTALL)


# Between two symbols of one list ("các Nghị quyết ...: số 57-NQ/TW ngày
# 22/12/2024; số 68-NQ/TW ...") only dates, separators and "số"/"và".
_LIST_GLUE = re.compile(r"(?:\s|[,;:]|và|số|ngày|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})*", re.IGNORECASE)

_LAW_ISSUER = re.compile(r"^QH\d+$")

# Form numbers are not documents: "(theo mẫu số 01/BCĐBQH-MT gửi kèm theo hướng
# dẫn này)".
_FORM_BEFORE = re.compile(r"mẫu\s*(?:số)?\s*:?\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- text prep


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """NFC copy of ``text`` with Ð->Đ, and a map from its offsets to ``text``'s.

    The map is None when the copy has the same offsets as the input.
    """
    if unicodedata.is_normalized("NFC", text):
        return text.replace("\u00d0", "\u0110"), None
    out: list[str] = []
    starts: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j]).replace("\u00d0", "\u0110")
        out.append(piece)
        starts.extend([i] * len(piece))
        i = j
    starts.append(n)
    return "".join(out), starts


def _orig_span(span: tuple[int, int], starts: list[int] | None) -> tuple[int, int]:
    if starts is None:
        return span
    return starts[span[0]], starts[span[1]]


# ---------------------------------------------------------------- building


def _norm_issuer(raw: str) -> str:
    issuers = _vocabulary()["issuers"]
    parts = [p for p in re.split(r"\s*-\s*", raw) if p]
    return "-".join(issuers.get(p, p) for p in parts)


def _build(m: re.Match[str], starts: list[int] | None, original: str) -> Citation | None:
    """A Citation from a grammar match (date/issuer/type name not yet filled)."""
    types = _vocabulary()["types"]
    if m.groupdict().get("g_type") is not None:
        number, doc_type = m.group("g_num"), types[m.group("g_type")]
        issuer_code = _norm_issuer(m.group("g_iss"))
        symbol = f"{number}-{doc_type}/{issuer_code}"
        year, family = None, "party"
    elif m.group("p_type") is not None:
        number = m.group("p_num")
        doc_type = types.get(m.group("p_type"), m.group("p_type"))
        issuer_code = _norm_issuer(m.group("p_iss"))
        symbol = f"{number}-{doc_type}/{issuer_code}"
        year, family = None, "party"
    else:
        number = m.group("s_num")
        raw_type = m.group("s_type")
        year_s = m.group("s_year")
        issuer_code = _norm_issuer(m.group("s_iss"))
        if raw_type is None and year_s is None and "-" not in issuer_code:
            # "10/CP", "3/BQL": too little shape to tell from a ratio or a code.
            return None
        doc_type = types[raw_type] if raw_type else None
        year = int(year_s) if year_s else None
        middle = f"{year}/" if year else ""
        symbol = f"{number}/{middle}{doc_type + '-' if doc_type else ''}{issuer_code}"
        if doc_type is None and issuer_code in types:
            # Cut short after the type: "Nghị quyết liên tịch số 102/2025/NQLT."
            # -- keep what is written, read it as the type.
            doc_type, issuer_code = types[issuer_code], None
        if year and doc_type is None and _LAW_ISSUER.match(issuer_code):
            family = "law"
        elif year:
            family = "legal"
        else:
            family = "state"
    # The glued prefix of "NQ12-NQ/TW" is not part of the symbol's span.
    start = m.start("p_num") if m.group("p_type") is not None else m.start()
    span = _orig_span((start, m.end()), starts)
    return Citation(
        symbol=symbol,
        number=number,
        year=year,
        doc_type=doc_type,
        issuer_code=issuer_code,
        family=family,
        written=original[span[0] : span[1]],
        span=span,
    )


def _date_after(working: str, pos: int) -> tuple[date | None, int]:
    m = _DATE_AFTER.match(working, pos)
    if not m:
        return None, pos
    d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else m.group("d2", "m2", "y2")
    try:
        return date(int(y), int(mo), int(d)), m.end()
    except ValueError:
        # Impossible calendar date: keep the mention, drop the date.
        return None, m.end()


def _issuer_after(working: str, pos: int) -> str | None:
    m = _issuer_after_re().match(working, pos)
    if not m:
        return None
    body = " ".join(m.group("body").split()).strip(" -")
    return body or None


def _type_name_before(working: str, start: int) -> str | None:
    window_start = max(0, start - 120)
    # The nearest type name wins: "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW"
    # names a Nghị quyết.
    for m in reversed(list(_type_name_re().finditer(working, window_start, start))):
        if _TYPE_NAME_TAIL.fullmatch(working, m.end(), start):
            return _canonical_name(m.group())
    return None


def _canonical_name(written: str) -> str:
    """The toml spelling of a type name written in any case or with lost spaces."""
    squeezed = re.sub(r"\s+", "", written).casefold()
    for name in _vocabulary()["name_to_code"]:
        if name.replace(" ", "") == squeezed:
            return name[0].upper() + name[1:]
    return " ".join(written.split())


def _fill(cit: Citation, m_end: int, m_start: int, working: str, glued: str | None) -> Citation:
    issued_on, pos = _date_after(working, m_end)
    issuer = _issuer_after(working, pos)
    # "NQ12-NQ/TW": the glued prefix is itself the written type.
    type_name = type_name_of(_vocabulary()["types"][glued]) if glued else _type_name_before(working, m_start)
    return cit.model_copy(update={"issued_on": issued_on, "issuer": issuer, "type_name": type_name})


def _normalize_symbol(symbol: str) -> str:
    """Canonical form of a symbol for comparison (own number, dedup)."""
    parsed = parse_symbol(symbol)
    return parsed.symbol if parsed else re.sub(r"\s+", "", symbol)


# ---------------------------------------------------------------- public API


def parse_symbol(text: str) -> Citation | None:
    """Parse a bare number-and-symbol string (``"27/2025/QĐ-TTg"``, ``"NQ12-NQ/TW"``).

    Returns None unless the whole string (surrounding spaces aside) is one symbol.
    """
    working, starts = _prepare(text)
    stripped = working.strip()
    offset = len(working) - len(working.lstrip())
    m = _symbol_re().fullmatch(working, offset, offset + len(stripped))
    if not m:
        return None
    return _build(m, starts, text)


def find_references(text: str, *, own_symbol: str | None = None) -> list[Citation]:
    """All citations in running ``text``, in order of appearance (see :func:`_find_references`).

    Cached per text: extraction and validation read the same paragraphs. The
    citations are shared between calls, so callers never modify them (they
    make changed copies with ``model_copy``).
    """
    return list(_find_references(text, own_symbol))


@lru_cache(maxsize=4096)
def _find_references(text: str, own_symbol: str | None) -> tuple[Citation, ...]:
    """All citations in running ``text``, in order of appearance.

    Each carries the date and issuer written right after it ("ngày dd/mm/yyyy
    của <body>") and the type name written before it; in a list sharing one
    type word ("các Nghị quyết số 57-NQ/TW, 68-NQ/TW") the later symbols
    inherit it.  The document's own number -- ``own_symbol``, or else the one in
    its "Số: ..." header -- is not a reference.
    """
    working, starts = _prepare(text)
    own: str | None = _normalize_symbol(own_symbol) if own_symbol else None
    header_span: tuple[int, int] | None = None
    if own is None:
        header = document_symbol(text)
        if header is not None:
            header_span = header.span
            own = header.symbol if header.number else None
    found: list[Citation] = []
    prev_end: int | None = None
    prev_name: str | None = None
    for m in _symbol_re().finditer(working):
        cit = _build(m, starts, text)
        if cit is None or _FORM_BEFORE.search(working, max(0, m.start() - 12), m.start()):
            continue
        glued = m.group("p_glued")
        start = m.start("p_num") if m.group("p_type") is not None else m.start()
        cit = _fill(cit, m.end(), m.start(), working, glued)
        if cit.type_name is None and prev_end is not None and _LIST_GLUE.fullmatch(working[prev_end:start]):
            cit = cit.model_copy(update={"type_name": prev_name})
        prev_end, prev_name = m.end(), cit.type_name
        if header_span and header_span[0] <= cit.span[0] < header_span[1]:
            continue
        if own is not None and cit.symbol == own:
            continue
        found.append(cit)
    return tuple(found)


def document_symbol(text: str) -> Citation | None:
    """The document's own number from its header line ("Số: 37/KH-UBND", "Số 22-CTr/ĐU").

    Only the first 60 lines are searched.  A draft's blank number ("Số -CTr/ĐU",
    "Số:      /KH-MTTQ-BTT") gives a Citation with ``number == ""``.
    """
    working, starts = _prepare(text)
    head_end = len(working)
    # The 60th newline within the first 20,000 characters ends the header zone.
    newline = -1
    for _ in range(60):
        newline = working.find("\n", newline + 1, 20000)
        if newline < 0:
            break
    if newline >= 0:
        head_end = newline
    m = _header_re().search(working, 0, head_end)
    if m and _cites_a_law(working, m):
        m = None
    if not m:
        return None
    cit = _build(m, starts, text) if m.group("p_num") or m.group("s_num") else _blank_header(m, starts, text)
    if cit is None:
        return None
    sym_start = m.start("p_num") if m.group("p_type") is not None else m.start("s_num")
    span = _orig_span((sym_start, m.end()), starts)
    issued_on, _ = _date_after(working, m.end())
    return cit.model_copy(update={"span": span, "written": text[span[0] : span[1]], "issued_on": issued_on})


def _cites_a_law(working: str, m: re.Match[str]) -> bool:
    """``Luật số 72/2025/QH15 về ...`` in running text cites a law; its own header line is
    ``Luật số: 72/2025/QH15`` (a colon, or nothing after the number on the line)."""
    written = m.group(0).lstrip(" \t")
    if not written.startswith(("Luật", "Bộ luật")) or ":" in written:
        return False
    line_end = working.find("\n", m.end())
    return working[m.end() : line_end if line_end >= 0 else len(working)].strip() != ""


def _blank_header(m: re.Match[str], starts: list[int] | None, original: str) -> Citation | None:
    types = _vocabulary()["types"]
    if m.group("p_type") is not None:
        doc_type = types[m.group("p_type")]
        issuer_code = _norm_issuer(m.group("p_iss"))
        symbol, family, year = f"-{doc_type}/{issuer_code}", "party", None
    else:
        raw_type = m.group("s_type")
        doc_type = types[raw_type] if raw_type else None
        issuer_code = _norm_issuer(m.group("s_iss"))
        year = int(m.group("s_year")) if m.group("s_year") else None
        middle = f"{year}/" if year else ""
        symbol = f"/{middle}{doc_type + '-' if doc_type else ''}{issuer_code}"
        family = "legal" if year else "state"
    span = _orig_span((m.start(), m.end()), starts)
    return Citation(
        symbol=symbol,
        number="",
        year=year,
        doc_type=doc_type,
        issuer_code=issuer_code,
        family=family,
        written=original[span[0] : span[1]],
        span=span,
    )


def merge_references(citations: list[Citation]) -> list[Citation]:
    """One citation per distinct symbol, in order of first mention.

    The first mention that carries a date gives ``issued_on``; likewise for
    ``issuer`` and ``type_name``.  Span and written text are the first mention's.
    """
    merged: dict[str, Citation] = {}
    for cit in citations:
        seen = merged.get(cit.symbol)
        if seen is None:
            merged[cit.symbol] = cit
            continue
        update = {
            field: getattr(cit, field)
            for field in ("issued_on", "issuer", "type_name")
            if getattr(seen, field) is None and getattr(cit, field) is not None
        }
        if update:
            merged[cit.symbol] = seen.model_copy(update=update)
    return list(merged.values())


# "Nghị quyết số 57-NQ/TW ngày 22/12/2024 ... (sau đây gọi tắt là Nghị quyết 57)".
_SHORT_NAME = re.compile(
    r"\(\s*(?:sau đây\s+)?(?:được\s+)?(?:gọi|viết)\s+tắt\s+là\s*[:“\"]?\s*(?P<name>[^()”\"]{3,60}?)\s*[”\"]?\s*\)",
    re.IGNORECASE,
)


def short_names(text: str) -> dict[str, str]:
    """Short names a text gives the documents it cites: ``{"Nghị quyết 57": "57-NQ/TW"}``.

    A ``(sau đây gọi tắt là X)`` names the last document cited before it; later
    mentions of X cite that document though they carry no symbol.
    """
    citations = find_references(text)
    out: dict[str, str] = {}
    for match in _SHORT_NAME.finditer(text):
        before = [c for c in citations if c.span[1] <= match.start()]
        if before:
            out[match.group("name").strip()] = before[-1].symbol
    return out
