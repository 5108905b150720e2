"""The ``vanban`` command: thin over the pipeline (parse arguments, call, print).

Exit status: 0 when every file was read, 1 when some failed, 2 on usage errors.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from vanban.pipeline.ingest import IngestReport

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


class Engine(StrEnum):
    local = "local"
    ray = "ray"


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
    engine: Annotated[
        Engine, typer.Option(help="local: worker processes here; ray: batches on a Ray cluster.")
    ] = Engine.local,
    address: Annotated[
        str | None, typer.Option(help="Ray head HOST:PORT (--engine ray); unset starts a local Ray.")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Files per batch (--engine ray, --parquet).", min=1)] = 50,
    parquet: Annotated[
        Path | None,
        typer.Option(help="Write Parquet shards to DIR instead of loading (see `vanban commit`)."),
    ] = None,
    shard: Annotated[
        str | None, typer.Option(help="With --parquet: extract only shard i of N (i/N, 0-based).")
    ] = None,
    lake: Annotated[str | None, typer.Option(help="DuckLake catalog URI (needs the lake extra).")] = None,
) -> None:
    """Extract every file under PATHS and load the records into DuckDB."""
    from vanban.pipeline.ingest import ingest as run_ingest

    if engine is Engine.ray or parquet is not None or shard is not None or lake is not None:
        report = _scaled_ingest(
            paths, db, force, timeout, workers, engine, address, batch_size, parquet, shard, lake
        )
        target = parquet or db
    else:
        db.parent.mkdir(parents=True, exist_ok=True)
        report = run_ingest(paths, db, timeout_s=timeout, workers=workers, force=force)
        target = db
    _print_report(report, target)


def _scaled_ingest(
    paths: list[Path],
    db: Path,
    force: bool,
    timeout: float,
    workers: int | None,
    engine: Engine,
    address: str | None,
    batch_size: int,
    parquet: Path | None,
    shard: str | None,
    lake: str | None,
) -> IngestReport:
    """Ingest through batches and shards (--engine ray, --parquet, --shard, --lake); exit 2 on usage errors."""
    from vanban.errors import VanbanError

    try:
        if lake is not None:
            from vanban.pipeline.lake import check_lake

            check_lake()
        if shard is not None and parquet is None:
            raise typer.BadParameter("--shard needs --parquet DIR")
        if engine is Engine.ray:
            if shard is not None:
                raise typer.BadParameter("--shard is for sites without a cluster; drop it with --engine ray")
            from vanban.pipeline.engines.ray_engine import ingest as ray_ingest

            if parquet is None:
                db.parent.mkdir(parents=True, exist_ok=True)
            return ray_ingest(
                paths,
                None if parquet else db,
                parquet_dir=parquet,
                address=address,
                batch_size=batch_size,
                timeout_s=timeout,
                force=force,
            )
        from vanban.pipeline.engines.local import ingest_parquet
        from vanban.pipeline.shards import parse_shard

        assert parquet is not None
        return ingest_parquet(
            paths,
            parquet,
            shard=parse_shard(shard) if shard else (0, 1),
            batch_size=batch_size,
            timeout_s=timeout,
            workers=workers or 1,
        )
    except typer.BadParameter as err:
        _fail(f"usage: {err}")
        raise typer.Exit(2) from err
    except ValueError as err:
        _fail(str(err))
        raise typer.Exit(2) from err
    except VanbanError as err:
        _fail(str(getattr(err, "reason", None) or err))
        raise typer.Exit(2) from err


def _print_report(report: IngestReport, target: Path) -> None:
    """One line per failed file, then the summary; exit 1 when a file failed."""
    for source, error in report.failures:
        _fail(f"{source}: {error}")
    typer.echo(
        f"documents: {report.ok} ok, {report.partial} partial, {report.failed} failed, {report.skipped} unchanged; "
        f"tasks: {report.tasks}; units: {report.units}; references: {report.references}; "
        f"targets: {report.targets}  -> {target}"
    )
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def commit(
    shards: Annotated[Path, typer.Argument(help="Folder of Parquet shards (`vanban ingest --parquet`).")],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
) -> None:
    """Load Parquet shards into DuckDB, batch by batch in order, one transaction each."""
    from vanban.errors import VanbanError
    from vanban.pipeline.shards import commit as commit_shards

    if not shards.is_dir():
        _fail(f"{shards}: no such folder")
        raise typer.Exit(2)
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        report = commit_shards(shards, db)
    except VanbanError as err:
        _fail(str(getattr(err, "reason", None) or err))
        raise typer.Exit(2) from err
    _print_report(report, db)


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
) -> None:
    """Check documents for structural, date, reference and consistency problems (a linter)."""
    from vanban.errors import VanbanError
    from vanban.pipeline.discover import discover
    from vanban.validation import ConfigError, load_config, should_fail, validate_file
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
        files = discover(paths)
    except (ConfigError, VanbanError) as err:
        _fail(str(getattr(err, "reason", None) or err))
        raise typer.Exit(2) from err
    if db is not None and not db.exists():
        _fail(f"{db}: no such database")
        raise typer.Exit(2)
    findings, unreadable = [], 0
    for file in files:
        try:
            findings.extend(validate_file(file.path, settings, db_path=db, source=file.source))
        except VanbanError as err:
            unreadable += 1
            _fail(f"{file.source}: {getattr(err, 'reason', None) or err}")
    sys.stdout.write(FORMATTERS[format.value](findings, [f.source for f in files]))
    raise typer.Exit(1 if unreadable or should_fail(findings, settings.fail_on) else 0)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Old version: a document or a .duckdb database.", exists=True)],
    new: Annotated[Path, typer.Argument(help="New version: a document or a .duckdb database.", exists=True)],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
) -> None:
    """Compare the records of two versions of a document (or two databases or .jsonl snapshots): tasks, deadlines, units, references."""
    from vanban.errors import VanbanError
    from vanban.pipeline.diff import diff_paths, render_text

    try:
        report = diff_paths(old, new)
    except VanbanError as err:
        _fail(str(getattr(err, "reason", None) or err))
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
