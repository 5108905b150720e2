"""Rule families of ``vanban validate``: each module has ``check(ctx) -> Iterator[Hit]``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from vanban.validation.context import DocContext
from vanban.validation.findings import Hit
from vanban.validation.rules import consistency, dates, header, references, structure

Check = Callable[[DocContext], Iterator[Hit]]

FAMILIES: dict[str, Check] = {
    "structure": structure.check,
    "dates": dates.check,
    "references": references.check,
    "consistency": consistency.check,
    "header": header.check,
}
