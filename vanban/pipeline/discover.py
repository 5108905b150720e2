"""Find the input files of an ingest run and fingerprint their content.

A path given directly is taken as is (the user named it); folders are walked
recursively in sorted order, skipping hidden files and folders and the ``~$``
lock files Word leaves beside open documents. Only regular files are kept, so
a FIFO or socket in a folder can never block the run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel

from vanban.errors import ExtractionError

_CHUNK = 1 << 20


class SourceFile(BaseModel):
    """One input file: where it is, the ``source`` string records carry, and its content hash."""

    path: Path
    source: str
    sha256: str
    size: int


def discover(paths: Iterable[Path], *, exclude: Iterable[Path] = ()) -> list[SourceFile]:
    """Files given directly or found under folders, sorted per argument, each hashed once.

    ``source`` is the path as given (joined with the folder-relative part), so
    records name files the way the user typed them. A file reached twice (named
    directly and found in a folder) is listed once; files in ``exclude`` (such
    as the database being written) are neither listed nor read. Raises
    :class:`~vanban.errors.ExtractionError` for a path that does not exist or a
    file that cannot be read.
    """
    seen: set[str] = set()
    skip = {Path(path).resolve() for path in exclude}
    found: list[SourceFile] = []
    for root in paths:
        for path in _walk(Path(root)):
            source = path.as_posix()
            if source in seen or (skip and path.resolve() in skip):
                continue
            seen.add(source)
            found.append(_fingerprint(path, source))
    return found


def _walk(root: Path) -> Iterator[Path]:
    """Regular files under ``root`` (or ``root`` itself), sorted, hidden entries skipped."""
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        raise ExtractionError(root.as_posix(), "no such file or directory")
    for dirpath, dirnames, filenames in os.walk(root):
        # Pruning dirnames in place stops os.walk descending into hidden folders.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in sorted(filenames):
            if _is_skipped(name):
                continue
            path = base / name
            if path.is_file():
                yield path


# Found in a folder walk, these are data and tooling files, not documents
# (the shared corpus keeps a MANIFEST.tsv beside its documents). A file named
# on the command line is always read, whatever its name.
_NOT_DOCUMENTS = {
    ".tsv",
    ".csv",
    ".json",
    ".jsonl",
    ".duckdb",
    ".wal",
    ".py",
    ".toml",
    ".yaml",
    ".yml",
    ".sh",
}


def _is_skipped(name: str) -> bool:
    """Hidden files, Word lock files (``~$name.docx``) and data files are never documents."""
    return name.startswith((".", "~$")) or Path(name).suffix.lower() in _NOT_DOCUMENTS


def _fingerprint(path: Path, source: str) -> SourceFile:
    """Hash the file in chunks so a large file never sits in memory whole."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        # Unreadable (permissions, vanished): key it by its path so the batch
        # records the failure, which the worker reports when it tries to read it.
        return SourceFile(
            path=path,
            source=source,
            sha256=hashlib.sha256(f"unreadable:{source}".encode()).hexdigest(),
            size=-1,
        )
    return SourceFile(path=path, source=source, sha256=digest.hexdigest(), size=size)
