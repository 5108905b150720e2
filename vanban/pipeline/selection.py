"""``--include`` / ``--exclude``: choose the files of a folder with gitignore-style globs.

Patterns match the path of a file relative to the folder it was found in
(``2026/*.pdf``, ``**/nhap/**``), as ``.gitignore`` lines do (pathspec's
``GitIgnoreSpec``). A file named directly on the command line is matched on its
name alone. Files are found by :func:`vanban.pipeline.discover.scan`, so
the rules on hidden, lock and data files stay in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vanban.pipeline.discover import Problem, SourceFile, scan, source_name


def _spec(patterns: Sequence[str]):  # -> pathspec.GitIgnoreSpec (imported lazily: CLI start-up time)
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def relative_name(path: Path, roots: Sequence[Path]) -> str:
    """``path`` relative to the first folder of ``roots`` containing it, else its file name."""
    for root in roots:
        if root.is_dir():
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                continue
    return path.name


def matches(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Whether a relative file name passes the filters (no ``include`` = everything)."""
    if include and not _spec(include).match_file(name):
        return False
    return not (exclude and _spec(exclude).match_file(name))


def select_files(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    follow_symlinks: bool = False,
) -> tuple[list[SourceFile], list[SourceFile]]:
    """``(kept, filtered_out)``: the files under ``paths`` split by the globs."""
    kept, dropped, _problems = select_entries(paths, include, exclude, follow_symlinks=follow_symlinks)
    return kept, dropped


def select_entries(
    paths: Sequence[Path],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    follow_symlinks: bool = False,
) -> tuple[list[SourceFile], list[SourceFile], list[Problem]]:
    """``(kept, filtered_out, problems)``: files split by the globs, and the entries the walk could not read.

    Files are not read here (no hashing): the walk only lists them, see
    :func:`vanban.pipeline.discover.scan`. Problems are filtered by the same globs.
    """
    found = scan(paths, follow_symlinks=follow_symlinks)
    if not include and not exclude:
        return found.files, [], found.problems
    kept, dropped = [], []
    for file in found.files:
        name = relative_name(file.path, paths)
        (kept if matches(name, include, exclude) else dropped).append(file)
    problems = [p for p in found.problems if matches(relative_name(Path(p.source), paths), include, exclude)]
    return kept, dropped, problems


def visible_files(paths: Sequence[Path]) -> list[str]:
    """Sources of the regular files under the folders of ``paths`` (hidden entries and ``~$`` locks left out).

    Compared with what discovery kept, this tells which files were passed over
    as not documents (data files such as ``MANIFEST.tsv``), so the CLI can say so.
    Folders are read with ``os.scandir``, whose entries know their type, so
    no file is stat'ed (a re-run of thousands of files pays for this walk too).
    """
    found: list[str] = []
    for root in paths:
        if root.is_dir():
            _visible(root, found)
    return found


def _visible(folder: Path, found: list[str]) -> None:
    """Files of ``folder`` (sorted), then those of its sub-folders; symbolic links to folders not entered."""
    import os

    try:
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in listed:
        name = entry.name
        try:
            if entry.is_dir():
                if not name.startswith(".") and not entry.is_symlink():
                    folders.append(Path(entry.path))
            elif entry.is_file() and not name.startswith((".", "~$")):
                found.append(source_name(entry.path))  # the same spelling as SourceFile.source
        except OSError:
            continue
    for sub in folders:
        _visible(sub, found)


def not_documents(paths: Sequence[Path], seen: set[str]) -> list[str]:
    """Files under the folders of ``paths`` that the run did not read as documents."""
    return [source for source in visible_files(paths) if source not in seen]
