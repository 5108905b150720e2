"""The report as one self-contained HTML file: inline CSS, no script, no network.

Every task links to its passage in the document's source text, where the span
it was extracted from is highlighted (``<mark id="t-<doc>-<seq>">``; the CSS
``:target`` rule makes the linked one stand out), as LangExtract's viewer
grounds each extraction in its text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from vanban.report.data import ReportData

_CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --accent:#0b6bcb; --bad:#c62828; --warn:#b26a00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0; background: #f5f7fa; }
header { background: #102a43; color: #fff; padding: 16px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #bcccdc; }
nav { background: #fff; border-bottom: 1px solid var(--line); padding: 8px 28px; position: sticky; top: 0; z-index: 2; }
nav a { margin-right: 16px; color: var(--accent); text-decoration: none; }
main { padding: 8px 28px 40px; max-width: 1500px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 16px 0; padding: 12px 18px; }
h2 { font-size: 18px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.totals { display: flex; gap: 12px; flex-wrap: wrap; }
.total { background: #f0f4f8; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.total b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #f0f4f8; position: sticky; top: 36px; white-space: nowrap; overflow-wrap: normal; }
td.num, .nw { white-space: nowrap; overflow-wrap: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-ok { color: #2e7d32; } .status-partial { color: var(--warn); } .status-failed { color: var(--bad); font-weight: bold; }
.sev-error { color: var(--bad); font-weight: bold; } .sev-warning { color: var(--warn); } .sev-info { color: var(--muted); }
.state-overdue { color: var(--bad); } .state-upcoming { color: #2e7d32; }
.heat td { text-align: center; min-width: 34px; font-size: 12px; }
.heat td.unit { text-align: left; white-space: nowrap; max-width: 360px; overflow: hidden; text-overflow: ellipsis; }
.level { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; background: #e4e7eb; }
.level-central { background: #ffe3e3; } .level-province { background: #fff3c4; } .level-local { background: #e3f8ff; }
.chain { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
.chain .arrow { color: var(--muted); }
.muted { color: var(--muted); }
a.task { color: var(--ink); text-decoration: none; border-bottom: 1px dotted var(--accent); }
a.task:hover { color: var(--accent); }
.passage { white-space: pre-wrap; font: 13px/1.5 "DejaVu Sans Mono", ui-monospace, monospace; background: #fbfcfd;
           border: 1px solid var(--line); padding: 10px; max-height: 480px; overflow: auto; }
mark { background: #fff59d; padding: 0 1px; }
mark:target { background: #ffb74d; outline: 2px solid #e65100; }
details > summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
"""


def _cell(value: Any) -> str:
    """A value as escaped HTML: empty for NULL, lists joined, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return escape("; ".join(str(v) for v in value))
    if isinstance(value, dt.date):
        return f'<span class="nw">{value:%d/%m/%Y}</span>'
    return escape(str(value))


def _short(value: Any, limit: int = 80) -> str:
    """Like :func:`_cell`, cut to ``limit`` characters (the whole value in the tooltip)."""
    text = "" if value is None else " ".join(str(value).split())
    if len(text) <= limit:
        return _cell(value)
    return f'<span title="{escape(text)}">{escape(text[: limit - 1])}…</span>'


def anchor(doc_index: int, seq: int) -> str:
    """The id of a task's highlighted span."""
    return f"t-{doc_index}-{seq}"


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` escaped, each ``(start, end, id)`` span wrapped in ``<mark id=...>``; overlaps are skipped."""
    out: list[str] = []
    position = 0
    for start, end, ident in sorted(spans):
        if start < position or end <= start or end > len(text):
            continue  # nested or out of range: the first span of a region keeps the mark
        out.append(escape(text[position:start]))
        out.append(f'<mark id="{escape(ident)}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    head = "".join(
        f'<th class="num">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    if not body:
        body = f'<tr><td colspan="{len(headers)}" class="muted">—</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _level(level: str | None) -> str:
    return f'<span class="level level-{escape(level or "unknown")}">{escape(level or "?")}</span>'


class _Links:
    """Task links: doc_id -> index of the document, and whether its passage is in the report."""

    def __init__(self, data: ReportData) -> None:
        self.index = {doc["doc_id"]: i for i, doc in enumerate(data.documents, start=1)}
        self.has_passage = set(data.passages)

    def task(self, doc_id: str, seq: int, text: str, limit: int = 160) -> str:
        short = text if len(text) <= limit else text[: limit - 1] + "…"
        if doc_id not in self.has_passage:
            return escape(short)
        return f'<a class="task" href="#{anchor(self.index[doc_id], seq)}">{escape(short)}</a>'


def _documents(data: ReportData) -> str:
    rows = [
        (
            f'<a href="#doc-{i}">{escape(doc["source"])}</a>',
            _short(doc["doc_type"], 40),
            _short(doc["issuer"], 60),
            _short(doc["locality"] or doc["province"], 40),
            _short(doc["symbol"], 30),
            _cell(doc["issued_on"]),
            f'<span class="nw status-{escape(doc["status"])}">{escape(doc["status"])}</span>',
            _cell(doc["task_count"]),
            _short(doc["error"], 160),
        )
        for i, doc in enumerate(data.documents, start=1)
    ]
    headers = ["file", "type", "issuer", "locality", "symbol", "issued", "status", "tasks", "problem"]
    return _table(headers, rows, numeric=[7])


def _heat_map(data: ReportData) -> str:
    if not data.heat_units:
        return '<p class="muted">No task has a month.</p>'
    peak = max(max(cells.values()) for _, cells, _ in data.heat_units)
    head = "".join(f'<th class="num">{month:02d}/{year % 100:02d}</th>' for year, month in data.heat_months)
    rows = []
    for unit, cells, total in data.heat_units:
        tds = []
        for key in data.heat_months:
            count = cells.get(key, 0)
            if count:
                # Intensity on a square-root scale, so one busy month does not wash out the rest.
                alpha = 0.12 + 0.88 * (count / peak) ** 0.5
                color = "#fff" if alpha > 0.6 else "#102a43"
                tds.append(
                    f'<td style="background:rgba(11,107,203,{alpha:.2f});color:{color}" '
                    f'title="{escape(unit)}: {count}">{count}</td>'
                )
            else:
                tds.append("<td></td>")
        rows.append(
            f'<tr><td class="unit" title="{escape(unit)}">{escape(unit)}</td>{"".join(tds)}'
            f'<td class="num"><b>{total}</b></td></tr>'
        )
    return (
        f'<table class="heat"><thead><tr><th>unit · locality</th>{head}<th class="num">total</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _due(rows: list[dict[str, Any]], links: _Links) -> str:
    body = [
        (
            f'<span class="state-{row["state"]}">{_cell(row["due_by"])}</span>',
            f"{row['days_left']:+d}",
            _cell(row["due_by_kind"]),
            _cell(row["lead_units"]),
            links.task(row["doc_id"], row["seq"], row["text"]),
            _cell(row["source"]),
        )
        for row in rows
    ]
    return _table(["due by", "days", "from", "lead", "task", "file"], body, numeric=[1])


def _citations(data: ReportData) -> str:
    cited = _table(
        ["cited document", "type", "level", "issuer", "issued", "citing documents", "citing tasks"],
        (
            (
                f"<b>{_cell(row['symbol'])}</b>",
                _cell(row["doc_type_name"]),
                _level(row["level"]),
                _short(row["issuer"], 60),
                _cell(row["issued_on"]),
                _cell(row["citing_documents"]),
                _cell(row["citing_tasks"]),
            )
            for row in data.most_cited
        ),
        numeric=[5, 6],
    )
    chains = []
    for row in data.chains:
        steps = [
            f"{_level(level)} {_cell(row[level]) or '<span class=muted>—</span>'}"
            for level in ("central", "province", "local")
        ]
        steps.append(f"{_level(row['citing_level'])} <b>{_cell(row['source'])}</b>")
        arrow = '<span class="arrow">→</span>'
        chains.append(f'<li class="chain">{arrow.join(steps)}</li>')
    return (
        f"{cited}<h3>Citation chain, central → province → local → this document</h3>"
        f'<ul class="chains">{"".join(chains) or "<li class=muted>No citations.</li>"}</ul>'
    )


def _findings(data: ReportData) -> str:
    by_rule = _table(
        ["rule", "severity", "findings", "documents"],
        (
            (
                f"<b>{_cell(r['code'])}</b>",
                f'<span class="sev-{escape(r["severity"])}">{escape(r["severity"])}</span>',
                _cell(r["findings"]),
                _cell(r["documents"]),
            )
            for r in data.findings_by_rule
        ),
        numeric=[2, 3],
    )
    detail = _table(
        ["rule", "file", "page", "line", "message", "excerpt"],
        (
            (
                f'<span class="sev-{escape(f["severity"])}">{_cell(f["code"])}</span>',
                _cell(f["source"]),
                _cell(f["page"]),
                _cell(f["line"]),
                _cell(f["message"]),
                _cell(f["excerpt"]),
            )
            for f in data.findings
        ),
    )
    return f"{by_rule}<details><summary>Every finding ({len(data.findings)})</summary>{detail}</details>"


def _sources(data: ReportData, links: _Links) -> str:
    parts = []
    for doc in data.documents:
        index = links.index[doc["doc_id"]]
        tasks = data.tasks.get(doc["doc_id"], [])
        rows = (
            (
                _cell(t["seq"]),
                _cell(t["due_by"]),
                _cell(t["lead_units"]),
                links.task(doc["doc_id"], t["seq"], t["text"]),
                _cell(t["line"]) + (f" (p. {t['page']})" if t["page"] else ""),
            )
            for t in tasks
        )
        text = data.passages.get(doc["doc_id"])
        if text is None:
            passage = '<p class="muted">Source text not embedded (file moved, changed or unreadable).</p>'
        else:
            spans = [
                (t["span_start"], t["span_end"], anchor(index, t["seq"]))
                for t in tasks
                if t["span_start"] is not None and t["span_end"] is not None
            ]
            passage = f'<div class="passage">{highlight(text, spans)}</div>'
        parts.append(
            f'<div class="document" id="doc-{index}"><h3>{escape(doc["source"])} '
            f'<span class="muted">{_short(doc["doc_type"], 40)} · {_short(doc["issuer"], 60)} · '
            f"{len(tasks)} tasks</span></h3>"
            f"<details><summary>Tasks</summary>{_table(['#', 'due by', 'lead', 'task', 'line'], rows)}</details>"
            f"<details open><summary>Source text, extracted spans highlighted</summary>{passage}</details></div>"
        )
    return "".join(parts)


_SECTIONS = (
    ("documents", "Documents and status"),
    ("heatmap", "Tasks per unit per month"),
    ("deadlines", "Deadlines"),
    ("citations", "Most cited documents"),
    ("findings", "Validation findings by rule"),
    ("sources", "Tasks in their source text"),
)


def render_html(data: ReportData, generated: dt.datetime | None = None) -> str:
    """The whole report as one HTML document."""
    links = _Links(data)
    generated = generated or dt.datetime.now()
    totals = "".join(
        f'<div class="total"><b>{count}</b>{escape(name)}</div>' for name, count in data.totals.items()
    )
    bodies = {
        "documents": f'<div class="totals">{totals}</div><br>{_documents(data)}',
        "heatmap": _heat_map(data),
        "deadlines": (
            f"<p>Relative to <b>{data.as_of:%d/%m/%Y}</b>; a task without a day is due at the end of its "
            "month, quarter or year (<i>from</i>).</p>"
            f"<h3>Overdue (last 30 days)</h3>{_due(data.overdue, links)}"
            f"<h3>Upcoming (next 30 days)</h3>{_due(data.upcoming, links)}"
        ),
        "citations": _citations(data),
        "findings": _findings(data),
        "sources": _sources(data, links),
    }
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in _SECTIONS)
    sections = "".join(
        f'<section id="{key}"><h2>{escape(title)}</h2>{bodies[key]}</section>' for key, title in _SECTIONS
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>vanban report: {escape(data.db)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>vanban report</h1><p>{escape(data.db)} · generated {generated:%d/%m/%Y %H:%M}</p></header>"
        f"<nav>{nav}</nav><main>{sections}</main></body></html>\n"
    )
