"""When an item is due and which month it belongs to (the record contract's timing fields).

* ``deadline`` is a specific day only: a date, or the end of a span of days
  (``10-20/3/2026``); a month, quarter, half or year (``Tháng 11/2026``,
  ``Quý II/2026``) leaves it empty and stays in ``deadline_text``.
* ``month`` comes from the period heading the item sits under, else from the
  monthly program's title, else from the item's own time when that names
  exactly one month (``20/5/2026``, ``Trước 31/7/2026``, ``Tháng 11/2026``).
"""

from __future__ import annotations

import re
from typing import Any

from vanban.normalizers.dates import DateValue

# The end of a span written as a day ("đến 20/3", "10-20/3/2026", "đến hết ngày 14/11").
_DAY_MONTH = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\b|\bngày\s+\d{1,2}\b", re.IGNORECASE)
# A span of months or quarters ("Tháng 4-5/2026", "Quý III-IV/2026") names no day.
_PERIOD_SPAN = re.compile(r"^\W*(?:trong\s+|từ\s+)?(?:tháng|quý|năm)\b(?!.*\bngày\b)", re.IGNORECASE)


def names_day(value: DateValue) -> bool:
    """Whether a time value is a specific day (or a span of days) rather than a period."""
    if value.kind == "date":
        return value.end is not None
    if value.kind != "range" or value.end is None or _PERIOD_SPAN.match(value.text):
        return False
    return bool(_DAY_MONTH.search(value.text))


def deadline_fields(value: DateValue | None, written: str | None) -> dict[str, Any]:
    """``deadline``, ``start``, ``deadline_text`` and ``deadline_kind`` of an item's own time."""
    if value is None:
        return {"deadline_text": written or None}
    fields: dict[str, Any] = {"deadline_text": written or value.text, "deadline_kind": value.kind}
    if names_day(value):
        fields["deadline"] = value.end
        if value.kind == "range":
            fields["start"] = value.start
    return fields


def single_month(value: DateValue | None) -> tuple[int, int] | None:
    """``(month, year)`` when a time value lies within one calendar month, else None."""
    if value is None or value.kind not in ("date", "range", "month"):
        return None
    if value.start is not None and value.end is not None:
        if (value.start.year, value.start.month) != (value.end.year, value.end.month):
            return None
        return value.end.month, value.end.year
    if value.kind == "date" and value.end is not None:
        return value.end.month, value.end.year
    return None
