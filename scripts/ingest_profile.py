"""Where the parent's time goes in ``vanban ingest``: SQL statements per document, parent and worker CPU.

Runs :func:`vanban.pipeline.ingest.ingest` in this process on a folder (a fresh
database unless ``--db`` names an existing one) and prints: files, wall time,
CPU of this process (the parent: discovery, planning, receiving results,
loading) and of its worker processes, and the statements the loader sent to
DuckDB (every ``execute``/``executemany``/``begin``/``commit``/``register`` on
the writer's connections), per document. ``--profile N`` adds the parent's
``cProfile`` top ``N`` functions by cumulative time. Figures, not assertions::

    python scripts/ingest_profile.py /tmp/in1000 --workers 2 --profile 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_COUNTED = ("execute", "executemany", "begin", "commit", "rollback", "register", "unregister", "sql")


class _Counting:
    """A DuckDB connection that counts the calls the loader makes on it."""

    def __init__(self, con: Any, counts: Counter) -> None:
        self._con = con
        self._counts = counts

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._con, name)
        if name in _COUNTED:
            counts = self._counts

            def counted(*args: Any, **kwargs: Any) -> Any:
                counts[name] += 1
                return attr(*args, **kwargs)

            return counted
        return attr


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--db", type=Path, help="database (default: a fresh one in a temporary folder)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", type=int, default=0, help="print the parent's top N functions")
    args = parser.parse_args()

    from vanban.pipeline import ingest as ingest_module

    counts: Counter = Counter()
    real_open = ingest_module.open_db

    def counting_open(*a: Any, **kw: Any) -> Any:
        counts["connections"] += 1
        return _Counting(real_open(*a, **kw), counts)

    ingest_module.open_db = counting_open  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "profile.duckdb"
        profiler = cProfile.Profile() if args.profile else None
        wall, parent, kids = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        if profiler is not None:
            profiler.enable()
        report = ingest_module.ingest([args.folder], db, workers=args.workers)
        if profiler is not None:
            profiler.disable()
        wall = time.perf_counter() - wall
        parent = _cpu(resource.RUSAGE_SELF) - parent
        kids = _cpu(resource.RUSAGE_CHILDREN) - kids
    loaded = report.ok + report.partial + report.failed
    sql = sum(n for name, n in counts.items() if name in ("execute", "executemany", "begin", "commit", "sql"))
    print(
        f"{args.folder}: {report.documents} files ({loaded} loaded, {report.skipped} unchanged), "
        f"{args.workers} workers"
    )
    print(f"  wall {wall:.2f} s; parent CPU {parent:.2f} s; workers CPU {kids:.2f} s")
    if loaded:
        share = parent / (parent + kids) if parent + kids else 0.0
        print(
            f"  parent CPU per loaded file {1000 * parent / loaded:.1f} ms ({share:.0%} of the tree's CPU); "
            f"SQL statements {sql} ({sql / loaded:.2f} per document), "
            f"Arrow registrations {counts['register']}, connections opened {counts['connections']}"
        )
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
