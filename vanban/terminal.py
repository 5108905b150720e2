"""What the CLI shows on a terminal: file progress and readable tables.

Progress goes to stderr so that stdout stays the data (JSONL, CSV, a table):
a rich progress bar (files done/total, current file, elapsed time, ETA) when
stderr is a terminal, one plain line per file when it is not (CI logs, pipes),
nothing with ``--quiet``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any, TextIO

ELLIPSIS = "…"


class FileProgress:
    """Progress over a batch of files; use as a context manager.

    ``total`` may be unknown at first (``None``: the files are still being
    found); :meth:`set_total` fixes it. :meth:`start` names the file being
    read, :meth:`done` counts a finished one with a short status ("ok, 12 tasks").
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        quiet: bool = False,
        verbose: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream or sys.stderr
        self.count = 0
        self.started = time.monotonic()
        self._rich: Any = None
        self._task: Any = None

    def __enter__(self) -> FileProgress:
        if not self.quiet and _is_tty(self.stream):
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._rich = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.fields[label]}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[current]}", style="dim"),
                console=Console(file=self.stream),
                transient=True,
            )
            self._rich.start()
            self._task = self._rich.add_task(
                self.label, total=self.total, label=self.label, current="finding files…"
            )
        elif not self.quiet and self.total is None:
            # A log shows the run has started before the first file is done (worker start-up takes seconds).
            self.stream.write(f"{self.label}: finding files…\n")
            self.stream.flush()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Remove the progress bar (before printing an error under it); safe to call twice."""
        if self._rich is not None:
            self._rich.stop()
            self._rich = None

    def set_total(self, total: int) -> None:
        """Fix the number of files once it is known."""
        self.total = total
        if self._rich is not None:
            self._rich.update(self._task, total=total)

    def start(self, source: str) -> None:
        """Show the file being read now."""
        if self._rich is not None:
            self._rich.update(self._task, current=_shorten(source, 50))

    def done(self, source: str, status: str) -> None:
        """Count one finished file; a plain line when the stream is not a terminal (or ``verbose``)."""
        self.count += 1
        line = f"[{self.count}/{self.total if self.total is not None else '?'}] {source}: {status}"
        if self._rich is not None:
            self._rich.update(self._task, advance=1, current=_shorten(source, 50))
            if self.verbose:
                self._rich.console.print(line, markup=False, highlight=False)
        elif not self.quiet:
            self.stream.write(line + "\n")
            self.stream.flush()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, keeping its end (the file name) after an ellipsis."""
    return text if len(text) <= width else ELLIPSIS + text[-(width - 1) :]


def terminal_width(default: int = 100) -> int:
    """Columns of the terminal (``COLUMNS`` wins), or ``default`` when stdout is not a terminal."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if _is_tty(sys.stdout):
        return shutil.get_terminal_size((default, 24)).columns
    return default


def cell_text(value: object) -> str:
    """A value as a table cell: empty for NULL, lists joined with ``; ``, one line."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    return " ".join(str(value).split())


def fit_widths(natural: Sequence[int], available: int, minimum: int = 4) -> list[int]:
    """Column widths that sum to at most ``available``: the widest columns give way first."""
    widths = list(natural)
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= minimum:
            break
        widths[widest] -= 1
    return widths


def render_table(columns: Sequence[str], rows: Sequence[Sequence[object]], width: int) -> str:
    """Rows as aligned text within ``width`` columns: a header, cut cells end in ``…``, NULL is empty."""
    cells = [[cell_text(v) for v in row] for row in rows]
    natural = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    gap = 2
    widths = fit_widths(natural, max(len(columns) * 5, width - gap * (len(columns) - 1)))

    def line(values: Sequence[str]) -> str:
        parts = [_cut(v, w).ljust(w) for v, w in zip(values, widths, strict=True)]
        return (" " * gap).join(parts).rstrip()

    out = [line(list(columns)), line(["─" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + ELLIPSIS
