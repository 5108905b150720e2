"""A long ingest reports progress as it goes, not at the end.

A 200-file batch run through the real CLI, its stderr read line by line while
it runs: a first line appears before any file is done (worker start-up takes
seconds and a silent terminal looks hung), and file lines arrive while the
process is still working: the first file's line is read in the first half of
the run, whatever the machine's speed (a proportion of the run, not a timing).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

PLAN = """ỦY BAN NHÂN DÂN
XÃ THỬ NGHIỆM {n}
Số: {n}/KH-UBND

KẾ HOẠCH
Công tác tháng {month}/2026

1. Rà soát hồ sơ đợt {n} (Văn phòng HĐND và UBND chủ trì).
2. Kiểm tra vệ sinh môi trường tại thôn {n} (Phòng Kinh tế chủ trì, Công an xã phối hợp).
"""


def test_a_200_file_ingest_reports_progress_while_it_runs(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(1, 201):
        (docs / f"kế hoạch {n:03d}.txt").write_text(PLAN.format(n=n, month=n % 12 + 1), encoding="utf-8")
    command = [sys.executable, "-c", "from vanban.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "ingest", str(docs), "--db", str(tmp_path / "v.duckdb"), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stderr is not None
    lines: list[str] = []
    arrived: list[float] = []
    started = time.monotonic()
    for line in process.stderr:
        lines.append(line.rstrip("\n"))
        arrived.append(time.monotonic() - started)
    assert process.wait() == 0, "\n".join(lines[-5:])
    run = time.monotonic() - started

    done = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert len(done) == 200, lines[-5:]
    assert done[0] > 0, "no line before the first file was done"
    assert [lines[i].split("]")[0] for i in done[:3]] == ["[1/200", "[2/200", "[3/200"]
    # Buffered output would arrive in one burst at the end.
    assert arrived[done[0]] < run / 2, (arrived[done[0]], run)
