"""Resource budgets for untrusted files, in one place, and the hooks the sandbox uses.

Every limit an input file can hit lives in :class:`Budgets`; the CLI builds one
from its flags and hands it to the sandbox pool, whose workers install it with
:func:`use` before reading any file. Extractors read the active budgets with
:func:`active` and, when one is exceeded, raise
:class:`~vanban.errors.BudgetError` (the document is ``failed``) or add a
:func:`budget_message` warning (the document is ``partial``). Every message
names the budget and the command-line flag that raises it, so the person who
reads the error knows what to do.

The module also carries two hooks the sandbox worker installs (no-ops
elsewhere): :func:`report_pages`, through which an extractor tells the parent
how many pages a file has (the time limit grows with them), and
:func:`child_started`/:func:`child_ended`, through which code that starts a
subprocess (LibreOffice, Tesseract) tells the parent its process group, so a
worker killed for overrunning takes its helpers with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

# Budget name -> the CLI flag that raises it (used in every budget message).
FLAGS = {
    "timeout_s": "--timeout",
    "timeout_per_page_s": "--timeout-per-page",
    "memory_mb": "--memory-mb",
    "max_pages": "--max-pages",
    "ocr_pixels": "--ocr-pixels",
    "max_table_cells": "--max-table-cells",
    "max_paragraphs": "--max-paragraphs",
    "max_xml_mb": "--max-xml-mb",
    "max_numbering": "--max-numbering",
}


@dataclass(frozen=True)
class Budgets:
    """Limits one untrusted file must stay within; defaults are safe for a shared machine.

    The time limit of a file is ``timeout_s + timeout_per_page_s * pages``
    (pages become known once the file is opened), capped at ``max_timeout_s``;
    the worker's CPU-time limit is the same number of seconds, so a file cannot
    burn more CPU than wall-clock time it is allowed.
    """

    timeout_s: float = 120.0
    timeout_per_page_s: float = 10.0
    max_timeout_s: float = 1800.0
    memory_mb: int = 2048
    max_pages: int = 2000
    # Pixels of one page rendered for OCR: A4 at 300 dpi is 8.7 million; a
    # 200-inch page is rendered at a lower resolution instead of 3.5 GB.
    ocr_pixels: int = 25_000_000
    max_table_cells: int = 20_000
    max_paragraphs: int = 50_000
    max_xml_mb: int = 64
    # Largest list counter rendered as a numeral; Word lists start at 1 in practice.
    max_numbering: int = 100_000

    def time_limit(self, pages: int | None = None) -> float:
        """Seconds allowed for a file of ``pages`` pages (unknown: the base limit)."""
        return min(self.max_timeout_s, self.timeout_s + self.timeout_per_page_s * (pages or 0))

    def with_overrides(self, **values: object) -> Budgets:
        """A copy with the given budgets changed; ``None`` values keep the default."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if v is not None and k in known})


def budget_message(name: str, measured: str, limit: object) -> str:
    """``"<measured> exceeds the <name> budget of <limit> (raise with --flag)"``."""
    label = name.removeprefix("max_").replace("_", " ")
    return f"{measured} exceeds the {label} budget of {limit} (raise with {FLAGS.get(name, name)})"


_active = Budgets()


def active() -> Budgets:
    """The budgets in force in this process."""
    return _active


@contextmanager
def use(budgets: Budgets) -> Iterator[Budgets]:
    """Make ``budgets`` the active ones for the duration of the block."""
    global _active
    previous, _active = _active, budgets
    try:
        yield budgets
    finally:
        _active = previous


def install(budgets: Budgets) -> None:
    """Make ``budgets`` the active ones for the rest of the process (sandbox workers)."""
    global _active
    _active = budgets


# --- hooks the sandbox worker installs ------------------------------------------------------

_on_pages: Callable[[int], None] | None = None
_on_child: Callable[[int, bool], None] | None = None


def set_hooks(on_pages: Callable[[int], None] | None, on_child: Callable[[int, bool], None] | None) -> None:
    """Install the sandbox worker's callbacks (``None`` removes them)."""
    global _on_pages, _on_child
    _on_pages, _on_child = on_pages, on_child


def report_pages(pages: int) -> None:
    """Tell the sandbox how many pages the file being read has (its time limit grows with them)."""
    if _on_pages is not None:
        _on_pages(pages)


def child_started(pgid: int) -> None:
    """Tell the sandbox a helper process group was started (killed with the worker if it overruns)."""
    if _on_child is not None:
        _on_child(pgid, True)


def child_ended(pgid: int) -> None:
    """Tell the sandbox a helper process group has finished."""
    if _on_child is not None:
        _on_child(pgid, False)


# --- dying with the parent ------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1
_libc: ctypes.CDLL | None = None
if sys.platform.startswith("linux"):  # prctl is Linux-only; elsewhere orphans rely on pipe EOF
    try:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        _libc = None


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; no-op elsewhere).

    Safe to use as a ``preexec_fn``: it only calls ``prctl`` on an already
    loaded libc. A parent killed with SIGKILL cannot clean up, so this is what
    keeps workers and their LibreOffice/Tesseract helpers from outliving it.
    """
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
