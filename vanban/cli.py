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


def _fail(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (searched recursively).", exists=True)
    ],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
    force: Annotated[bool, typer.Option(help="Re-extract files already loaded.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per file.")] = 120.0,
    workers: Annotated[int | None, typer.Option(help="Parallel extraction processes.")] = None,
) -> None:
    """Extract every file under PATHS and load the records into DuckDB."""
    from vanban.pipeline.ingest import ingest as run_ingest

    db.parent.mkdir(parents=True, exist_ok=True)
    report = run_ingest(paths, db, timeout_s=timeout, workers=workers, force=force)
    for source, error in report.failures:
        _fail(f"{source}: {error}")
    typer.echo(
        f"documents: {report.ok} ok, {report.partial} partial, {report.failed} failed, {report.skipped} unchanged; "
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
) -> None:
    """Print the records of FILES (the JSONL contract, JSON, or a task table)."""
    from vanban.errors import VanbanError
    from vanban.pipeline.extract import extract_file, failed_result

    failed = 0
    results = []
    for path in files:
        try:
            results.append(extract_file(path))
        except VanbanError as err:
            failed += 1
            _fail(f"{path}: {getattr(err, 'reason', err)}")
            results.append(failed_result(path, err))
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
) -> None:
    """Run a read-only SQL query against the database."""
    from vanban.errors import DatabaseError
    from vanban.pipeline.loader import run_query

    if not db.exists():
        _fail(f"{db}: no such database (run `vanban ingest` first)")
        raise typer.Exit(2)
    try:
        columns, rows = run_query(db, sql)
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
            typer.echo("  ".join(str(v)[:60].ljust(w) for v, w in zip(row, widths, strict=True)))


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
