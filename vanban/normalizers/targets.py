"""Quantitative indicators (chỉ tiêu): ``(4) ... đạt 4,0% trở lên`` -> value, unit, comparator."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel

from vanban.resources import load_toml

_CODE = re.compile(r"\((\d{1,2})\)\s*")
# Indicators under one code are separated by sentences or by semicolons.
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-ZĐÂĂÊÔƠƯ])|(?<=;)\s+")
# Vietnamese numbers: "1.600" is a thousand separator, "4,0" a decimal comma.
_NUMBER = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"


class Target(BaseModel):
    """One indicator with its printed code."""

    code: str
    text: str
    value: float
    unit: str | None
    comparator: str
    span: tuple[int, int]


@cache
def _vocabulary() -> dict[str, Any]:
    vocab = load_toml("targets")
    units = sorted(vocab["units"], key=len, reverse=True)
    value_re = re.compile(
        rf"(?P<before>(?:{'|'.join(map(re.escape, vocab['before']))})\s+)?(?:từ\s+)?"
        rf"(?P<number>{_NUMBER})\s*(?P<unit>%|(?:{'|'.join(map(re.escape, units))})\b)"
    )
    return {**vocab, "value_re": value_re, "zero_re": re.compile(vocab["zero"]["pattern"], re.IGNORECASE)}


def _number(raw: str) -> float:
    return float(raw.replace(".", "").replace(",", "."))


def _description(sentence: str, start: int, end: int) -> str:
    """The indicator's name: the sentence before its value, or after it when the value leads."""
    head = sentence[:start].strip()
    if len(head.split()) <= 2:
        # "Có trên 90% đảng viên được đánh giá ... trở lên", "Giữ vững 100% số trường ..."
        tail = re.sub(r"\s+(?:trở lên|trở xuống)\W*$", "", sentence[end:].strip(" .;"))
        return re.sub(r"^(?:số|mới)\s+", "", tail).strip(" ,") or sentence.strip(" .;")
    head = re.sub(r"\s+(?:đạt|là|còn|tăng|giảm|được|duy trì đạt|phấn đấu đạt)(?:\s+từ)?$", "", head)
    head = re.sub(r"^(?:Có|Phấn đấu|Giữ vững|Duy trì)\s+", "", head)
    return head.strip(" ,:;") or sentence.strip()


def parse_indicator(code: str, sentence: str, offset: int = 0) -> Target | None:
    """One indicator sentence -> Target, or None when it states no quantity."""
    vocab = _vocabulary()
    zero = vocab["zero_re"].search(sentence)
    match = vocab["value_re"].search(sentence)
    if match is None and zero is None:
        return None
    if match is None or (zero is not None and zero.start() < match.start()):
        assert zero is not None
        return Target(
            code=code, text=sentence.strip(" ."), value=0.0, unit=zero.group("unit"), comparator="=",
            span=(offset + zero.start(), offset + zero.end()),
        )  # fmt: skip
    comparator = vocab["before"].get((match.group("before") or "").strip(), "=")
    tail = sentence[match.end() : match.end() + 25].lower()
    leading_from = "từ " in sentence[max(0, match.start() - 4) : match.start("number")]
    for phrase, comp in vocab["after"].items():
        if re.match(rf"\s*(?:\w+\s+){{0,2}}{phrase}", tail) and comparator == "=":
            comparator = comp
    if leading_from and comparator == "=":
        comparator = ">="
    if match.group("before") and match.group("before").strip() == "trên":
        # "Có trên 90% đảng viên ... từ hoàn thành tốt nhiệm vụ trở lên": "trên" binds the number.
        comparator = ">"
    text = _description(sentence, match.start(), match.end())
    unit = match.group("unit")
    return Target(
        code=code, text=text, value=_number(match.group("number")), unit=unit, comparator=comparator,
        span=(offset + match.start(), offset + match.end()),
    )  # fmt: skip


# In a targets part, a numbered item is one indicator: "1. 100% đoàn viên được học tập ...".
_ITEM_CODE = re.compile(r"^(\d{1,2})[.)]\s+")


def find_targets(text: str) -> list[Target]:
    """Indicators numbered ``(n)`` in a paragraph, or a paragraph numbered ``n.``; sentences under one code share it."""
    targets = []
    codes = list(_CODE.finditer(text)) or list(_ITEM_CODE.finditer(text))
    for i, code in enumerate(codes):
        end = codes[i + 1].start() if i + 1 < len(codes) else len(text)
        chunk = text[code.end() : end]
        position = code.end()
        for sentence in _SENTENCE.split(chunk):
            start = text.find(sentence, position)
            position = start + len(sentence)
            target = parse_indicator(code.group(1), sentence, start)
            if target is not None:
                targets.append(target)
    return targets


_ROMAN_HEADING = re.compile(r"^[IVX]{1,5}\s*[.\-–]\s")


def targets_region(paragraphs: list[str]) -> list[int]:
    """Indexes of the paragraphs that state indicators: from a ``chỉ tiêu`` heading to the next part."""
    inside = False
    found = []
    for index, text in enumerate(paragraphs):
        head = text[:80].lower()
        if _ROMAN_HEADING.match(text):
            inside = "chỉ tiêu" in head
            continue
        if "chỉ tiêu" in head and re.match(r"^\d{1,2}(?:\.\d{1,2})*\.?\s", text):
            inside = True
        if inside and (_CODE.search(text) or _ITEM_CODE.match(text)):
            found.append(index)
    return found
