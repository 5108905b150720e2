"""The genre's fixed parts, told apart by their words: title, preamble, regions, signature, closing.

Vocabulary in ``resources/structure.toml`` (regions, preamble, topics) and
``resources/titles.toml``; matching is on folded text, and headings also
without tone marks (OCR misreads marks far more often than letters).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from vanban.layout.model import Region
from vanban.normalizers.text import fold, strip_marks
from vanban.resources import load_toml


@cache
def vocabulary() -> dict[str, Any]:
    return load_toml("structure")


def starts(folded: str, words: list[str]) -> bool:
    return any(folded.startswith(w) for w in words)


def bare(text: str) -> str:
    """Folded and without tone marks: OCR misreads marks (``TỔ CHÚC THỤC HIỆN``), rarely letters."""
    return strip_marks(fold(text))


def region_of_heading(title: str) -> Region:
    """The part of the document a top-level heading opens."""
    folded = bare(title)
    regions = {key: [bare(w) for w in words] for key, words in vocabulary()["regions"].items()}
    if starts(folded, [bare(w) for w in vocabulary()["task_headings"]["starts"]]):
        return "tasks"
    if any(w in folded for w in regions["closing"]):
        return "closing"
    if any(w in folded for w in regions["targets"]):
        return "targets"
    if any(folded.startswith(w) or f" {w}" in folded[:40] for w in regions["no_tasks"]):
        return "no_tasks"
    return "tasks"


def is_signature(text: str) -> bool:
    """An upper-case signing line: ``TM. ỦY BAN NHÂN DÂN``, ``T/M BAN CHẤP HÀNH``, ``CHỦ TỊCH``."""
    if not text.isupper() or len(text) > 60:
        return False
    regions = vocabulary()["regions"]
    folded = fold(text)
    return starts(folded, regions["signature_prefixes"]) or folded.strip(" .") in regions["signature_titles"]


def is_topic(title: str) -> bool:
    """A short title that names a topic (``Hoạt động cấp xã``, ``Công tác tuyên truyền``), not a task."""
    topics = vocabulary()["topics"]
    return len(title.split()) <= topics["max_words"] and starts(fold(title), topics["starts"])


def is_closing_statement(text: str) -> bool:
    """A sentence that closes the items (``Trên đây là ...``, ``Trong quá trình thực hiện ...``)."""
    folded = fold(text)
    return any(w in folded[:80] for w in vocabulary()["regions"]["closing_statements"])


def is_title(text: str) -> bool:
    stripped = text.strip(" *")
    if not stripped.isupper() or len(stripped) > 80:
        return False
    return any(stripped.startswith(rule["words"]) for rule in load_toml("titles")["title"])


def preamble_line(text: str) -> bool:
    """A ``Căn cứ`` / ``Thực hiện`` line, marked or not."""
    folded = fold(text).lstrip("-–+•* ")
    return starts(folded, vocabulary()["preamble"]["starts"])


def opens_tasks(text: str) -> bool:
    return any(fold(text).rstrip().endswith(w) for w in vocabulary()["regions"]["opening_statements"])


# ------------------------------------------------------------------ builders
