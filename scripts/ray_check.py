"""``vanban ingest --engine ray`` against ``--engine local`` on many files, with a hang and a crash.

Makes ``--files`` unique copies of the seeds and PDF fixtures (as ``make
bench`` does), adds a file that hangs its worker and one that crashes it
(through the ``VANBAN_INGEST_EXTRACTOR`` hook, which here runs the real
extractor on every other file), then runs the ``vanban`` command twice on the
folder - the default local engine and ``--engine ray`` with a local Ray - into
two databases and compares every table row for row (``loaded_at`` left out).
It then checks that the hang and the crash are recorded as failed rows, and
runs the Ray command again: nothing but the two failed files may be planned.
Prints the figures; exits 1 when the databases differ or a check fails::

    python scripts/ray_check.py --files 2000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

EXTRACTOR_ENV = "VANBAN_INGEST_EXTRACTOR"
HOOK = "scripts.ray_check:misbehaving_extract"


def misbehaving_extract(path: Path, *, source: str | None = None) -> Any:
    """The real extractor, except that ``hang*`` files never return and ``crash*`` files kill the worker."""
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    from vanban.validation.engine import analyse_and_validate

    return analyse_and_validate(path, source=source)


def _vanban(*args: str, env: dict[str, str]) -> tuple[float, float, dict[str, Any], str]:
    """Run ``vanban ARGS --summary-json``; wall seconds, CPU seconds of the tree, the summary, stderr."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        summary = Path(handle.name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "vanban.cli", *args, "--summary-json", str(summary)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        sys.exit(f"vanban {' '.join(args)} wrote no summary (exit {done.returncode}):\n{done.stderr[-2000:]}")
    finally:
        summary.unlink(missing_ok=True)
    return wall, cpu, data, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files", type=int, default=2000, help="generated documents (plus a hang and a crash)"
    )
    parser.add_argument(
        "--timeout", type=float, default=20.0, help="per-file time limit (the hang costs this)"
    )
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="local engine's workers")
    parser.add_argument("--keep", type=Path, help="keep the folder and databases here")
    args = parser.parse_args()

    from bench import _inputs, _make_copies
    from compare_dbs import differences

    env = {
        **os.environ,
        EXTRACTOR_ENV: HOOK,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        folder = work / "in"
        _make_copies(folder, args.files, _inputs())
        (folder / "hang.txt").write_text("Kế hoạch treo\n", encoding="utf-8")
        (folder / "crash.txt").write_text("Kế hoạch hỏng\n", encoding="utf-8")
        common = [str(folder), "--timeout", f"{args.timeout:g}", "--quiet"]
        local_db, ray_db = work / "local.duckdb", work / "ray.duckdb"
        for db in (local_db, ray_db):
            for path in (db, db.with_name(db.name + ".wal")):
                path.unlink(missing_ok=True)
        ray_ingest = (
            "ingest",
            *common,
            "--db",
            str(ray_db),
            "--engine",
            "ray",
            "--batch-size",
            str(args.batch_size),
        )
        runs = {
            "local": _vanban(
                "ingest", *common, "--db", str(local_db), "--workers", str(args.workers), env=env
            ),
            "ray": _vanban(*ray_ingest, env=env),
        }
        first_lines = differences(local_db, ray_db)  # before the second run retries anything
        again = _vanban(*ray_ingest, env=env)
        print(f"{args.files} generated files + hang.txt + crash.txt; per-file timeout {args.timeout:g} s")
        for name, (wall, cpu, data, _err) in [*runs.items(), ("ray, second run", again)]:
            print(
                f"  {name:<16} {wall:7.1f} s wall {cpu:7.1f} CPU-s (driver and local workers)  "
                f"ok {data['ok']} partial {data['partial']} failed {data['failed']} unchanged {data['skipped']}"
            )
        lines = differences(local_db, ray_db)
        for title, table in (("after the first runs", first_lines), ("after the second Ray run", lines)):
            print(f"local vs ray {title}, table by table (rows in local, rows in ray):")
            print("\n".join(f"  {line}" for line in table))
        ok = all(line.startswith("same") for line in first_lines + lines)
        for name, (_wall, _cpu, data, _err) in runs.items():
            failures = dict(data["failures"])
            hang = failures.get((folder / "hang.txt").as_posix(), "")
            crash = failures.get((folder / "crash.txt").as_posix(), "")
            print(f"  {name}: hang.txt -> {hang!r}; crash.txt -> {crash!r}")
            others = {s: e for s, e in failures.items() if not s.endswith(("/hang.txt", "/crash.txt"))}
            for source, error in sorted(others.items()):
                print(f"  {name}: also failed: {source}: {error}")
            ok = ok and "timed out" in hang and "crashed" in crash
        planned = again[2]["ok"] + again[2]["partial"] + again[2]["failed"]
        print(f"  second ray run planned {planned} files (the 2 failed ones are retried)")
        ok = ok and planned == 2 and again[2]["failed"] == 2
    print("OK: the Ray database equals the local one" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
