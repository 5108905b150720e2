"""Who leads and who supports an item: the ways a text assigns bodies to it.

* a trailing parenthetical: ``... (Phòng Văn hóa - Xã hội chuẩn bị)``;
* field lines: ``Cơ quan chủ trì: ...``, ``Cơ quan phối hợp: ...``;
* an assignment line or closing sentence: ``Giao Ban Tuyên giáo và Dân vận tham mưu;
  Văn phòng Đảng ủy phối hợp.``, ``Đảng ủy UBND xã chủ trì, phối hợp ... trình trong tháng 01/2026``;
* a body the item opens with: ``Ban Thường trực Ủy ban MTTQ phường giám sát ...``;
* a person's role: ``Đồng chí Phó Chủ tịch Thường trực``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from vanban.layout.fields import parse_field
from vanban.layout.model import FieldLine
from vanban.normalizers import units
from vanban.normalizers.text import fold
from vanban.resources import load_toml
from vanban.schemas.records import UnitAssignment

Units = list[units.UnitMatch]

# A closing parenthetical; OCR may leave a stray mark after it ("...). :").
_SYMBOL_TAIL = re.compile(r"\s*[,(].*$")
_UPPER_WORD = re.compile(r"(?<=\s)(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])")
# A sentence boundary: ". " before an upper-case letter (a ";" only separates clauses).
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-ZĐÂĂÊÔƠƯ])")
_GIAO = re.compile(r"^(?:giao(?:\s+cho)?|phân công|đề nghị)\s+", re.IGNORECASE)


@cache
def _vocabulary() -> dict[str, Any]:
    return load_toml("structure")


@dataclass(frozen=True)
class Owner:
    """Who a document says an item belongs to, and why (``stated``, ``duty_heading``, ``plan_subject``)."""

    lead: tuple[units.UnitMatch, ...] = ()
    support: tuple[units.UnitMatch, ...] = ()
    basis: str = "stated"

    def __bool__(self) -> bool:
        return bool(self.lead or self.support)


def owner(lead: Units, support: Units | None = None, basis: str = "stated") -> Owner:
    return Owner(tuple(lead), tuple(support or ()), basis)


def split_parenthetical(text: str, cap: str) -> tuple[str, Owner, str | None]:
    """Strip trailing parentheticals that assign the item; return the text, the units and a time.

    ``(Phòng Văn hóa - Xã hội chuẩn bị)``, ``(X chủ trì, phối hợp Y)``, and labelled clauses
    ``(Chủ trì: X; phối hợp: Y; thời gian: trước 31/3/2026)``.
    """
    found = Owner()
    time: str | None = None
    while True:
        match = units.TRAILING_PARENTHETICAL.search(text)
        if not match:
            break
        inner = match.group("inner")
        labelled = _labelled(inner, cap)
        if labelled is not None:
            parsed_owner, parsed_time = labelled
        else:
            parsed = units.parse_assignment(inner, cap=cap)
            if not parsed or not (parsed[0] or parsed[1]):
                break
            parsed_owner, parsed_time = owner(*parsed), None
        if not found:
            found = parsed_owner
        time = time or parsed_time
        text = text[: match.start()]
    return text.rstrip(" .;,"), found, time


def _labelled(inner: str, cap: str) -> tuple[Owner, str | None] | None:
    """Clauses of field lines inside a parenthetical (``Chủ trì: X; phối hợp: Y; thời gian: Z``)."""
    lead: list[units.UnitMatch] = []
    support: list[units.UnitMatch] = []
    time = None
    fields = [(clause, parse_field(clause.strip())) for clause in inner.split(";")]
    if not any(found is not None and found.key != "other" for _, found in fields):
        return None
    for clause, found in fields:
        if found is None:
            continue
        value = clause.strip()[found.value_start :]
        if found.key == "time":
            time = value.strip(" .")
        elif found.key in UNIT_KEYS:
            units_ = field_owner(found.key, value, cap, None)
            lead.extend(units_.lead)
            support.extend(units_.support)
    return owner(lead, support), time


def parse(text: str, cap: str) -> Owner:
    """The units an assignment names (``X chủ trì, phối hợp Y``; ``Giao X tham mưu; Y phối hợp``)."""
    text = _GIAO.sub("", text.strip().lstrip("-–+• "))
    parsed = units.parse_assignment(text, cap=cap)
    if parsed:
        return owner(*parsed)
    return owner(units.split_units(text, cap=cap))


def is_assignment_line(text: str, cap: str) -> bool:
    """A line that names a unit first and then what it does (``Ban Xây dựng Đảng chủ trì, ...``)."""
    stripped = _GIAO.sub("", text.lstrip("-–+• "))
    folded = fold(stripped)
    if not any(f" {verb}" in folded for verb in _vocabulary()["assignment_lines"]["verbs"]):
        return False
    found = units.split_units(stripped, cap=cap)
    return bool(found) and found[0].recognised and found[0].span[0] == 0


def closing_sentence(text: str, cap: str) -> tuple[str, str | None]:
    """Split off a last sentence that only assigns the item (``... Giao Ban X tham mưu; Y phối hợp.``)."""
    parts = _SENTENCE_END.split(text.rstrip())
    if len(parts) < 2:
        return text, None
    last = parts[-1]
    verbs = _vocabulary()["assignment_lines"]["verbs"]
    # "Giao ..." with a role verb assigns whatever body it names, known to the gazetteer or not.
    giao = _GIAO.match(last) is not None and any(f" {verb}" in fold(last) for verb in verbs)
    if giao or (is_assignment_line(last, cap) and len(last) < 160):
        head = text[: len(text.rstrip()) - len(last)].rstrip()
        return head.rstrip(" .;,"), last
    return text, None


def trailing_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Field lines written as the item's last sentences: ``... ở cơ sở. Thời gian: Thường xuyên``.

    Returns the text without them and their ``(key, value)`` pairs.
    """
    found: list[tuple[str, str]] = []
    while True:
        parts = _SENTENCE_END.split(text.rstrip())
        if len(parts) < 2:
            return text, found
        field_line = parse_field(parts[-1])
        if field_line is None:
            return text, found
        found.append((field_line.key, parts[-1][field_line.value_start :].strip(" .")))
        text = text[: len(text.rstrip()) - len(parts[-1])].rstrip(" .;,")


# "Phối hợp Công an xã ...", "Chủ trì, phối hợp với Công an phường, các tổ dân phố ...",
# "...; phối hợp Ban Chỉ huy Quân sự phường, Ủy ban MTTQ phường tổ chức ...": at the start of
# the item or of one of its clauses.
_WORKS_WITH = re.compile(r"(?:^|[;,]\s*)(?:chủ trì,\s*)?phối hợp(?:\s+(?:với|cùng))?\s+", re.IGNORECASE)
_LIST_GAP = re.compile(r"[\s,]*(?:(?:và|cùng)\s+)?")


def opening_support(text: str, cap: str) -> Units:
    """The bodies an item says it works with, named right after ``phối hợp (với)`` at a clause's start.

    Only known bodies, listed one after another (``Công an phường, các tổ dân phố``); the
    words after them are what the item does, not names.
    """
    found: Units = []
    for match in _WORKS_WITH.finditer(text):
        rest = text[match.end() : match.end() + 160]
        at = 0
        for mention in units.find_unit_mentions(rest, cap=cap):
            gap = rest[at : mention.span[0]]
            if not mention.recognised or _LIST_GAP.fullmatch(gap) is None:
                break
            found.append(mention)
            at = mention.span[1]
    return found


def inline_assignment(text: str, cap: str) -> tuple[str, str | None]:
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
        roles = _vocabulary()["assignment_lines"]["inline_roles"]
        if end is not None and any(fold(rest[end:]).lstrip(" ,").startswith(r) for r in roles):
            return text[: match.start()].rstrip(" .;,"), rest
    return text, None


def subject_unit(text: str, cap: str) -> Units:
    """The body an item opens with, as its lead: ``Ban Thường trực Ủy ban MTTQ phường giám sát ...``."""
    mentions = units.find_unit_mentions(text[:120], cap=cap)
    first = mentions[0] if mentions else None
    return [first] if first is not None and first.span[0] == 0 and first.recognised else []


def person_role(value: str, cap: str, issuer_body: str | None) -> units.UnitMatch | None:
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
        named = units.split_units(tail, cap=cap) if tail else []
        body = named[0].name if named and named[0].recognised and named[0].span[0] <= 1 else issuer_body
        if body is None:
            return None
        return units.UnitMatch(
            written=value.strip(" .;"), name=f"{role} {body}", recognised=True, kind="person"
        )
    return None


_NONE = {"không", "không có", "-", "–", "x", "/", "k", "0"}


def field_owner(key: str, value: str, cap: str, issuer_body: str | None) -> Owner:
    """The units of one field line: lead, support or both (``chuẩn bị, phối hợp``: all lead).

    A value that says there is none (``Đơn vị phối hợp: Không``) names no unit.
    """
    if fold(value).strip(" .;") in _NONE:
        return Owner()
    if key == "support":
        return owner([], units.split_units(value, cap=cap))
    person = person_role(value, cap, issuer_body)
    if person is not None:
        return owner([person])
    if key == "lead":
        return parse(value, cap)
    return owner(units.split_units(value, cap=cap))


_SHORT_ASSOCIATION = re.compile(r"(?:^|\s)Hội$")


def complete_name(name: str, association: str | None) -> str:
    """A body of the issuing association named short, in full: ``Ban Thường vụ Hội`` in a
    document of the Hội Cựu chiến binh -> ``Ban Thường vụ Hội Cựu chiến binh``."""
    if association is None or not _SHORT_ASSOCIATION.search(name):
        return name
    return name + association.removeprefix("Hội")


def records(found: Owner, association: str | None = None) -> list[UnitAssignment]:
    """Unit assignments of an owner, each body once per role (short association names in full)."""
    result = []
    for role, matches in (("lead", found.lead), ("support", found.support)):
        seen = set()
        for m in matches:
            name = complete_name(m.name, association)
            if name in seen:
                continue
            seen.add(name)
            result.append(
                UnitAssignment(
                    name=name,
                    written=m.written,
                    role=role,
                    recognised=m.recognised,
                    kind=m.kind,
                    score=m.score,
                    basis=found.basis,
                )
            )
    return result


UNIT_KEYS = ("lead", "support", "lead_support")


def fields_owner(fields: tuple[FieldLine, ...], cap: str, issuer_body: str | None) -> Owner:
    """The units field lines name; a ``lead`` line wins over a ``chuẩn bị, phối hợp`` one."""
    lead: Units = []
    support: Units = []
    for line in fields:
        if line.key in UNIT_KEYS:
            found = field_owner(line.key, line.value.text, cap, issuer_body)
            lead.extend(found.lead)
            support.extend(found.support)
    return owner(lead, support)


def group_line_owner(title: str, cap: str) -> Owner:
    """The bodies a group line assigns its points to: ``1. Giao Phòng Kinh tế:``, ``Đề nghị Ủy ban MTTQ ...:``."""
    text = title.rstrip()
    if not text.endswith(":") or _GIAO.match(text) is None:
        return Owner()
    parsed = units.parse_assignment(_GIAO.sub("", text).rstrip(" :"), cap=cap)
    return owner(*parsed) if parsed else Owner()


def time_field(fields: tuple[FieldLine, ...]) -> str | None:
    """The value of the first time field line, if any."""
    return next((f.value.text for f in fields if f.key == "time"), None)
