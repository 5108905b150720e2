"""Readable terminal tables and plain progress lines."""

from __future__ import annotations

import io

from vanban.terminal import FileProgress, fit_widths, render_table


def test_table_fits_the_width_cuts_with_ellipsis_and_shows_null_as_empty() -> None:
    rows = [(1, None, "Phòng Văn hóa - Xã hội", "x" * 400), (2, "2026-03-05", ["A", "B"], "short")]
    text = render_table(["seq", "deadline", "lead", "text"], rows, width=80)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].split() == ["seq", "deadline", "lead", "text"]
    assert "…" in lines[2] and "None" not in text
    assert "A; B" in lines[3]


def test_fit_widths_shrinks_the_widest_first() -> None:
    assert fit_widths([3, 10, 50], 40) == [3, 10, 27]
    assert fit_widths([3, 4], 100) == [3, 4]


def test_plain_progress_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with FileProgress("ingest", 2, stream=stream) as progress:
        progress.start("a.txt")
        progress.done("a.txt", "ok, 3 tasks")
        progress.done("b.pdf", "failed")
    assert stream.getvalue().splitlines() == ["[1/2] a.txt: ok, 3 tasks", "[2/2] b.pdf: failed"]
    quiet = io.StringIO()
    with FileProgress("ingest", 1, stream=quiet, quiet=True) as progress:
        progress.done("a.txt", "ok")
    assert quiet.getvalue() == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_progress_bar_with_counts_and_eta() -> None:
    stream = _Tty()
    with FileProgress("ingest", stream=stream) as progress:
        progress.set_total(2)
        progress.start("data/raw/a.txt")
        progress.done("data/raw/a.txt", "ok, 3 tasks")
        progress.done("data/raw/b.pdf", "ok, 1 tasks")
        progress._rich.refresh()
        shown = stream.getvalue()
    assert "ingest" in shown and "2/2" in shown and "ETA" in shown
    assert "[1/2]" not in shown  # no plain lines on a terminal unless -v
