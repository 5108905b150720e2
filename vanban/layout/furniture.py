"""Page furniture: page numbers and running headers or footers, dropped even inside an item.

A page-number line (``- 3 -``, ``Trang 3``, ``3/10``) is furniture wherever it
stands; a line that opens or closes two or more pages with the same text is a
running header or footer.
"""

from __future__ import annotations

import re
from collections import Counter

from vanban.layout import markers
from vanban.normalizers.text import fold
from vanban.schemas.blocks import Block

_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[-–—\s.]*$", re.IGNORECASE)


def is_page_number(text: str) -> bool:
    """``- 3 -``, ``Trang 3``, ``3/10``, ``12``: a line that only numbers its page."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def _edges(blocks: list[Block]) -> Counter[str]:
    """How many pages each text opens or closes (the first and last two lines of a page)."""
    pages: dict[int, list[Block]] = {}
    for block in blocks:
        if block.prov.page is not None and block.kind != "table_row":
            pages.setdefault(block.prov.page, []).append(block)
    seen: Counter[str] = Counter()
    for lines in pages.values():
        texts = {fold(b.text) for b in (*lines[:2], *lines[-2:]) if not is_page_number(b.text)}
        seen.update(texts)
    return seen


def drop_furniture(blocks: list[Block]) -> list[Block]:
    """The blocks without page numbers and running headers or footers."""
    paged = {b.prov.page for b in blocks if b.prov.page is not None}
    if len(paged) < 2:
        return blocks
    least = max(2, len(paged) // 2)
    repeated = {
        text
        for text, count in _edges(blocks).items()
        if count >= least and len(text) < 120 and markers.parse(text).marker is None
    }
    return [
        b
        for b in blocks
        if b.kind == "table_row"
        or b.role != "body"
        or not (is_page_number(b.text) or fold(b.text) in repeated)
    ]
