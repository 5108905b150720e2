"""The ``vanban`` command: thin over the pipeline (parse arguments, call, print).

Exit status: 0 when every file was read, 1 when some failed, 2 on usage errors.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vanban.budgets import Budgets

app = typer.Typer(
    help="Vietnamese administrative documents (work programs, plans, resolutions) to task records and DuckDB.",
    no_args_is_help=True,
    add_completion=False,
)

DEFAULT_DB = Path("data/out/vanban.duckdb")


class RecordFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"


def _fail(message: str) -> None:
    from vanban.pipeline.discover import printable

    # File names may hold newlines or terminal escape sequences: never print them raw.
    typer.echo(printable(message), err=True)


# --- budgets: the same flags on every command that reads files (see vanban/budgets.py) -----------
_B = "Budgets"
_D = Budgets()  # the defaults, shown in --help
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help=f"Seconds allowed per file, plus --timeout-per-page (default {_D.timeout_s:g}).",
        rich_help_panel=_B,
    ),
]
PerPageOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout-per-page",
        help=f"Extra seconds per page (default {_D.timeout_per_page_s:g}; total at most {_D.max_timeout_s:g}).",
        rich_help_panel=_B,
    ),
]
MemoryOpt = Annotated[
    int | None,
    typer.Option(
        "--memory-mb",
        help=f"Address-space limit of a worker in MB (default {_D.memory_mb}).",
        rich_help_panel=_B,
    ),
]
PagesOpt = Annotated[
    int | None,
    typer.Option("--max-pages", help=f"Pages per PDF (default {_D.max_pages}).", rich_help_panel=_B),
]
PixelsOpt = Annotated[
    int | None,
    typer.Option(
        "--ocr-pixels",
        help=f"Pixels of a page rendered for OCR; larger pages get a lower DPI (default {_D.ocr_pixels}).",
        rich_help_panel=_B,
    ),
]
CellsOpt = Annotated[
    int | None,
    typer.Option(
        "--max-table-cells", help=f"Cells per table (default {_D.max_table_cells}).", rich_help_panel=_B
    ),
]
ParasOpt = Annotated[
    int | None,
    typer.Option(
        "--max-paragraphs",
        help=f"Paragraphs (lines) per document (default {_D.max_paragraphs}).",
        rich_help_panel=_B,
    ),
]
XmlOpt = Annotated[
    int | None,
    typer.Option(
        "--max-xml-mb",
        help=f"Inflated size of a DOCX's XML in MB (default {_D.max_xml_mb}).",
        rich_help_panel=_B,
    ),
]
NumberingOpt = Annotated[
    int | None,
    typer.Option(
        "--max-numbering",
        help=f"Largest Word list number rendered as such (default {_D.max_numbering}).",
        rich_help_panel=_B,
    ),
]
WorkersOpt = Annotated[int | None, typer.Option(help="Parallel sandboxed worker processes.")]
FollowOpt = Annotated[
    bool,
    typer.Option("--follow-symlinks", help="Follow symbolic links that point outside the given folders."),
]


def _budgets(**values: object) -> Budgets:
    return Budgets().with_overrides(**values)


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (searched recursively).", exists=True)
    ],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
    force: Annotated[bool, typer.Option(help="Re-extract files already loaded.")] = False,
    workers: WorkersOpt = None,
    follow_symlinks: FollowOpt = False,
    lock_timeout: Annotated[
        float,
        typer.Option("--lock-timeout", help="Seconds to wait while another process holds the database."),
    ] = 60.0,
    timeout: TimeoutOpt = None,
    timeout_per_page: PerPageOpt = None,
    memory_mb: MemoryOpt = None,
    max_pages: PagesOpt = None,
    ocr_pixels: PixelsOpt = None,
    max_table_cells: CellsOpt = None,
    max_paragraphs: ParasOpt = None,
    max_xml_mb: XmlOpt = None,
    max_numbering: NumberingOpt = None,
) -> None:
    """Extract every file under PATHS and load the records into DuckDB."""
    from vanban.errors import VanbanError
    from vanban.pipeline.ingest import ingest as run_ingest

    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        report = run_ingest(
            paths, db, workers=workers, force=force, budgets=budgets,
            follow_symlinks=follow_symlinks, lock_timeout_s=lock_timeout,
        )  # fmt: skip
    except (VanbanError, OSError) as err:
        _fail(f"vanban ingest: {err}")
        raise typer.Exit(1) from err
    except KeyboardInterrupt:
        _fail("vanban ingest: interrupted; documents already loaded are kept, a re-run continues")
        raise typer.Exit(130) from None
    for source, error in report.failures:
        _fail(f"{source}: {error}")
    moved = f", {report.moved} moved" if report.moved else ""
    not_loaded = f" ({report.load_errors} rejected by the database)" if report.load_errors else ""
    typer.echo(
        f"documents: {report.ok} ok, {report.partial} partial, {report.failed} failed{not_loaded}, "
        f"{report.skipped} unchanged{moved}; "
        f"tasks: {report.tasks}; units: {report.units}; references: {report.references}; "
        f"targets: {report.targets}  -> {db}"
    )
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Documents to extract (PDF, DOCX, text).")],
    format: Annotated[
        RecordFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RecordFormat.jsonl,
    workers: WorkersOpt = None,
    follow_symlinks: FollowOpt = False,
    timeout: TimeoutOpt = None,
    timeout_per_page: PerPageOpt = None,
    memory_mb: MemoryOpt = None,
    max_pages: PagesOpt = None,
    ocr_pixels: PixelsOpt = None,
    max_table_cells: CellsOpt = None,
    max_paragraphs: ParasOpt = None,
    max_xml_mb: XmlOpt = None,
    max_numbering: NumberingOpt = None,
) -> None:
    """Print the records of FILES (the JSONL contract, JSON, or a task table)."""
    from vanban.pipeline.sandboxed import EXTRACT_TASK, failed_result, run_files

    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip
    failed = 0
    results = []
    outcomes = run_files(
        files, EXTRACT_TASK, budgets=budgets, workers=workers, follow_symlinks=follow_symlinks
    )
    for outcome in outcomes:
        if outcome.error is None:
            results.append(outcome.value)
        else:
            failed += 1
            _fail(f"{outcome.source}: {outcome.error}")
            results.append(failed_result(outcome))
    if format is RecordFormat.jsonl:
        for result in results:
            for record in result.records():
                sys.stdout.write(record.model_dump_json() + "\n")
    elif format is RecordFormat.json:
        records = [r.model_dump(mode="json") for result in results for r in result.records()]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    else:
        for result in results:
            doc = result.document
            typer.echo(
                f"# {doc.source}: {doc.doc_type or '?'} · {doc.issuer or '?'} · {doc.year or '?'} · {doc.status}"
            )
            for task in result.tasks:
                when = task.deadline or (f"tháng {task.month}" if task.month else "")
                lead = ", ".join(task.lead_units)
                typer.echo(f"{task.seq:>4}  {when!s:<12} {lead[:40]:<40} {task.text[:90]}")
    raise typer.Exit(1 if failed else 0)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run (read-only).")],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
    format: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = QueryFormat.table,
    lock_timeout: Annotated[
        float, typer.Option("--lock-timeout", help="Seconds to wait while an ingest holds the database.")
    ] = 30.0,
) -> None:
    """Run a read-only SQL query against the database (waits for a gap between an ingest's batches)."""
    from vanban.errors import DatabaseError
    from vanban.pipeline.discover import printable
    from vanban.pipeline.loader import run_query

    if not db.exists():
        _fail(f"{db}: no such database (run `vanban ingest` first)")
        raise typer.Exit(2)
    try:
        columns, rows = run_query(db, sql, wait_s=lock_timeout)
    except DatabaseError as err:
        _fail(str(err))
        raise typer.Exit(1) from err
    if format is QueryFormat.json:
        data = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=1) + "\n")
    elif format is QueryFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        widths = [min(60, max([len(str(c)), *(len(str(r[i])) for r in rows)])) for i, c in enumerate(columns)]
        typer.echo("  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)))
        for row in rows:
            # Values may hold a file name's newline or escape sequence: escaped, like every printed name.
            typer.echo("  ".join(printable(str(v))[:60].ljust(w) for v, w in zip(row, widths, strict=True)))


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Documents or folders to check.")],
    format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rule codes or prefixes to run (comma-separated).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rule codes or prefixes to skip (comma-separated).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="vanban.toml or pyproject.toml with [tool.vanban.validate]."),
    ] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of the messages.")] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="DuckDB database to compare citation dates with.")
    ] = None,
    workers: WorkersOpt = None,
    follow_symlinks: FollowOpt = False,
    timeout: TimeoutOpt = None,
    timeout_per_page: PerPageOpt = None,
    memory_mb: MemoryOpt = None,
    max_pages: PagesOpt = None,
    ocr_pixels: PixelsOpt = None,
    max_table_cells: CellsOpt = None,
    max_paragraphs: ParasOpt = None,
    max_xml_mb: XmlOpt = None,
    max_numbering: NumberingOpt = None,
) -> None:
    """Check documents for structural, date, reference and consistency problems (a linter)."""
    from vanban.errors import VanbanError
    from vanban.pipeline.discover import scan
    from vanban.pipeline.sandboxed import VALIDATE_TASK, run_files
    from vanban.validation import ConfigError, load_config, should_fail
    from vanban.validation.config import split_codes
    from vanban.validation.formats import FORMATTERS

    overrides = {
        "select": split_codes(select),
        "ignore": split_codes(ignore),
        "fail_on": fail_on.value if fail_on else None,
        "lang": lang.value if lang else None,
    }
    try:
        settings = load_config(config, overrides=overrides)
        scan(paths, follow_symlinks=follow_symlinks)  # a missing path is a usage error
    except (ConfigError, VanbanError) as err:
        _fail(str(getattr(err, "reason", None) or err))
        raise typer.Exit(2) from err
    if db is not None and not db.exists():
        _fail(f"{db}: no such database")
        raise typer.Exit(2)
    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip
    outcomes = run_files(
        paths, VALIDATE_TASK, budgets=budgets, workers=workers, follow_symlinks=follow_symlinks,
        kwargs={"config": settings, "db_path": db},
    )  # fmt: skip
    findings, unreadable = [], 0
    for outcome in outcomes:
        if outcome.error is None:
            findings.extend(outcome.value)
        else:
            unreadable += 1
            _fail(f"{outcome.source}: {outcome.error}")
    sys.stdout.write(FORMATTERS[format.value](findings, [o.source for o in outcomes]))
    raise typer.Exit(1 if unreadable or should_fail(findings, settings.fail_on) else 0)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Old version: a document or a .duckdb database.", exists=True)],
    new: Annotated[Path, typer.Argument(help="New version: a document or a .duckdb database.", exists=True)],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
    timeout: TimeoutOpt = None,
    timeout_per_page: PerPageOpt = None,
    memory_mb: MemoryOpt = None,
    max_pages: PagesOpt = None,
    ocr_pixels: PixelsOpt = None,
    max_table_cells: CellsOpt = None,
    max_paragraphs: ParasOpt = None,
    max_xml_mb: XmlOpt = None,
    max_numbering: NumberingOpt = None,
) -> None:
    """Compare the records of two versions of a document (or two databases or .jsonl snapshots): tasks, deadlines, units, references."""
    from vanban.errors import ExtractionError, VanbanError
    from vanban.pipeline.diff import diff_paths, render_text
    from vanban.pipeline.sandboxed import DIFF_VIEW_TASK, run_files

    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip

    views: dict[Path, object] = {}

    def sandboxed_view(path: Path):  # -> DocumentView, extracted in the sandbox (both files in one pool)
        if not views:
            outcomes = run_files([old, new], DIFF_VIEW_TASK, budgets=budgets)
            if len(outcomes) != 2:  # a folder was given
                raise ExtractionError(str(path), "compare two document files or two databases")
            views.update(zip((old, new), outcomes, strict=True))
        outcome = views[path]
        if outcome.error is not None:
            raise ExtractionError(outcome.source, outcome.error)
        return outcome.value

    try:
        report = diff_paths(old, new, view=sandboxed_view)
    except VanbanError as err:
        # Two files are compared: name the one that could not be read.
        _fail(f"{err.source}: {err.reason}" if isinstance(err, ExtractionError) else str(err))
        raise typer.Exit(2 if "database" in str(err) else 1) from err
    if format is DiffFormat.json:
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")
    else:
        sys.stdout.write(render_text(report))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output records."""
    from pydantic import TypeAdapter

    from vanban.schemas.records import DocumentRecord, ReferenceRecord, TargetRecord, TaskRecord

    adapter = TypeAdapter(DocumentRecord | TaskRecord | ReferenceRecord | TargetRecord)
    sys.stdout.write(json.dumps(adapter.json_schema(), ensure_ascii=False, indent=1) + "\n")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
