"""A long ingest reports progress as it goes, not at the end.

A 200-file batch run through the real CLI. Every file after the first two is
held at a gate (the ingest's extractor test hook) that the test opens only
once it has read the first file's progress line. Had the output waited for the
batch, or for a large commit, the line would never come while the files wait:
they would be let through by the gate's own deadline instead, and say so.
Ordering is asserted, never timings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from vanban.pipeline.ingest import EXTRACTOR_ENV

GATE_ENV = "VANBAN_TEST_GATE"
DEADLINE_ENV = "VANBAN_TEST_GATE_DEADLINE"
_GATE_WAIT_S = 90.0  # a safety net for a run that never reports: then the files go through anyway
UNGATED = 2

PLAN = """ỦY BAN NHÂN DÂN
XÃ THỬ NGHIỆM {n}
Số: {n}/KH-UBND

KẾ HOẠCH
Công tác tháng {month}/2026

1. Rà soát hồ sơ đợt {n} (Văn phòng HĐND và UBND chủ trì).
2. Kiểm tra vệ sinh môi trường tại thôn {n} (Phòng Kinh tế chủ trì, Công an xã phối hợp).
"""


def gated_extract(path: Any, *args: Any, **kwargs: Any) -> Any:
    """The real extractor, held at the gate for every file but the first ones (run in the workers)."""
    from vanban.validation.engine import analyse_and_validate

    number = int(Path(path).stem.split()[-1])
    if number > UNGATED:
        gate = Path(os.environ[GATE_ENV])
        deadline = float(os.environ[DEADLINE_ENV])
        while not gate.exists() and time.time() < deadline:
            time.sleep(0.02)
        if not gate.exists():
            gate.with_name(f"gave-up-{number}").touch()
    return analyse_and_validate(path, *args, **kwargs)


def test_a_200_file_ingest_reports_progress_while_it_runs(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(1, 201):
        (docs / f"kế hoạch {n:03d}.txt").write_text(PLAN.format(n=n, month=n % 12 + 1), encoding="utf-8")
    gate = tmp_path / "gate"
    env = {
        **os.environ,
        EXTRACTOR_ENV: f"{__name__}:gated_extract",
        GATE_ENV: str(gate),
        DEADLINE_ENV: str(time.time() + _GATE_WAIT_S),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-c", "from vanban.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "ingest", str(docs), "--db", str(tmp_path / "v.duckdb"), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert process.stderr is not None
    lines: list[str] = []
    for line in process.stderr:
        lines.append(line.rstrip("\n"))
        if line.startswith("[") and not gate.exists():
            gate.touch()  # the first file is reported while the others wait at the gate
    assert process.wait() == 0, "\n".join(lines[-5:])

    done = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert len(done) == 200, lines[-5:]
    assert done[0] > 0, "no line before the first file was done"
    assert lines[done[0]].startswith("[1/")
    gave_up = sorted(p.name for p in tmp_path.glob("gave-up-*"))
    assert gave_up == [], f"files went through without a progress line to open the gate: {gave_up[:5]}"
