"""The ``vanban`` command: thin over the pipeline (parse arguments, call, print).

Exit status: 0 when every file was read, 1 when some failed, 2 on usage errors.
A usage error is one line on stderr naming what is wrong and how to fix it;
no traceback ever reaches the user (``-v`` shows one for an internal error).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 ships its own copy of click
    from typer._click import exceptions as _click_errors
except ImportError:  # pragma: no cover - older typer on the real click
    from click import exceptions as _click_errors  # type: ignore[no-redef]

from vanban import __version__
from vanban.budgets import Budgets


class _Group(TyperGroup):
    """Runs the command without click's standalone mode, so every error becomes one line."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name or "vanban", complete_var, standalone_mode=False, **extra)
        except _click_errors.NoArgsIsHelpError as err:
            typer.echo(err.ctx.get_help() if err.ctx else "vanban -h", err=True)
            code = 2
        except _click_errors.UsageError as err:
            command = err.ctx.command_path if err.ctx else "vanban"
            typer.echo(f"{command}: error: {err.format_message()} (see `{command} -h`)", err=True)
            code = 2
        except _click_errors.ClickException as err:
            typer.echo(f"vanban: error: {err.format_message()}", err=True)
            code = err.exit_code
        except (typer.Abort, KeyboardInterrupt):
            typer.echo("vanban: interrupted", err=True)
            code = 130
        except BrokenPipeError:  # `vanban query ... | head`: the reader has gone, nothing to say
            with contextlib.suppress(Exception), open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), sys.stdout.fileno())  # so the exit's flush does not fail again
            code = 1
        except Exception as err:  # the last guard: one line, never a traceback unless -v
            if "-v" in argv or "--verbose" in argv:
                traceback.print_exc()
            first = (str(err).strip().splitlines() or [""])[0]
            typer.echo(
                f"vanban: internal error: {type(err).__name__}: {first} (run again with -v for details)",
                err=True,
            )
            code = 1
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


if TYPE_CHECKING:
    from vanban.pipeline.ingest import IngestReport

app = typer.Typer(
    cls=_Group,
    help="Vietnamese administrative documents (work programs, plans, resolutions) to task records and DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_DB = Path("data/out/vanban.duckdb")
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the data.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="One line per file, even on a terminal.")]
SummaryJson = Annotated[
    Path | None, typer.Option("--summary-json", help="Write a JSON summary of the run to this file.")
]
Include = Annotated[
    list[str] | None,
    typer.Option("--include", help="Only files matching this glob (relative to the folder; repeatable)."),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Skip files matching this glob (relative to the folder; repeatable)."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vanban {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Vietnamese administrative documents (work programs, plans, resolutions) to task records and DuckDB."""


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


def _shown(text: str) -> str:
    """``text`` with control characters escaped: file names may hold newlines or terminal escape sequences."""
    from vanban.pipeline.discover import printable

    return printable(text)


def _fail(message: str) -> None:
    typer.echo(_shown(message), err=True)


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


def _one_line(text: str) -> str:
    """The first line of a message (DuckDB errors add context lines and a caret diagram)."""
    return text.strip().splitlines()[0] if text.strip() else text


def _usage(message: str) -> typer.Exit:
    """Print a one-line usage error; return the exit (code 2) to raise."""
    _fail(f"vanban: error: {message}")
    return typer.Exit(2)


def _check_paths(paths: Sequence[Path]) -> None:
    """Every input path exists and is readable, or a one-line usage error."""
    for path in paths:
        if not path.exists():
            raise _usage(f"{path}: no such file or folder (check the path)")
        if not os.access(path, os.R_OK):
            raise _usage(f"{path}: permission denied (make it readable or pass another path)")


def _check_db(db: Path, *, must_exist: bool) -> None:
    """``db`` is a DuckDB database file (or may be created), or a one-line usage error."""
    if not db.exists():
        if must_exist:
            raise _usage(f"{db}: no such database (run `vanban ingest PATH --db {db}` first, or pass --db)")
        parent = db.parent if str(db.parent) else Path(".")
        if parent.exists() and not parent.is_dir():
            raise _usage(f"{db}: {parent} is not a folder (pass another --db)")
        return
    if not db.is_file():
        raise _usage(f"{db}: not a database file (pass a .duckdb file to --db)")
    try:
        with db.open("rb") as handle:
            head = handle.read(16)
    except OSError as err:
        raise _usage(
            f"{db}: cannot read the database ({err.strerror}; fix its permissions or pass --db)"
        ) from err
    if head and head[8:12] != _DUCKDB_MAGIC:
        raise _usage(f"{db}: not a DuckDB database (pass a file written by `vanban ingest` to --db)")


def _check_vanban_db(db: Path, *, wait_s: float = 0.0) -> None:
    """An existing ``db`` that ingest will write is a vanban database (or empty), else a usage error.

    While another vanban holds the file (an ingest between two batches keeps it
    only briefly), this waits up to ``wait_s`` seconds; then one line, exit 1.
    """
    from vanban.errors import DatabaseBusyError, DatabaseError
    from vanban.pipeline.loader import open_db

    if not db.exists() or db.stat().st_size == 0:
        return
    try:
        con = open_db(db, read_only=True, wait_s=wait_s)
    except DatabaseBusyError as err:
        _fail(f"vanban: error: {_one_line(str(err))}")
        raise typer.Exit(1) from err
    except DatabaseError as err:
        raise _usage(f"{_one_line(str(err))} (pass another --db)") from err
    try:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    if tables and "schema_version" not in tables:
        raise _usage(f"{db}: a DuckDB database that vanban did not write (pass another --db)")


def _check_positive(option: str, value: float | None, *, minimum: float, strict: bool) -> None:
    if value is None:
        return
    if (value <= minimum) if strict else (value < minimum):
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise _usage(f"{option} {value:g}: must be {bound} (e.g. {option} {max(minimum, 1):g})")


def _select(
    paths: list[Path],
    include: list[str] | None,
    exclude: list[str] | None,
    verbose: bool,
    quiet: bool = False,
    *,
    follow_symlinks: bool = False,
) -> Any:
    """Files under ``paths`` that pass the globs, then the entries the walk could not read.

    Returns :class:`~vanban.pipeline.discover.SourceFile` items followed by
    :class:`~vanban.pipeline.discover.Problem` items (a FIFO, a link out of the
    folders, an unreadable folder), each of which becomes one error line. A
    note per filtered-out file with -v.
    """
    from vanban.errors import VanbanError
    from vanban.pipeline.selection import select_entries

    try:
        kept, dropped, problems = select_entries(
            paths, include or (), exclude or (), follow_symlinks=follow_symlinks
        )
    except VanbanError as err:
        raise _usage(f"{err} (check the path)") from err
    if verbose:
        for file in dropped:
            _fail(f"{file.source}: skipped (--include/--exclude)")
    seen = {f.source for f in (*kept, *dropped, *problems)}
    _note_not_documents(paths, seen, quiet=quiet, verbose=verbose)
    return [*kept, *problems]


def _note_not_documents(paths: Sequence[Path], seen: set[str], *, quiet: bool, verbose: bool) -> list[str]:
    """Say which files under the folders were skipped as not documents (one line, or one per file with -v)."""
    from vanban.pipeline.selection import not_documents

    skipped = not_documents(paths, seen)
    if skipped and not quiet:
        if verbose:
            for source in skipped:
                _fail(f"{source}: skipped (not a document)")
        else:
            kinds = sorted({Path(s).suffix.lower() or Path(s).name for s in skipped})
            _fail(f"note: {len(skipped)} files skipped as not documents ({', '.join(kinds)}); -v lists them")
    return skipped


def _write_summary(path: Path | None, summary: dict[str, Any]) -> None:
    if path is None:
        return
    try:
        path.write_text(
            json.dumps(summary, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
        )
    except OSError as err:
        _fail(f"{path}: cannot write the summary ({err.strerror})")


def _with_flag_hint(error: str) -> str:
    """Name the option that changes a limit the error is about."""
    if error.startswith("timed out after") and "raise with" not in error:  # budget messages name their flag
        return f"{error} (allow more with --timeout SECONDS)"
    if "memory limit" in error:
        return error
    return error


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
    force: Annotated[bool, typer.Option(help="Re-extract files already loaded.")] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds allowed per file (raise it for long scans: OCR takes ~5 s a page).")
    ] = 120.0,
    workers: Annotated[
        int | None, typer.Option(help="Parallel extraction processes (default: CPUs).")
    ] = None,
    include: Include = None,
    exclude: Exclude = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    summary_json: SummaryJson = None,
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
    follow_symlinks: FollowOpt = False,
    lock_timeout: Annotated[
        float,
        typer.Option("--lock-timeout", help="Seconds to wait while another process holds the database."),
    ] = 60.0,
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
    from vanban.errors import DatabaseBusyError, VanbanError
    from vanban.pipeline.ingest import IngestEvent
    from vanban.pipeline.ingest import ingest as run_ingest
    from vanban.terminal import FileProgress

    _check_paths(paths)
    _check_positive("--timeout", timeout, minimum=0, strict=True)
    _check_positive("--workers", workers, minimum=1, strict=False)
    _check_db(db, must_exist=False)
    _check_vanban_db(db, wait_s=lock_timeout)
    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip
    inputs: list[Path] = paths
    if include or exclude:
        from vanban.pipeline.discover import SourceFile

        selected = _select(paths, include, exclude, verbose, quiet, follow_symlinks=follow_symlinks)
        inputs = [file.path for file in selected if isinstance(file, SourceFile)]
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _usage(f"{db}: cannot create its folder ({err.strerror}; pass another --db)") from err
    started = time.monotonic()
    seen: set[str] = set()
    with FileProgress("ingest", quiet=quiet, verbose=verbose) as progress:

        def on_event(event: IngestEvent) -> None:
            seen.add(event.source)
            if progress.total is None:
                progress.set_total(event.total)
            status = event.kind if event.kind != "loaded" else f"{event.status}, {event.tasks} tasks"
            progress.done(_shown(event.source), status)

        try:
            if engine is Engine.ray or parquet is not None or shard is not None or lake is not None:
                report = _scaled_ingest(
                    inputs, db, force, timeout, workers, engine, address, batch_size, parquet, shard, lake
                )
            else:
                report = run_ingest(
                    inputs, db, workers=workers, force=force, progress=on_event, budgets=budgets,
                    follow_symlinks=follow_symlinks, lock_timeout_s=lock_timeout,
                )  # fmt: skip
        except DatabaseBusyError as err:
            progress.stop()
            _fail(f"vanban: error: {_one_line(str(err))}")
            raise typer.Exit(1) from err
        except VanbanError as err:
            progress.stop()
            message = _one_line(str(getattr(err, "reason", None) or err))
            if "database" in message or "schema" in message:
                raise _usage(f"{message} (pass another --db)") from err
            _fail(f"vanban: error: {message}")
            raise typer.Exit(1) from err
        except KeyboardInterrupt:
            progress.stop()
            _fail("vanban: interrupted; documents already loaded are kept, a re-run continues")
            raise typer.Exit(130) from None
    for source, error in report.failures:
        _fail(f"{source}: {_with_flag_hint(error)}")
    if not (include or exclude):  # with filters, the selection has said it already
        read = seen | {d for d, _ in report.duplicates} | {s for s, _ in report.failures}
        _note_not_documents(paths, read, quiet=quiet, verbose=verbose)
    if not quiet:
        moved = f", {report.moved} moved" if report.moved else ""
        rejected = f" ({report.load_errors} rejected by the database)" if report.load_errors else ""
        typer.echo(
            f"documents: {report.ok} ok, {report.partial} partial, {report.failed} failed{rejected}, "
            f"{report.skipped} unchanged{moved}; "
            f"tasks: {report.tasks}; units: {report.units}; references: {report.references}; "
            f"targets: {report.targets}  -> {parquet or db}"
        )
    _write_summary(
        summary_json,
        {
            "command": "ingest",
            "db": str(db),
            "seconds": round(time.monotonic() - started, 3),
            **report.model_dump(),
        },
    )
    raise typer.Exit(1 if report.failed else 0)


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
    """Ingest through batches and shards (--engine ray, --parquet, --shard, --lake).

    Usage errors exit 2 with one line; a missing Ray or DuckLake raises VanbanError.
    """
    from vanban.pipeline.shards import parse_shard

    if lake is not None:
        from vanban.pipeline.lake import LakeUnavailable, check_lake

        try:
            check_lake()
        except LakeUnavailable as err:
            raise _usage(str(err)) from err
    if shard is not None and parquet is None:
        raise _usage("--shard needs --parquet DIR")
    try:
        split = parse_shard(shard) if shard else (0, 1)
    except ValueError as err:
        raise _usage(str(err)) from err
    if engine is Engine.ray:
        if shard is not None:
            raise _usage("--shard is for sites without a cluster; drop it with --engine ray")
        from vanban.pipeline.engines.ray_engine import RayUnavailable, ray_engine_ready
        from vanban.pipeline.engines.ray_engine import ingest as ray_ingest

        try:
            ray_engine_ready()
        except RayUnavailable as err:
            raise _usage(str(err)) from err
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

    assert parquet is not None
    return ingest_parquet(
        paths, parquet, shard=split, batch_size=batch_size, timeout_s=timeout, workers=workers or 1
    )


@app.command()
def commit(
    shards: Annotated[Path, typer.Argument(help="Folder of Parquet shards (`vanban ingest --parquet`).")],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
) -> None:
    """Load Parquet shards into DuckDB, batch by batch in order, one transaction each."""
    from vanban.errors import VanbanError
    from vanban.pipeline.shards import commit as commit_shards

    if not shards.is_dir():
        raise _usage(f"{shards}: no such folder (pass the DIR given to `vanban ingest --parquet`)")
    _check_db(db, must_exist=False)
    _check_vanban_db(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        report = commit_shards(shards, db)
    except VanbanError as err:
        raise _usage(_one_line(str(getattr(err, "reason", None) or err))) from err
    for source, error in report.failures:
        _fail(f"{source}: {error}")
    typer.echo(
        f"documents: {report.ok} ok, {report.partial} partial, {report.failed} failed; "
        f"tasks: {report.tasks}; units: {report.units}; references: {report.references}; "
        f"targets: {report.targets}  -> {db}"
    )
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(help="Documents (PDF, DOCX, DOC, text) or folders (searched recursively).")
    ],
    format: Annotated[
        RecordFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RecordFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the records to this file (default: stdout).")
    ] = None,
    include: Include = None,
    exclude: Exclude = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    summary_json: SummaryJson = None,
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
    """Print the records of PATHS (the JSONL contract, JSON, or a task table)."""
    from vanban.pipeline.sandboxed import EXTRACT_TASK, failed_result, run_selected
    from vanban.terminal import FileProgress

    _check_paths(paths)
    files = _select(paths, include, exclude, verbose, quiet, follow_symlinks=follow_symlinks)
    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip
    try:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as err:
        raise _usage(f"{output}: cannot write ({err.strerror}; pass another -o file)") from err
    failed = 0
    results = []
    # A single file needs no progress display; a batch does.
    with FileProgress("extract", len(files), quiet=quiet or len(files) < 2, verbose=verbose) as progress:
        # Every file is read in the sandbox; outcomes come back in input order.
        for outcome in run_selected(files, EXTRACT_TASK, budgets=budgets, workers=workers):
            if outcome.error is None:
                result = outcome.value
            else:
                failed += 1
                _fail(f"{outcome.source}: {_with_flag_hint(outcome.error)}")
                result = failed_result(outcome)
            results.append(result)
            pages = f"{result.document.pages} pages, " if result.document.pages else ""
            progress.done(
                _shown(outcome.source), f"{result.document.status}, {pages}{len(result.tasks)} tasks"
            )
            if format is RecordFormat.jsonl:  # streamed, so a long batch shows its records as it goes
                for record in result.records():
                    out.write(record.model_dump_json() + "\n")
    try:
        if format is RecordFormat.json:
            records = [r.model_dump(mode="json") for result in results for r in result.records()]
            out.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        elif format is RecordFormat.table:
            for result in results:
                out.write(_task_table(result))
    finally:
        if output:
            out.close()
    _write_summary(
        summary_json,
        {
            "command": "extract",
            "documents": len(results),
            "failed": failed,
            "tasks": sum(len(r.tasks) for r in results),
            "files": [
                {"source": r.document.source, "status": r.document.status, "tasks": len(r.tasks)}
                for r in results
            ],
        },
    )
    raise typer.Exit(1 if failed else 0)


def _task_table(result: Any) -> str:
    """One document's tasks as a readable table (when, lead units, text)."""
    from vanban.terminal import render_table, terminal_width

    doc = result.document
    head = f"# {_shown(doc.source)}: {doc.doc_type or '?'} · {doc.issuer or '?'} · {doc.year or '?'} · {doc.status}\n"
    rows = [
        (
            task.seq,
            task.deadline or (f"tháng {task.month}/{task.year}" if task.month else None),
            task.lead_units,
            task.text,
        )
        for task in result.tasks
    ]
    return head + render_table(["#", "when", "lead", "task"], rows, terminal_width())


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
    from vanban.pipeline.loader import run_query
    from vanban.terminal import cell_text, render_table, terminal_width

    _check_db(db, must_exist=True)
    try:
        columns, rows = run_query(db, sql, wait_s=lock_timeout)
    except DatabaseError as err:
        _fail(_one_line(str(err)))
        raise typer.Exit(1) from err
    if format is QueryFormat.json:
        data = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=1) + "\n")
    elif format is QueryFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[cell_text(v) if isinstance(v, list) else v for v in row] for row in rows])
    else:
        # Values may hold a file name's newline or escape sequence: escaped, like every printed name.
        shown = [[_shown(v) if isinstance(v, str) else v for v in row] for row in rows]
        sys.stdout.write(render_table(columns, shown, terminal_width()))


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="csv, xlsx, parquet, jsonl or ics (default: from the -o file's suffix)."
        ),
    ] = None,
    where: Annotated[
        str | None, typer.Option("--where", help='SQL condition on v_tasks columns, e.g. "year = 2026".')
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV: start with a UTF-8 byte-order mark (Excel).")
    ] = False,
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
    quiet: Quiet = False,
) -> None:
    """Export the tasks (v_tasks) as CSV, XLSX, Parquet, JSONL or an iCalendar file of deadlines."""
    from vanban.errors import DatabaseError, VanbanError
    from vanban.pipeline.export import ExportError, ExportFormat
    from vanban.pipeline.export import export as run_export

    name = (format or output.suffix.lstrip(".")).lower()
    if name not in ExportFormat.__members__:
        choices = ", ".join(ExportFormat.__members__)
        raise _usage(
            f"{output}: unknown export format {name or '(none)'!r} (pass --format {choices.replace(', ', '|')})"
        )
    _check_db(db, must_exist=True)
    if output.parent and not output.parent.is_dir():
        raise _usage(f"{output}: folder {output.parent} does not exist (create it or pass another -o)")
    try:
        count = run_export(db, output, ExportFormat(name), where=where, bom=bom)
    except (ExportError, DatabaseError) as err:
        raise _usage(_one_line(str(err))) from err
    except VanbanError as err:
        _fail(f"vanban: error: {_one_line(str(err))}")
        raise typer.Exit(1) from err
    if not quiet:
        what = "events" if name == "ics" else "tasks"
        typer.echo(f"{count} {what} -> {output}")


@app.command()
def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("report.html"),
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = DEFAULT_DB,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Day deadlines are measured from (YYYY-MM-DD; default today)."),
    ] = None,
    passages: Annotated[
        bool, typer.Option(help="Embed each document's source text with the task spans highlighted.")
    ] = True,
    quiet: Quiet = False,
) -> None:
    """Write an offline HTML report: documents, unit × month load, deadlines, citations, findings, sources."""
    import datetime as dt

    from vanban.errors import DatabaseError, VanbanError
    from vanban.report import build_report

    _check_db(db, must_exist=True)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError as err:
        raise _usage(f"--as-of {as_of}: not a date (write YYYY-MM-DD, e.g. --as-of 2026-03-01)") from err
    if output.parent and not output.parent.is_dir():
        raise _usage(f"{output}: folder {output.parent} does not exist (create it or pass another -o)")
    try:
        data = build_report(db, output, as_of=day, passages=passages)
    except OSError as err:
        raise _usage(f"{output}: cannot write ({err.strerror}; pass another -o)") from err
    except DatabaseError as err:
        raise _usage(_one_line(str(err))) from err
    except VanbanError as err:
        _fail(f"vanban: error: {_one_line(str(err))}")
        raise typer.Exit(1) from err
    if not quiet:
        typer.echo(
            f"{data.totals['documents']} documents, {data.totals['tasks']} tasks, "
            f"{len(data.passages)} source texts -> {output}"
        )


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
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="Print the count of findings per rule instead (text or json)."),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings not recorded in this baseline file."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Record the current findings in this baseline file and exit."),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option("--cache-dir", help="Where to cache findings (default $XDG_CACHE_HOME/vanban)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read every file again; neither read nor write the cache.")
    ] = False,
    include: Include = None,
    exclude: Exclude = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
    summary_json: SummaryJson = None,
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
    """Check documents for structural, date, reference and consistency problems (a linter).

    A missing path (VB001), a file that cannot be read (VB002) or is read only in
    part (VB003) is a finding too; the other files are still checked. Exit 1 when
    a finding is at or above --fail-on, 0 otherwise, 2 on usage errors.
    """
    from vanban.errors import VanbanError
    from vanban.validation import ConfigError, load_config, should_fail
    from vanban.validation.baseline import new_findings, read_baseline, write_baseline_file
    from vanban.validation.config import split_codes
    from vanban.validation.formats import FORMATTERS, statistics_json, statistics_text

    if db is not None:
        _check_db(db, must_exist=True)
    _check_positive("--workers", workers, minimum=1, strict=False)
    if statistics and format not in (ValidateFormat.text, ValidateFormat.json):
        raise _usage(f"--statistics prints text or json, not {format.value} (drop --format or --statistics)")
    if baseline is not None and write_baseline is not None:
        raise _usage("--baseline and --write-baseline do not go together (write first, then compare)")
    overrides = {
        "select": split_codes(select),
        "ignore": split_codes(ignore),
        "fail_on": fail_on.value if fail_on else None,
        "lang": lang.value if lang else None,
    }
    try:
        settings = load_config(config, overrides=overrides)
        accepted = read_baseline(baseline) if baseline is not None else None
    except (ConfigError, VanbanError) as err:
        raise _usage(str(getattr(err, "reason", None) or err)) from err
    budgets = _budgets(
        timeout_s=timeout, timeout_per_page_s=timeout_per_page, memory_mb=memory_mb, max_pages=max_pages,
        ocr_pixels=ocr_pixels, max_table_cells=max_table_cells, max_paragraphs=max_paragraphs,
        max_xml_mb=max_xml_mb, max_numbering=max_numbering,
    )  # fmt: skip
    run = _validate_run(
        paths, settings, budgets, db=db, include=include, exclude=exclude, quiet=quiet, verbose=verbose,
        workers=workers, follow_symlinks=follow_symlinks, cache_dir=None if no_cache else cache_dir,
        use_cache=not no_cache,
    )  # fmt: skip
    findings, sources, unread = run.findings, run.sources, run.unread
    if write_baseline is not None:
        try:
            write_baseline_file(write_baseline, findings)
        except VanbanError as err:
            raise _usage(str(err)) from err
        if not quiet:
            _fail(
                f"wrote a baseline of {len(findings)} finding(s) in {len(sources)} file(s) to {write_baseline}"
            )
        _write_summary(summary_json, run.summary(findings, 0))
        raise typer.Exit(0)
    suppressed = 0
    if accepted is not None:
        kept = new_findings(findings, accepted)
        suppressed, findings = len(findings) - len(kept), kept
    if format not in (ValidateFormat.json, ValidateFormat.sarif):  # JSON escapes control characters itself
        # A file name's newline or escape sequence must not reach a terminal, a CI log or XML raw.
        findings = [f.model_copy(update={"source": _shown(f.source)}) for f in findings]
        sources = [_shown(source) for source in sources]
        unread = [(_shown(source), reason) for source, reason in unread]
    if statistics:
        sys.stdout.write((statistics_json if format is ValidateFormat.json else statistics_text)(findings))
    else:
        sys.stdout.write(FORMATTERS[format.value](findings, sources, fail_on=settings.fail_on, unread=unread))
    if suppressed and not quiet:
        _fail(f"{suppressed} finding(s) in the baseline {baseline} not shown")
    _write_summary(summary_json, run.summary(findings, suppressed))
    raise typer.Exit(1 if should_fail(findings, settings.fail_on) else 0)


class _ValidateRun:
    """What one ``vanban validate`` read: findings in input order, sources, unread files, cache use."""

    def __init__(self) -> None:
        self.findings: list[Any] = []
        self.sources: list[str] = []
        self.unread: list[tuple[str, str]] = []
        self.cached = 0

    def summary(self, findings: Sequence[Any], suppressed: int) -> dict[str, Any]:
        by_severity: dict[str, int] = {}
        for finding in findings:
            by_severity[str(finding.severity)] = by_severity.get(str(finding.severity), 0) + 1
        return {
            "command": "validate",
            "files": len(self.sources),
            "unreadable": len(self.unread),
            "cached": self.cached,
            "suppressed": suppressed,
            "findings": by_severity,
        }


def _validate_run(
    paths: list[Path],
    settings: Any,
    budgets: Budgets,
    *,
    db: Path | None,
    include: list[str] | None,
    exclude: list[str] | None,
    quiet: bool,
    verbose: bool,
    workers: int | None,
    follow_symlinks: bool,
    cache_dir: Path | None,
    use_cache: bool,
) -> _ValidateRun:
    """Validate ``paths``: cached files are not read again, the others run in the sandbox.

    A missing path becomes a VB001 finding, an unreadable file a VB002 one, in
    input order with the other findings.
    """
    import dataclasses

    from vanban.pipeline.discover import SourceFile
    from vanban.pipeline.sandboxed import VALIDATE_TASK, run_selected
    from vanban.terminal import FileProgress
    from vanban.validation.cache import FindingsCache, default_cache_dir, file_digest, settings_key
    from vanban.validation.engine import input_finding

    run = _ValidateRun()
    per_source: dict[str, list[Any]] = {}

    def unreadable(code: str, source: str, reason: str) -> None:
        run.unread.append((source, reason))
        found = input_finding(code, source, reason, settings)
        per_source[source] = [found] if found else []

    present = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            run.sources.append(str(path))
            unreadable("VB001", str(path), "no such file or folder")
        elif not os.access(path, os.R_OK):
            run.sources.append(str(path))
            unreadable("VB002", str(path), "permission denied")
        else:
            present.append(path)
    files = (
        _select(present, include, exclude, verbose, quiet, follow_symlinks=follow_symlinks) if present else []
    )
    run.sources.extend(f.source for f in files)
    cache = None
    if use_cache:
        db_id = (str(db.resolve()), db.stat().st_size, db.stat().st_mtime_ns) if db is not None else None
        key = settings_key(settings.model_dump(mode="json"), dataclasses.asdict(budgets), db_id)
        cache = FindingsCache(cache_dir or default_cache_dir(), key)
    digests: dict[str, str] = {}
    jobs = []
    with FileProgress("validate", len(files), quiet=quiet or len(files) < 2, verbose=verbose) as progress:
        for item in files:
            digest = file_digest(item.path) if cache is not None and isinstance(item, SourceFile) else None
            hit = cache.get(digest, item.source) if cache is not None and digest else None
            if hit is not None:
                run.cached += 1
                per_source[item.source] = hit
                progress.done(_shown(item.source), f"{len(hit)} findings (cached)")
                continue
            if digest:
                digests[item.source] = digest
            jobs.append(item)
        kwargs = {"config": settings, "db_path": db}
        for outcome in run_selected(jobs, VALIDATE_TASK, budgets=budgets, workers=workers, kwargs=kwargs):
            if outcome.error is not None:
                reason = _with_flag_hint(outcome.error)
                if not quiet:
                    _fail(f"{outcome.source}: {reason}")
                unreadable("VB002", outcome.source, reason)
                progress.done(_shown(outcome.source), "unreadable")
                continue
            per_source[outcome.source] = outcome.value
            if cache is not None and outcome.source in digests:
                cache.put(digests[outcome.source], outcome.source, outcome.value)
            progress.done(_shown(outcome.source), f"{len(outcome.value)} findings")
    run.findings = [f for source in run.sources for f in per_source.get(source, [])]
    return run


class RuleFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def rule(
    code: Annotated[
        str | None, typer.Argument(help="A rule code (VB305) or name (central-document-date).")
    ] = None,
    all_rules: Annotated[
        bool, typer.Option("--all", help="Every rule (a list, or the full reference).")
    ] = False,
    format: Annotated[
        RuleFormat, typer.Option("--format", "-f", help="text, json, or markdown (docs/rules.md).")
    ] = RuleFormat.text,
) -> None:
    """Explain a rule of `vanban validate` (name, family, default severity, doc, example, messages), or list them."""
    from vanban.validation.findings import rule_catalogue
    from vanban.validation.ruledoc import (
        UnknownRuleError,
        find_rule,
        rule_markdown,
        rule_text,
        rules_json,
        rules_markdown,
        rules_table,
    )

    if (code is None) == (not all_rules):
        raise _usage("give one rule code (vanban rule VB305) or --all")
    if all_rules:
        rules = sorted(rule_catalogue().values(), key=lambda r: r.code)
    else:
        try:
            rules = [find_rule(code or "")]
        except UnknownRuleError as err:
            raise _usage(f"{err.args[0]} (vanban rule --all lists them)") from err
    if format is RuleFormat.json:
        sys.stdout.write(rules_json(rules))
    elif format is RuleFormat.markdown:
        sys.stdout.write(rules_markdown(rules) if all_rules else rule_markdown(rules[0]))
    elif all_rules:
        sys.stdout.write(rules_table(rules))
    else:
        sys.stdout.write(rule_text(rules[0]))


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
    """Compare the records of two versions of a document (or two databases or .jsonl snapshots): tasks, deadlines, units, references.

    Exit status, like diff(1): 0 when the records are the same, 1 when they differ
    (or a file cannot be read), 2 on usage errors.
    """
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
    same = not (report.documents_added or report.documents_removed) and all(d.empty for d in report.documents)
    raise typer.Exit(0 if same else 1)


@app.command()
def layout(
    path: Annotated[Path, typer.Argument(help="A document (TXT, DOCX, DOC, PDF).")],
    format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text (an outline) or json.")
    ] = DiffFormat.text,
) -> None:
    """Show how a document was read: its parts, sections, items, field lines and tables."""
    from vanban.layout.render import outline
    from vanban.pipeline.sandboxed import LAYOUT_TASK, run_files

    _check_paths([path])
    if not path.is_file():
        raise _usage(f"{path}: not a file; give one document")
    # Read in the sandbox with the default budgets, like every other command that opens a document.
    (outcome,) = run_files([path], LAYOUT_TASK, workers=1)
    if outcome.error is not None:
        _fail(_one_line(outcome.error))
        raise typer.Exit(1)
    layout = outcome.value
    if layout is None:
        return
    if format is DiffFormat.json:
        sys.stdout.write(layout.model_dump_json(indent=1, exclude={"__all__": {"offsets"}}) + "\n")
    else:
        sys.stdout.write(outline(layout))


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
