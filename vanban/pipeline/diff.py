"""Compare the extracted records of two versions of a document, or of two databases.

Tasks are matched by text similarity (rapidfuzz, best pairs first), so a task
whose wording was touched up is *changed*, not removed and added; the report
lists per field what was gained and lost: tasks added, removed or changed,
deadlines moved, lead/support units changed, references added or removed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process

from vanban.errors import DatabaseError

# Two task texts at least this similar (token-sort ratio, 0-100) are the same task.
MATCH_THRESHOLD = 60.0
_DB_SUFFIXES = {".duckdb", ".db"}
_SNAPSHOT_SUFFIXES = {".jsonl"}
_TASK_FIELDS = ("text", "month", "year", "deadline", "lead_units", "support_units", "references")


class TaskView(BaseModel):
    """The comparable part of a task."""

    seq: int
    text: str
    month: int | None = None
    year: int | None = None
    deadline: dt.date | None = None
    lead_units: list[str] = Field(default_factory=list)
    support_units: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    line: int | None = None


class DocumentView(BaseModel):
    """The comparable part of a document: its header fields, tasks and cited symbols."""

    source: str
    fields: dict[str, Any] = Field(default_factory=dict)
    tasks: list[TaskView] = Field(default_factory=list)
    references: dict[str, dt.date | None] = Field(default_factory=dict)


class FieldChange(BaseModel):
    old: Any = None
    new: Any = None


class TaskChange(BaseModel):
    """A task found in both versions with at least one field changed."""

    old_seq: int
    new_seq: int
    similarity: float
    text: str
    changes: dict[str, FieldChange]


class DocumentDiff(BaseModel):
    """Gains and losses between two versions of one document."""

    old_source: str
    new_source: str
    fields: dict[str, FieldChange] = Field(default_factory=dict)
    tasks_added: list[TaskView] = Field(default_factory=list)
    tasks_removed: list[TaskView] = Field(default_factory=list)
    tasks_changed: list[TaskChange] = Field(default_factory=list)
    deadlines_moved: int = 0
    units_changed: int = 0
    references_added: list[str] = Field(default_factory=list)
    references_removed: list[str] = Field(default_factory=list)
    references_redated: dict[str, FieldChange] = Field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Whether the two versions carry the same records."""
        return not (
            self.fields
            or self.tasks_added
            or self.tasks_removed
            or self.tasks_changed
            or self.references_added
            or self.references_removed
            or self.references_redated
        )


class DiffReport(BaseModel):
    """The comparison of two files or two databases."""

    old: str
    new: str
    documents: list[DocumentDiff] = Field(default_factory=list)
    documents_added: list[str] = Field(default_factory=list)
    documents_removed: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------ loading


def _is_database(path: Path) -> bool:
    return path.suffix.lower() in _DB_SUFFIXES


def _is_collection(path: Path) -> bool:
    """A database or a record snapshot: many documents, compared document by document."""
    return path.suffix.lower() in _DB_SUFFIXES | _SNAPSHOT_SUFFIXES


def _collection_views(path: Path) -> dict[str, DocumentView]:
    return database_views(path) if _is_database(path) else snapshot_views(path)


def document_view(path: Path, *, source: str | None = None) -> DocumentView:
    """Extract one file and keep the comparable records (``source`` names it in the records)."""
    from vanban.pipeline.extract import extract_file

    result = extract_file(path, source=source)
    return _result_view(
        result.document.model_dump(mode="json"),
        [t.model_dump(mode="json") for t in result.tasks],
        [r.model_dump(mode="json") for r in result.references],
    )


def _result_view(
    document: dict[str, Any], tasks: list[dict[str, Any]], refs: list[dict[str, Any]]
) -> DocumentView:
    """The comparable part of one file's records (as contract JSON objects)."""
    return DocumentView(
        source=document["source"],
        fields={
            key: document.get(key) for key in ("doc_type", "issuer", "year", "symbol", "issued_on", "title")
        },
        tasks=[
            TaskView(
                **{key: task.get(key) for key in _TASK_FIELDS if key != "text"},
                seq=task.get("seq", 0),
                text=task["text"],
                line=(task.get("provenance") or {}).get("line"),
            )
            for task in tasks
        ],
        references={ref["symbol"]: ref.get("issued_on") for ref in refs},
    )


def snapshot_views(path: Path) -> dict[str, DocumentView]:
    """Every document of a JSONL record snapshot (``vanban extract --format jsonl``), by source path."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DatabaseError(f"{path}: not a JSONL record snapshot: {err}") from err
    for record in records:
        kinds = grouped.setdefault(record.get("source", ""), {})
        kinds.setdefault(record.get("kind", ""), []).append(record)
    return {
        source: _result_view(kinds["document"][0], kinds.get("task", []), kinds.get("reference", []))
        for source, kinds in grouped.items()
        if kinds.get("document") and kinds["document"][0].get("status") != "failed"
    }


def database_views(path: Path) -> dict[str, DocumentView]:
    """Every loaded document of a ``vanban ingest`` database, by source path."""
    from vanban.pipeline.loader import open_db

    con = open_db(path, read_only=True)
    try:
        docs = con.execute(
            "SELECT doc_id, source, doc_type, issuer, year, symbol, issued_on, title FROM documents "
            "WHERE status <> 'failed'"
        ).fetchall()
        tasks = con.execute(
            "SELECT doc_id, seq, text, month, year, deadline, line FROM tasks ORDER BY doc_id, seq"
        ).fetchall()
        units = con.execute(
            "SELECT doc_id, task_seq, role, name FROM task_units ORDER BY doc_id, task_seq, ord"
        ).fetchall()
        task_refs = con.execute("SELECT doc_id, task_seq, symbol FROM task_references").fetchall()
        refs = con.execute('SELECT doc_id, symbol, issued_on FROM "references"').fetchall()
    except Exception as err:  # duckdb.Error: a file that is not a vanban database
        raise DatabaseError(f"{path}: not a vanban database: {err}") from err
    finally:
        con.close()
    views: dict[str, DocumentView] = {}
    by_id: dict[str, DocumentView] = {}
    for doc_id, source, doc_type, issuer, year, symbol, issued_on, title in docs:
        view = DocumentView(
            source=source,
            fields={
                "doc_type": doc_type,
                "issuer": issuer,
                "year": year,
                "symbol": symbol,
                "issued_on": issued_on,
                "title": title,
            },
        )
        views[source] = by_id[doc_id] = view
    task_index: dict[tuple[str, int], TaskView] = {}
    for doc_id, seq, text, month, year, deadline, line in tasks:
        if doc_id in by_id:
            task = TaskView(seq=seq, text=text, month=month, year=year, deadline=deadline, line=line)
            by_id[doc_id].tasks.append(task)
            task_index[(doc_id, seq)] = task
    for doc_id, seq, role, name in units:
        task = task_index.get((doc_id, seq))
        if task is not None:
            (task.lead_units if role == "lead" else task.support_units).append(name)
    for doc_id, seq, symbol in task_refs:
        task = task_index.get((doc_id, seq))
        if task is not None:
            task.references.append(symbol)
    for doc_id, symbol, issued_on in refs:
        if doc_id in by_id:
            by_id[doc_id].references[symbol] = issued_on
    return views


# ------------------------------------------------------------------ comparing


def match_tasks(old: list[TaskView], new: list[TaskView]) -> list[tuple[int, int, float]]:
    """``(old index, new index, similarity)`` pairs: best similarity first, each task used once."""
    if not old or not new:
        return []
    scores = process.cdist(
        [t.text for t in old], [t.text for t in new], scorer=fuzz.token_sort_ratio, processor=str.lower
    )
    candidates = sorted(
        (
            (float(scores[i][j]), -abs(i - j), i, j)
            for i in range(len(old))
            for j in range(len(new))
            if scores[i][j] >= MATCH_THRESHOLD
        ),
        reverse=True,
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for score, _distance, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, score))
    return sorted(pairs)


def _task_changes(old: TaskView, new: TaskView) -> dict[str, FieldChange]:
    changes = {}
    for name in _TASK_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(before, list):
            before, after = sorted(set(before)), sorted(set(after))
        if before != after:
            changes[name] = FieldChange(old=before, new=after)
    return changes


def diff_documents(old: DocumentView, new: DocumentView) -> DocumentDiff:
    """Gains and losses from ``old`` to ``new``."""
    result = DocumentDiff(old_source=old.source, new_source=new.source)
    for name in sorted(set(old.fields) | set(new.fields)):
        if old.fields.get(name) != new.fields.get(name):
            result.fields[name] = FieldChange(old=old.fields.get(name), new=new.fields.get(name))
    pairs = match_tasks(old.tasks, new.tasks)
    matched_old = {i for i, _j, _s in pairs}
    matched_new = {j for _i, j, _s in pairs}
    result.tasks_removed = [t for i, t in enumerate(old.tasks) if i not in matched_old]
    result.tasks_added = [t for j, t in enumerate(new.tasks) if j not in matched_new]
    for i, j, score in pairs:
        changes = _task_changes(old.tasks[i], new.tasks[j])
        if changes:
            result.tasks_changed.append(
                TaskChange(
                    old_seq=old.tasks[i].seq,
                    new_seq=new.tasks[j].seq,
                    similarity=round(score, 1),
                    text=new.tasks[j].text,
                    changes=changes,
                )
            )
    result.deadlines_moved = sum(1 for c in result.tasks_changed if "deadline" in c.changes)
    result.units_changed = sum(
        1 for c in result.tasks_changed if "lead_units" in c.changes or "support_units" in c.changes
    )
    result.references_added = sorted(set(new.references) - set(old.references))
    result.references_removed = sorted(set(old.references) - set(new.references))
    for symbol in sorted(set(old.references) & set(new.references)):
        if old.references[symbol] != new.references[symbol]:
            result.references_redated[symbol] = FieldChange(
                old=old.references[symbol], new=new.references[symbol]
            )
    return result


def diff_paths(old: Path, new: Path, *, view: Callable[[Path], DocumentView] = document_view) -> DiffReport:
    """Compare two documents, or two databases (documents matched by source path; a lone pair is compared anyway).

    Raises :class:`~vanban.errors.VanbanError` when a file cannot be read and
    :class:`~vanban.errors.DatabaseError` when only one side is a database.
    """
    report = DiffReport(old=str(old), new=str(new))
    if _is_collection(old) != _is_collection(new):
        raise DatabaseError(
            "compare two documents, or two databases or record snapshots, not a document with a database"
        )
    if not _is_collection(old):
        # `view` extracts a document; the CLI passes one that runs in the sandbox.
        report.documents.append(diff_documents(view(old), view(new)))
        return report
    before, after = _collection_views(old), _collection_views(new)
    common = sorted(set(before) & set(after))
    if not common and len(before) == len(after) == 1:  # one document renamed between the two runs
        report.documents.append(diff_documents(next(iter(before.values())), next(iter(after.values()))))
        return report
    report.documents = [diff_documents(before[s], after[s]) for s in common]
    report.documents_added = sorted(set(after) - set(before))
    report.documents_removed = sorted(set(before) - set(after))
    return report


# ------------------------------------------------------------------ text output


def _value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return "; ".join(map(str, value)) or "—"
    return "—" if value is None else str(value)


def render_text(report: DiffReport) -> str:
    """A readable report: one block per document, ``+`` gains, ``-`` losses, ``~`` changes."""
    out = [f"--- {report.old}", f"+++ {report.new}"]
    for source in report.documents_removed:
        out.append(f"- document {source}")
    for source in report.documents_added:
        out.append(f"+ document {source}")
    for doc in report.documents:
        out.append(f"@@ {doc.old_source} -> {doc.new_source}")
        if doc.empty:
            out.append("  (no change in the extracted records)")
            continue
        for name, change in doc.fields.items():
            out.append(f"~ {name}: {_value(change.old)} -> {_value(change.new)}")
        for task in doc.tasks_removed:
            out.append(f"- task {task.seq}: {task.text[:100]}")
        for task in doc.tasks_added:
            out.append(f"+ task {task.seq}: {task.text[:100]}")
        for change in doc.tasks_changed:
            out.append(
                f"~ task {change.old_seq}->{change.new_seq} ({change.similarity:g}%): {change.text[:90]}"
            )
            for name, values in change.changes.items():
                if name == "text":
                    out.append(f"    was: {str(values.old)[:90]}")
                else:
                    out.append(f"    {name}: {_value(values.old)} -> {_value(values.new)}")
        for symbol in doc.references_removed:
            out.append(f"- reference {symbol}")
        for symbol in doc.references_added:
            out.append(f"+ reference {symbol}")
        for symbol, values in doc.references_redated.items():
            out.append(f"~ reference {symbol}: {_value(values.old)} -> {_value(values.new)}")
        out.append(
            f"  tasks: +{len(doc.tasks_added)} -{len(doc.tasks_removed)} ~{len(doc.tasks_changed)}; "
            f"deadlines moved: {doc.deadlines_moved}; units changed: {doc.units_changed}; "
            f"references: +{len(doc.references_added)} -{len(doc.references_removed)}"
        )
    return "\n".join(out) + "\n"
