"""Find the input files of a run, stay inside the given roots, and fingerprint content.

A path given directly is taken as is (the user named it); folders are walked
recursively in sorted order, skipping hidden files and folders and the ``~$``
lock files Word leaves beside open documents.

The walk stays inside what it was given:

* a symbolic link is followed only when its target lies inside one of the
  roots (unless ``follow_symlinks``), so a link to ``/etc/passwd`` dropped in
  an ingested folder is never read; a link back to a folder being walked (a
  loop) is never entered, whatever the setting;
* only regular files are inputs: a FIFO would block the reader forever, a
  device or socket is not a document;
* nothing is skipped silently: every entry left out for a reason other than
  its name (unreadable folder, FIFO, device, socket, loop, link out of the
  roots, broken link, a file that vanished) is returned as a
  :class:`Problem`, which ``vanban ingest`` records as a failed row.

Names are kept losslessly: a name that is not valid UTF-8 keeps its bytes in
``SourceFile.path`` (Python's surrogate escapes) and gets a ``source`` string
with the odd bytes written ``\\xNN``, which any database and terminal accept.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from vanban.errors import ExtractionError

_CHUNK = 1 << 20


class SourceFile(BaseModel):
    """One input file: where it is, the ``source`` string records carry, its size, mtime and content hash.

    ``sha256`` is empty until the file is hashed (:func:`fingerprint`): a
    re-run skips unchanged files by ``(source, size, mtime_ns)`` without reading them.
    """

    path: Path
    source: str
    sha256: str = ""
    size: int = -1
    mtime_ns: int = 0


class Problem(BaseModel):
    """An entry the walk did not read, and why."""

    source: str
    reason: str


@dataclass
class Scan:
    """What a walk found: input files (not yet hashed) and the entries it skipped."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def source_name(path: Path | str) -> str:
    """``path`` as a valid Unicode string: bytes that are not UTF-8 are written ``\\xNN``."""
    text = Path(path).as_posix()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (newline, ESC ...) escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def discover(
    paths: Iterable[Path], *, exclude: Iterable[Path] = (), follow_symlinks: bool = False
) -> list[SourceFile]:
    """Files given directly or found under folders, sorted per argument, each hashed once.

    Like :func:`scan` followed by :func:`fingerprint` on every file; entries
    the walk skipped are left out (use :func:`scan` to see them). Raises
    :class:`~vanban.errors.ExtractionError` for a path that does not exist.
    """
    return [fingerprint(file) for file in scan(paths, exclude=exclude, follow_symlinks=follow_symlinks).files]


def scan(paths: Iterable[Path], *, exclude: Iterable[Path] = (), follow_symlinks: bool = False) -> Scan:
    """Walk ``paths`` (files or folders) without reading any file; see the module docstring.

    ``source`` is the path as given (joined with the folder-relative part), so
    records name files the way the user typed them. A file reached twice is
    listed once; files in ``exclude`` (such as the database being written) are
    neither listed nor read. Raises :class:`~vanban.errors.ExtractionError`
    for a path that does not exist.
    """
    paths = [Path(p) for p in paths]
    # Excluded files are known by device and inode, compared with the stat the walk already has:
    # no per-file realpath (a re-run of thousands of unchanged files must stay cheap).
    skip = {key for key in map(_file_key, exclude) if key is not None}
    roots = [_real(p) for p in paths]
    walker = _Walker(roots=roots, follow_symlinks=follow_symlinks)
    result = Scan()
    seen: set[str] = set()
    for root in paths:
        for item in walker.walk(root):
            if isinstance(item, Problem):
                result.problems.append(item)
                continue
            path, info = item
            source = source_name(path)
            if source in seen or (skip and (info.st_dev, info.st_ino) in skip):
                continue
            seen.add(source)
            result.files.append(
                SourceFile(path=path, source=source, size=info.st_size, mtime_ns=info.st_mtime_ns)
            )
    return result


def _file_key(path: Path | str) -> tuple[int, int] | None:
    """``(device, inode)`` of an existing file, else None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _inside(target: str, roots: list[str]) -> bool:
    return any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


@dataclass
class _Walker:
    roots: list[str]
    follow_symlinks: bool

    def walk(self, root: Path) -> Iterator[tuple[Path, os.stat_result] | Problem]:
        """Regular files under ``root`` (or ``root`` itself) and the problems met, in sorted order."""
        try:
            info = root.stat()  # a root the user named is followed even when it is a link
        except FileNotFoundError:
            if root.is_symlink():
                yield Problem(source=source_name(root), reason="broken symbolic link")
                return
            raise ExtractionError(source_name(root), "no such file or directory") from None
        except OSError as err:
            yield Problem(source=source_name(root), reason=f"cannot read: {err.strerror or err}")
            return
        if stat.S_ISREG(info.st_mode):
            yield root, info
        elif stat.S_ISDIR(info.st_mode):
            yield from self._folder(root, [(info.st_dev, info.st_ino)])
        else:
            yield Problem(source=source_name(root), reason=f"not a document: {_kind(info.st_mode)}")

    def _folder(
        self, folder: Path, ancestors: list[tuple[int, int]]
    ) -> Iterator[tuple[Path, os.stat_result] | Problem]:
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as err:
            yield Problem(source=source_name(folder), reason=f"cannot read folder: {err.strerror or err}")
            return
        for entry in listed:
            name = entry.name
            path = folder / name
            if _is_skipped(name):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError as err:
                yield Problem(source=source_name(path), reason=f"cannot read: {err.strerror or err}")
                continue
            if is_dir and name.startswith("."):
                continue
            if is_link:
                target = _real(path)
                if not self.follow_symlinks and not _inside(target, self.roots):
                    yield Problem(
                        source=source_name(path),
                        reason=f"symbolic link to {source_name(target)}, outside the given folders: "
                        "not followed (use --follow-symlinks)",
                    )
                    continue
            try:
                info = path.stat() if is_link else entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                reason = "broken symbolic link" if is_link else "vanished while the folder was read"
                yield Problem(source=source_name(path), reason=reason)
                continue
            except OSError as err:
                # ELOOP: a link chain that never ends.
                yield Problem(source=source_name(path), reason=f"cannot read: {err.strerror or err}")
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    yield Problem(
                        source=source_name(path), reason="symbolic link loop (points to a folder above it)"
                    )
                    continue
                yield from self._folder(path, [*ancestors, key])
            elif stat.S_ISREG(info.st_mode):
                if not _is_data_file(name):
                    yield path, info
            elif not _is_data_file(name):
                yield Problem(source=source_name(path), reason=f"not a document: {_kind(info.st_mode)}")


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
    """Hidden files and Word lock files (``~$name.docx``) are never documents."""
    return name.startswith((".", "~$"))


def _is_data_file(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in _NOT_DOCUMENTS


def fingerprint(file: SourceFile) -> SourceFile:
    """``file`` with its content hash (and size, mtime as read), streamed so a large file never sits in memory.

    A file that cannot be read (permissions, vanished) is keyed by its path, so
    the batch records the failure, which the worker reports when it tries to read it.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        # O_NONBLOCK: a file replaced by a FIFO since the walk must not block the open.
        fd = os.open(file.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise OSError(f"no longer a regular file: {_kind(info.st_mode)}")
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return file.model_copy(
            update={"sha256": hashlib.sha256(f"unreadable:{file.source}".encode()).hexdigest(), "size": -1}
        )
    return file.model_copy(update={"sha256": digest.hexdigest(), "size": size, "mtime_ns": info.st_mtime_ns})
