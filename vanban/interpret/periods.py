"""Periods headings give the items under them, and the times items give themselves.

A heading is a period when it is only a time (``Tháng 01/2026``, ``1. Quý IV, năm
2025``, ``Tuần 3 (từ 19/10 đến 23/10)``) or a phase (``Đợt 1: Từ ngày 05/12/2025
đến ngày 20/02/2026``); any other heading under the same parent ends the period
(``4. Nhiệm vụ thường xuyên`` after ``3. Tháng 12``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanban.normalizers import dates
from vanban.normalizers.text import fold

_PHASE = re.compile(r"^(?:đợt|giai đoạn|bước)\s+\d{1,2}\s*[:.\-–]\s*(?P<when>.+)$", re.IGNORECASE)
_PERIOD_TITLE = re.compile(r"^(?:quý|năm|tháng|6 tháng|tuần)\b", re.IGNORECASE)
# A comma may sit inside the time ("Thứ Hai, 05/01: ..."); the whole label must read as a time.
_LEADING_WHEN = re.compile(r"^(?P<when>[^:;.]{4,60}?\d[^:;]{0,20}):\s*(?P<rest>\S.*)$")
# Both ends are days ("từ 17/12/2025 đến 25/01/2026"), not "3 tháng cuối năm".
_DAY_TO_DAY = re.compile(
    r"\d{1,2}/\d{1,2}\b.*\d{1,2}/\d{1,2}\b|\d{1,2}\s*[-–]\s*\d{1,2}/\d{1,2}\b"
)  # or "11-22/5"
_SPAN_KINDS = ("range", "date")


@dataclass(frozen=True)
class Period:
    """The time a heading sets: a value, and whether it is a phase (its span is the items' due span)."""

    value: dates.DateValue | None
    phase: bool = False


def heading_period(title: str, year: int | None) -> Period | None:
    """The period a heading sets, or None when the heading is no time."""
    stripped = title.strip()
    phase = _PHASE.match(stripped)
    if phase is not None:
        return Period(_phase_span(phase.group("when").strip(" .:"), year), phase=True)
    value = dates.parse_period_heading(stripped, ref_year=year)
    if value is not None:
        return Period(value)
    short = stripped.strip(" .:")
    if len(short) <= 40 and _PERIOD_TITLE.match(short):
        value = dates.parse_date_expression(
            re.sub(r",\s*(?=năm)", " ", short, flags=re.IGNORECASE), ref_year=year
        )
        if value is not None and value.kind in ("year", "quarter", "month", "half", "range"):
            return Period(value)
    return None


def _phase_span(when: str, year: int | None) -> dates.DateValue | None:
    """The span of a phase; a phase "after" a date (``Sau ngày bầu cử 15/3/2026``) has none."""
    if fold(when).startswith("sau"):
        return None
    # "đến ngày bầu cử 15/3/2026": the words naming the day stand between "ngày" and its date.
    when = re.sub(r"(?<=\bđến)\s+ngày\s+[^\d,;]{2,30}?\s+(?=\d)", " ", when, flags=re.IGNORECASE)
    value = dates.parse_date_expression(when, ref_year=year)
    if value is None:
        mentions = [
            m for m in dates.find_dates(when, ref_year=year) if m.role not in ("reference", "content")
        ]
        value = mentions[0].value if mentions else None
    return value


def phase_span(period: Period | None) -> dates.DateValue | None:
    """The span of days a phase heading gives the items under it."""
    if period is None or not period.phase or period.value is None:
        return None
    return period.value if period.value.kind in _SPAN_KINDS else None


def date_in(text: str, year: int | None, *, whole: bool = False) -> dates.DateValue | None:
    """The deadline or period a field value or assignment line gives, if any.

    ``Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025)`` -> the deadline cue
    wins; ``trong Quý I/2026`` has no deadline cue and gives its period.
    """
    value = dates.parse_date_expression(text, ref_year=year) if whole else None
    value = value or dates.find_deadline(text, ref_year=year)
    if value is None:
        mentions = [m for m in dates.find_dates(text, ref_year=year) if m.role != "reference"]
        value = mentions[-1].value if mentions else None
    return value


def leading_when(text: str, year: int | None) -> tuple[dates.DateValue, str, str] | None:
    """A time an item opens with: ``Từ ngày 05/02/2026 - 08/02/2026: Ban Thường trực ... trao đổi``."""
    match = _LEADING_WHEN.match(text)
    if match is None:
        return None
    value = date_in(match.group("when"), year, whole=True)
    return (value, match.group("when"), match.group("rest")) if value is not None else None


def own_span(text: str, year: int | None, *, loose: bool = False) -> dates.DateValue | None:
    """A span of days the item states for itself: ``... (từ 17/12/2025 đến 25/01/2026)``.

    ``loose`` (plans, whose items are dated in running text) also takes one month or
    quarter with its year: ``... xây dựng Báo cáo ... trong tháng 09/2025``.
    """
    spans = [
        m.value
        for m in dates.find_dates(text, ref_year=year)
        if m.role == "period"
        and (
            (m.value.kind == "range" and _DAY_TO_DAY.search(m.value.text))
            or (loose and m.value.kind in ("month", "quarter") and re.search(r"\d{4}", m.value.text))
        )
    ]
    return spans[-1] if len(spans) == 1 and spans[-1].end is not None else None
