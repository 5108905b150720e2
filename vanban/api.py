"""The Python API: the same verbs as the CLI, returning pydantic models and DuckDB connections.

Imported lazily by :mod:`vanban` (``vanban.extract`` loads this module on
first use), so ``import vanban`` stays cheap.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from vanban.pipeline.ingest import IngestEvent, IngestReport
    from vanban.schemas.records import ExtractionResult
    from vanban.validation.findings import Finding

DEFAULT_DB = Path("data/out/vanban.duckdb")
PathLike = str | os.PathLike[str]


def _as_paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """One path or many, as a list of :class:`~pathlib.Path`."""
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _looks_like_text(value: str) -> bool:
    """A string that is document text rather than a file name (a line break, or too long for a path)."""
    return "\n" in value or len(value) > 4096


def extract(path_or_text: PathLike, *, source: str | None = None) -> ExtractionResult:
    """Extract one document: a file path (TXT, DOCX, DOC, PDF) or the text of a document itself.

    >>> result = vanban.extract("data/raw/004_92049e2a4f22e81b.txt")   # doctest: +SKIP
    >>> len(result.tasks), result.document.province                      # doctest: +SKIP
    (20, 'Lạng Sơn')

    Raises :class:`~vanban.errors.VanbanError` when the file cannot be read.
    """
    from vanban.errors import ExtractionError
    from vanban.pipeline.extract import extract_file

    if isinstance(path_or_text, str) and _looks_like_text(path_or_text):
        with tempfile.TemporaryDirectory(prefix="vanban-") as folder:
            file = Path(folder) / "document.txt"
            file.write_text(path_or_text, encoding="utf-8")
            return extract_file(file, source=source or "<text>")
    path = Path(path_or_text)
    if not path.is_file():
        raise ExtractionError(str(path), "no such file (pass a file path or the document text)")
    return extract_file(path, source=source)


def ingest(
    paths: PathLike | Iterable[PathLike],
    db: PathLike = DEFAULT_DB,
    *,
    force: bool = False,
    timeout: float = 120.0,
    workers: int | None = None,
    progress: Callable[[IngestEvent], None] | None = None,
) -> IngestReport:
    """Extract every file under ``paths`` in worker processes and load the records into ``db``.

    Returns the :class:`~vanban.pipeline.ingest.IngestReport` (counts, failures);
    ``progress`` is called once per file. Raises ``ValueError`` for ``workers`` < 1
    or ``timeout`` <= 0 (a worker pool of -1 would never start).
    """
    from vanban.pipeline.ingest import ingest as run_ingest

    if workers is not None and workers < 1:
        raise ValueError(f"workers must be >= 1, not {workers}")
    if timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds, not {timeout:g}")
    db_path = Path(db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return run_ingest(
        _as_paths(paths), db_path, timeout_s=timeout, workers=workers, force=force, progress=progress
    )


def validate(
    paths: PathLike | Iterable[PathLike],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config: PathLike | None = None,
    db: PathLike | None = None,
    lang: str | None = None,
) -> list[Finding]:
    """Lint documents (files or folders) and return the findings, as ``vanban validate`` does.

    As on the command line, a missing path is a VB001 finding and a file that
    cannot be read a VB002 one, and the other files are still checked. (Files
    are read in this process, without the command's sandbox.)
    """
    from vanban.errors import VanbanError
    from vanban.pipeline.discover import discover
    from vanban.validation import load_config, validate_file
    from vanban.validation.engine import input_finding

    settings = load_config(
        Path(config) if config else None,
        overrides={"select": list(select), "ignore": list(ignore), "lang": lang},
    )
    findings: list[Finding] = []
    given = _as_paths(paths)
    for missing in (p for p in given if not p.exists()):
        found = input_finding("VB001", str(missing), "no such file or folder", settings)
        findings.extend([found] if found else [])
    for file in discover([p for p in given if p.exists()]):
        try:
            findings.extend(
                validate_file(file.path, settings, db_path=Path(db) if db else None, source=file.source)
            )
        except VanbanError as err:
            found = input_finding("VB002", file.source, str(getattr(err, "reason", None) or err), settings)
            findings.extend([found] if found else [])
    return findings


def connect(db: PathLike = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to a vanban database (``.sql(...).df()`` with the ``analysis`` extra).

    Raises :class:`~vanban.errors.DatabaseError` when the file is missing or not a DuckDB database.
    """
    from vanban.pipeline.loader import open_db

    return open_db(Path(db), read_only=True)
