"""No process outlives a run: workers and the helpers they start (LibreOffice, Tesseract) die with it.

:func:`helper_extract` stands in for an extractor that runs a helper the way
the ``.doc`` reader runs LibreOffice (own session, registered with the
sandbox, dying with its parent) and then hangs; the helper is a ``sleep``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vanban import budgets
from vanban.pipeline.ingest import EXTRACTOR_ENV, ingest

ROOT = Path(__file__).resolve().parents[2]
PID_DIR = "VANBAN_TEST_PID_DIR"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks use Linux /proc")


def helper_extract(path: Path, *, source: str | None = None) -> object:
    """Start a helper process group like LibreOffice, record its pid, then hang."""
    helper = subprocess.Popen(["sleep", "1000"], start_new_session=True, preexec_fn=budgets.die_with_parent)
    budgets.child_started(helper.pid)
    folder = Path(os.environ[PID_DIR])
    (folder / f"{path.stem}.helper").write_text(str(helper.pid))
    (folder / f"{path.stem}.worker").write_text(str(os.getpid()))
    time.sleep(1000)
    return None


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _all_gone(pids: list[int], within_s: float = 10.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def _pids(folder: Path, within_s: float = 60.0) -> list[int]:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        found = [int(p.read_text()) for p in folder.glob("*.*") if p.read_text()]
        if len(found) >= 2:
            return found
        time.sleep(0.1)
    raise AssertionError("the worker never started its helper")


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    pids = tmp_path / "pids"
    pids.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "doc.txt").write_text("một", encoding="utf-8")
    monkeypatch.setenv(EXTRACTOR_ENV, f"{__name__}:helper_extract")
    monkeypatch.setenv(PID_DIR, str(pids))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return docs, pids


def test_timeout_kills_the_worker_and_its_helpers(setup: tuple[Path, Path], tmp_path: Path) -> None:
    docs, pids = setup
    report = ingest([docs], tmp_path / "v.duckdb", timeout_s=3, workers=1)
    assert report.failures[0][1].startswith("timed out after 3 s")
    assert _all_gone(_pids(pids))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_signal_to_the_cli_leaves_no_process(setup: tuple[Path, Path], tmp_path: Path, sig: int) -> None:
    docs, pids = setup
    process = subprocess.Popen(
        [sys.executable, "-m", "vanban.cli", "ingest", str(docs), "--db", str(tmp_path / "v.duckdb")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    found = _pids(pids)
    process.send_signal(sig)
    _out, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    assert _all_gone(found), f"left behind after {signal.Signals(sig).name}: {found}"
