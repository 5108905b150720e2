"""``vanban report``: one offline HTML file about a database (documents, load, deadlines, citations, findings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vanban.report.data import ReportData, load_report_data
from vanban.report.render import render_html

__all__ = ["ReportData", "build_report", "load_report_data", "render_html"]


def build_report(db: Path, out: Path, *, as_of: dt.date | None = None, passages: bool = True) -> ReportData:
    """Write the HTML report of ``db`` to ``out``; return what it shows."""
    data = load_report_data(db, as_of, passages=passages)
    out.write_text(render_html(data), encoding="utf-8")
    return data
